"""aiosmtpd handler for complaintd's integration tests (see test_servers.h, SmtpServer).

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c raw_maildir_handler.RawMaildir MAILDIR ENVELOPES

Stores each mail byte for byte as MAILDIR/new/NAME and its envelope as ENVELOPES/NAME
(first line MAIL FROM, then one line per RCPT TO). aiosmtpd's own Mailbox handler is not
used because it re-serialises the mail: LF line endings and added X-Peer/X-MailFrom/X-RcptTo
headers, so a test could not compare what was sent with what arrived.

A test changes how MAIL FROM is answered while the server runs: while a file mail-from-reply
exists beside MAILDIR, every MAIL FROM gets its first line as the answer (e.g. "553 5.7.1 Sender
address rejected: not owned by user"), and the transaction goes no further. While a file
rcpt-refused exists there, RCPT TO an address listed in it (one a line) is answered 550.
"""

import itertools
import os
import time


class RawMaildir:
    def __init__(self, maildir, envelopes):
        self._maildir = maildir
        self._envelopes = envelopes
        self._sequence = itertools.count()
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
        os.makedirs(envelopes, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("RawMaildir needs two arguments: MAILDIR ENVELOPES")
        return cls(*args)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        control = os.path.join(os.path.dirname(os.path.abspath(self._maildir)), "mail-from-reply")
        try:
            with open(control, encoding="utf-8") as f:
                reply = f.readline().strip()
        except FileNotFoundError:
            reply = ""
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        control = os.path.join(os.path.dirname(os.path.abspath(self._maildir)), "rcpt-refused")
        try:
            with open(control, encoding="utf-8") as f:
                refused = {line.strip() for line in f}
        except FileNotFoundError:
            refused = set()
        if address in refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Zero-padded nanoseconds first: name order is arrival order, also across restarts.
        name = f"{time.time_ns():020d}.P{os.getpid()}Q{next(self._sequence)}.complaintd-test"
        with open(os.path.join(self._envelopes, name), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join([envelope.mail_from or ""] + list(envelope.rcpt_tos)) + "\n")
        tmp = os.path.join(self._maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
        # Appearing in new/ is the commit point: readers never see half a mail.
        os.rename(tmp, os.path.join(self._maildir, "new", name))
        return "250 OK"
