"""Loopback OAuth2 token introspection endpoint (RFC 7662) for complaintd's integration
tests (see test_servers.h, OAuth2IntrospectionServer): Dovecot's passdb oauth2 asks it
whether an access token is good.

    /usr/bin/python3 oauth2_introspection.py PORT USER TOKEN...

Answers {"active": true, "username": USER} for each TOKEN given and {"active": false} for
any other, whichever introspection_mode Dovecot uses: post (form field token=), get (the
token appended to the URL) or auth (Authorization: Bearer). Listens on 127.0.0.1 only.
Logs one line per request, "introspect mode=post active=true", never the token.
"""

import http.server
import json
import sys
import urllib.parse


def make_handler(user, tokens):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("ascii", "replace"))
            self.answer("post", (form.get("token") or [""])[0])

        def do_GET(self):
            authorization = self.headers.get("Authorization") or ""
            if authorization.startswith("Bearer "):
                self.answer("auth", authorization[len("Bearer "):])
            else:
                self.answer("get", urllib.parse.unquote(self.path.rsplit("/", 1)[-1]))

        def answer(self, mode, token):
            active = token in tokens
            print(f"introspect mode={mode} active={str(active).lower()}", flush=True)
            body = json.dumps({"active": True, "username": user} if active else {"active": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass  # the default line has the URL, which with introspection_mode=get holds the token

    return Handler


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: oauth2_introspection.py PORT USER TOKEN...")
    port, user, tokens = int(sys.argv[1]), sys.argv[2], set(sys.argv[3:])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(user, tokens))
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
