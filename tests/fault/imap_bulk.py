#!/usr/bin/env python3
"""Bulk IMAP for the fault tests, over one connection (one APPEND per TCP connection is ~40 ms).

imap_bulk.py PORT USER PASSWORD append FOLDER FILE...   APPEND each file, unseen
imap_bulk.py PORT USER PASSWORD move FROM TO            UID MOVE every message of FROM to TO
"""
import imaplib
import sys


def main():
    port, user, password, command = sys.argv[1:5]
    imap = imaplib.IMAP4("127.0.0.1", int(port))
    imap.login(user, password)
    if command == "append":
        folder = sys.argv[5]
        for path in sys.argv[6:]:
            with open(path, "rb") as f:
                typ, data = imap.append(folder, None, None, f.read())
            if typ != "OK":
                sys.exit("APPEND %s: %s" % (path, data))
    elif command == "move":
        source, target = sys.argv[5:7]
        imap.select(source)
        typ, data = imap.uid("MOVE", "1:*", target)
        if typ != "OK":
            sys.exit("UID MOVE: %s" % data)
    else:
        sys.exit("unknown command " + command)
    imap.logout()


if __name__ == "__main__":
    main()
