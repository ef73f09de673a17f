#!/usr/bin/python3
"""A straightforward Python ingester, the baseline ingest_bench compares complaintd with.

It does the same work per message, one message at a time: fetch it (BODY.PEEK[]), parse
it with email's policy.default, decode subject and body, pick a unit by the keywords of
routing/rules.conf, insert the raw message, a numbered case and a queued acknowledgement
into SQLite (WAL, synchronous=FULL) in one transaction and commit it, and only then set
\\Seen and MOVE the message to the processed folder.

usage: python_imap_ingester.py --port P --user U --password-file F --db FILE --rules FILE
Prints one JSON line: messages, cases, letters, seconds (login to logout).
"""
import argparse
import datetime
import email
import hashlib
import imaplib
import json
import re
import sqlite3
import sys
import time
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages(
    id INTEGER PRIMARY KEY, mailbox TEXT NOT NULL, uidvalidity INTEGER, uid INTEGER,
    message_id TEXT UNIQUE, sha256 TEXT NOT NULL UNIQUE, raw BLOB NOT NULL,
    size INTEGER NOT NULL, received_at INTEGER NOT NULL, state TEXT NOT NULL,
    UNIQUE (mailbox, uidvalidity, uid));
CREATE TABLE IF NOT EXISTS cases(
    id INTEGER PRIMARY KEY, roc_year INTEGER NOT NULL, sequence INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL, complainant_name TEXT NOT NULL,
    complainant_email TEXT NOT NULL, subject TEXT NOT NULL, summary TEXT NOT NULL,
    category TEXT NOT NULL, unit TEXT NOT NULL, rule TEXT NOT NULL,
    message_row INTEGER UNIQUE REFERENCES messages(id), UNIQUE (roc_year, sequence));
CREATE TABLE IF NOT EXISTS outbox(
    id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id), kind TEXT NOT NULL,
    recipient TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, subject TEXT NOT NULL,
    raw BLOB NOT NULL, state TEXT NOT NULL DEFAULT 'queued', created_at INTEGER NOT NULL);
"""

ACKNOWLEDGEMENT = """{name} 您好：

樹谷園區服務中心已於{date}收到您的來信，並已登錄為客訴案件，
案件編號為 {number}，由{unit}負責辦理。

案由：{subject}
"""


def read_rules(path):
    """[id] sections with unit, category, priority and keywords; referral rules are left out."""
    rules, current = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                current = {"id": line[1:-1], "unit": None, "category": "other", "priority": 0, "keywords": []}
                rules.append(current)
            elif "=" in line and current is not None:
                key, value = (part.strip() for part in line.split("=", 1))
                if key == "keywords":
                    current["keywords"] = [k.strip() for k in re.split("[,、]", value) if k.strip()]
                elif key == "priority":
                    current["priority"] = int(value)
                elif key in ("unit", "category"):
                    current[key] = value
    return [r for r in rules if r["unit"]]


def route(rules, text):
    best = None
    for rule in rules:
        found = sum(1 for k in rule["keywords"] if k in text)
        if found and (best is None or (rule["priority"], found) > (best[0]["priority"], best[1])):
            best = (rule, found)
    return (best[0]["id"], best[0]["unit"], best[0]["category"]) if best else ("", "intake", "other")


def body_text(message):
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def acknowledgement(number, name, address, subject, unit, now):
    letter = EmailMessage()
    letter["From"] = "complaints@shugu.example"
    letter["To"] = address
    letter["Subject"] = f"[{number}] 樹谷園區服務中心已收到您的陳情：{subject}"
    letter["Message-ID"] = make_msgid(domain="shugu.example")
    letter["Auto-Submitted"] = "auto-replied"
    letter.set_content(ACKNOWLEDGEMENT.format(name=name or "陳情人", date=now.date(), number=number, unit=unit,
                                              subject=subject))
    return letter


def store(db, uidvalidity, uid, raw, rules):
    """Everything for one message in one committed transaction; returns True if a case was opened."""
    message = email.message_from_bytes(raw, policy=policy.default)
    subject = str(message.get("Subject", ""))
    body = body_text(message)
    name, address = parseaddr(str(message.get("From", "")))
    rule, unit, category = route(rules, subject + "\n" + body)
    now = datetime.datetime.now()
    roc_year = now.year - 1911
    with db:  # BEGIN ... COMMIT (synchronous=FULL: durable when this block ends)
        cursor = db.execute(
            "INSERT OR IGNORE INTO messages(mailbox, uidvalidity, uid, message_id, sha256, raw, size,"
            " received_at, state) VALUES ('INBOX', ?, ?, ?, ?, ?, ?, ?, 'processed')",
            (uidvalidity, uid, message.get("Message-ID"), hashlib.sha256(raw).hexdigest(), raw, len(raw),
             int(now.timestamp())))
        if cursor.rowcount == 0:
            return False
        row = cursor.lastrowid
        sequence = db.execute("SELECT coalesce(max(sequence), 0) + 1 FROM cases WHERE roc_year = ?",
                              (roc_year,)).fetchone()[0]
        number = f"{roc_year:03d}-{sequence:03d}"
        case_id = db.execute(
            "INSERT INTO cases(roc_year, sequence, number, received_at, complainant_name, complainant_email,"
            " subject, summary, category, unit, rule, message_row) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (roc_year, sequence, number, int(now.timestamp()), name, address, subject, body[:200], category,
             unit, rule, row)).lastrowid
        letter = acknowledgement(number, name, address, subject, unit, now)
        db.execute(
            "INSERT INTO outbox(case_id, kind, recipient, message_id, subject, raw, created_at)"
            " VALUES (?, 'acknowledgement', ?, ?, ?, ?, ?)",
            (case_id, address, letter["Message-ID"], letter["Subject"], letter.as_bytes(), int(now.timestamp())))
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--folder", default="INBOX")
    parser.add_argument("--processed", default="Processed")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost"):
        sys.exit("only loopback IMAP servers")

    started = time.monotonic()
    rules = read_rules(args.rules)
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.executescript(SCHEMA)
    with open(args.password_file, encoding="utf-8") as f:
        password = f.read().strip()

    imap = imaplib.IMAP4(args.host, args.port)
    imap.login(args.user, password)
    imap.create(args.processed)  # NO if it exists: fine
    typ, data = imap.select(args.folder)
    uidvalidity = int(imap.response("UIDVALIDITY")[1][0])
    typ, data = imap.uid("SEARCH", None, "ALL")
    messages = cases = 0
    for uid in data[0].split():
        typ, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next(item[1] for item in fetched if isinstance(item, tuple))
        cases += store(db, uidvalidity, int(uid), raw, rules)
        messages += 1
        # Committed: only now is the message marked and moved on the server.
        imap.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)")
        typ, _ = imap.uid("MOVE", uid, args.processed)
        if typ != "OK":
            sys.exit(f"UID MOVE {uid.decode()} failed")
    imap.logout()
    seconds = time.monotonic() - started
    letters = db.execute("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'").fetchone()[0]
    print(json.dumps({"messages": messages, "cases": cases, "letters": letters, "seconds": seconds}))


if __name__ == "__main__":
    main()
