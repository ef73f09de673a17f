"""aiosmtpd with what its command line cannot switch on, for complaintd's integration tests
(see test_servers.h, SmtpServerOptions): AUTH XOAUTH2 and STARTTLS. Mails are stored by
raw_maildir_handler.RawMaildir as with the plain server.

    /usr/bin/python3 smtp_auth_server.py PORT MAILDIR ENVELOPES [--xoauth2 USER TOKEN] [--tls CERT KEY]

--xoauth2: AUTH XOAUTH2 is offered (also without TLS) and required before MAIL; it succeeds
for USER with TOKEN and answers 535 otherwise, as Microsoft 365 does. --tls: STARTTLS with
that certificate, required before MAIL and AUTH. Listens on 127.0.0.1 only. Logs one line per
AUTH, "auth XOAUTH2 user=... accepted|refused", never the token.
"""

import argparse
import asyncio
import base64
import binascii
import signal
import ssl

from aiosmtpd.smtp import MISSING, SMTP, AuthResult

from raw_maildir_handler import RawMaildir


class XOAuth2Maildir(RawMaildir):
    def __init__(self, maildir, envelopes, user, token):
        super().__init__(maildir, envelopes)
        self._user = user
        self._token = token

    # aiosmtpd collects auth_* methods of the handler as AUTH mechanisms.
    async def auth_XOAUTH2(self, server, args):
        if len(args) == 1:
            blob = await server.challenge_auth("")
            if blob is MISSING:  # challenge_auth has answered already
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False, message="501 5.5.2 Cannot decode base64")
        # "user=NAME\x01auth=Bearer TOKEN\x01\x01"
        fields = dict(f.split("=", 1) for f in blob.decode("utf-8", "replace").split("\x01") if "=" in f)
        user = fields.get("user", "")
        good = user == self._user and fields.get("auth", "") == "Bearer " + self._token
        print(f"auth XOAUTH2 user={user} {'accepted' if good else 'refused'}", flush=True)
        if good:
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("maildir")
    parser.add_argument("envelopes")
    parser.add_argument("--xoauth2", nargs=2, metavar=("USER", "TOKEN"))
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()

    if args.xoauth2:
        handler = XOAuth2Maildir(args.maildir, args.envelopes, *args.xoauth2)
    else:
        handler = RawMaildir(args.maildir, args.envelopes)
    tls_context = None
    if args.tls:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.check_hostname = False
        tls_context.load_cert_chain(*args.tls)

    def factory():
        return SMTP(handler, enable_SMTPUTF8=True, tls_context=tls_context, require_starttls=bool(tls_context),
                    auth_required=bool(args.xoauth2), auth_require_tls=bool(tls_context),
                    auth_exclude_mechanism=["LOGIN", "PLAIN"])

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=args.port))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
