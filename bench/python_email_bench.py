#!/usr/bin/python3
"""Python's email package on the same messages as parse_bench, for comparison.

Reads file paths (one per line) on stdin, parses each with policy.default,
takes get_body() and get_content() of every leaf part, the way a Python
intake script would. Prints one JSON line: messages, bytes, best seconds of
the rounds, errors (parts whose content could not be read).
usage: python_email_bench.py ROUNDS < paths
"""
import email
import json
import sys
import time
from email import policy


def read_message(raw):
    errors = 0
    message = email.message_from_bytes(raw, policy=policy.default)
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            body.get_content()
    except Exception:
        errors += 1
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            part.get_content()
        except Exception:
            errors += 1
    return errors


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    messages = []
    for line in sys.stdin:
        with open(line.rstrip("\n"), "rb") as f:
            messages.append(f.read())
    best = None
    errors = 0
    for _ in range(rounds):
        start = time.perf_counter()
        errors = sum(read_message(raw) for raw in messages)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    print(json.dumps({"messages": len(messages), "bytes": sum(map(len, messages)), "seconds": best,
                      "errors": errors}))


if __name__ == "__main__":
    main()
