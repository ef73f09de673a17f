// Real mail servers on 127.0.0.1 for integration tests: Dovecot (IMAP) and aiosmtpd (SMTP),
// plus a tiny IMAP client for assertions. Nothing here ever listens on or connects to a
// non-loopback address.
//
// Servers run as child processes in their own process group and are stopped in the
// destructor. They also get SIGTERM if the thread that started them dies (PR_SET_PDEATHSIG),
// so a crashing test leaves nothing behind: start servers from the test's own thread,
// not from a short-lived helper thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace complaintd::testing {

class ChildProcess;

// A scratch folder /tmp/complaintd-test-XXXXXX (mode 0755 so Dovecot's unprivileged
// processes can reach it), removed on destruction unless keep() was called.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    // Leave the folder on disk (e.g. when the test failed); its path is printed to stderr.
    void keep() { keep_ = true; }

private:
    std::string path_;
    bool keep_ = false;
};

// A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, close).
int freeLoopbackPort();

// A throwaway certificate authority and a server certificate for 127.0.0.1 (IP SAN) signed
// by it, valid for two days, made by openssl in `dir` (ca.pem, server.pem, server.key).
struct TestCertificates {
    std::string caFile;
    std::string certFile;
    std::string keyFile;
};
TestCertificates makeTestCertificates(const std::string& dir);

// What DovecotServer offers beyond its defaults; the defaults change nothing.
struct DovecotOptions {
    // Not empty: SASL XOAUTH2 and OAUTHBEARER too, the token checked by a passdb oauth2 that asks
    // this URL (introspection_mode = post; see OAuth2IntrospectionServer). Passwords still work.
    std::string oauth2IntrospectionUrl;
    // Not empty: ssl = required, STARTTLS on port() and implicit TLS on imapsPort(). Dovecot counts
    // loopback connections as secure, so ImapTestClient still logs in without TLS.
    std::optional<TestCertificates> tls;
    // Appended to dovecot.conf as they are, e.g. "imap_capability = IMAP4rev1 IDLE\n" to play a
    // server without MOVE and UIDPLUS.
    std::string extraConfig;
};

// Dovecot IMAP on 127.0.0.1 with its own config, state and log (dovecot.log) in `dir`:
// plaintext LOGIN, no TLS, one user (user()/password()) with a Maildir (folder separator "/",
// so "Processed" or "Archive/2024" work). Capabilities include MOVE and UIDPLUS. Failed logins
// are answered after ~0.5 s, without Dovecot's growing brute-force penalty.
class DovecotServer {
public:
    // Creates `dir` if needed and starts the server (throws std::runtime_error with the
    // tail of Dovecot's log if it is not greeting within 10 s).
    explicit DovecotServer(const std::string& dir);
    DovecotServer(const std::string& dir, DovecotOptions options);
    ~DovecotServer();
    DovecotServer(const DovecotServer&) = delete;
    DovecotServer& operator=(const DovecotServer&) = delete;

    int port() const { return port_; }
    std::string url() const;                      // imap://127.0.0.1:PORT
    int imapsPort() const { return imapsPort_; }  // 0 without DovecotOptions::tls
    std::string imapsUrl() const;                 // imaps://127.0.0.1:PORT
    const std::string& user() const { return user_; }
    const std::string& password() const { return password_; }
    bool running() const;

    // SIGTERM, wait for the services to end, kill leftovers (~60 ms); the port is free when
    // this returns.
    void stop();
    void start();  // again on the same port, same mailboxes; no-op while running
    std::string logTail() const;

private:
    void writeConfig() const;
    void launch();

    std::string dir_;
    DovecotOptions options_;
    int port_ = 0;
    int imapsPort_ = 0;
    std::string user_ = "complaints";
    std::string password_ = "complaints-password";
    std::unique_ptr<ChildProcess> process_;
};

// One mail as received by SmtpServer: the SMTP envelope and the DATA bytes exactly as sent
// (CRLF line endings, dot-stuffing undone).
struct ReceivedMail {
    std::string mailFrom;
    std::vector<std::string> rcptTo;
    std::string data;
};

// What SmtpServer offers beyond its defaults; the defaults change nothing. With any of them set,
// the server is smtp_auth_server.py (next to this header) instead of aiosmtpd's command line.
struct SmtpServerOptions {
    // Not empty: AUTH XOAUTH2 (also without TLS), required before MAIL; only this user with this
    // token gets in, anything else is answered 535.
    std::string xoauth2User;
    std::string xoauth2Token;
    // Set: STARTTLS with this certificate, required before MAIL (and AUTH).
    std::optional<TestCertificates> tls;
};

// aiosmtpd on 127.0.0.1 that stores every mail byte for byte in a Maildir under `dir`
// (raw_maildir_handler.py next to this header; aiosmtpd's own Mailbox handler rewrites mails).
// No AUTH, no TLS, SMTPUTF8 offered.
class SmtpServer {
public:
    // Creates `dir` if needed and starts the server (throws std::runtime_error with the
    // server's output if it is not greeting within 10 s).
    explicit SmtpServer(const std::string& dir);
    SmtpServer(const std::string& dir, SmtpServerOptions options);
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    int port() const { return port_; }
    std::string url() const;  // smtp://127.0.0.1:PORT
    bool running() const;

    void stop();   // the port refuses connections when this returns
    void start();  // again on the same port, keeping received mails; no-op while running

    // From now on every MAIL FROM is answered `reply` (e.g. "553 5.7.1 Sender address rejected"),
    // as a provider answers an account that may not send; an empty reply accepts again.
    void answerMailFrom(const std::string& reply);
    // From now on RCPT TO these addresses is answered 550 (no such user); none: all accepted again.
    void refuseRecipients(const std::vector<std::string>& addresses);

    // Mails received so far, oldest first (also across stop()/start()).
    std::vector<ReceivedMail> receivedMails() const;
    std::vector<std::string> receivedMessages() const;  // just the DATA of each
    // Waits until at least `count` mails arrived; throws with the server's output on timeout.
    std::vector<ReceivedMail> waitForMails(std::size_t count,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    // The same for the mails to complainants only: not the notices to the center's own units
    // (an address @shugu.example), which every case a rule gives a unit also sends.
    std::vector<ReceivedMail> complainantMails() const;
    std::vector<ReceivedMail> waitForComplainantMails(
        std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    std::string logTail() const;

private:
    void launch();
    // Polls `mails` until it gives `count`; throws naming `what` and the server's output on timeout.
    std::vector<ReceivedMail> waitUntil(std::size_t count, std::chrono::milliseconds timeout, const std::string& what,
                                        const std::function<std::vector<ReceivedMail>()>& mails) const;
    std::vector<std::string> command() const;

    std::string dir_;
    SmtpServerOptions options_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// An OAuth2 token introspection endpoint (RFC 7662) on 127.0.0.1 for Dovecot's passdb oauth2
// (oauth2_introspection.py next to this header): {"active": true, "username": USER} for the
// tokens given, {"active": false} for any other. Its log (introspection.log in `dir`) has one
// line per request, without the token.
class OAuth2IntrospectionServer {
public:
    OAuth2IntrospectionServer(const std::string& dir, const std::string& user,
                              const std::vector<std::string>& goodTokens);
    ~OAuth2IntrospectionServer();
    OAuth2IntrospectionServer(const OAuth2IntrospectionServer&) = delete;
    OAuth2IntrospectionServer& operator=(const OAuth2IntrospectionServer&) = delete;

    std::string url() const;  // http://127.0.0.1:PORT/introspect
    std::size_t requests() const;
    std::string logTail() const;

private:
    std::string dir_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// A minimal IMAP client for assertions. Every call opens its own connection (so it keeps
// working across server restarts), logs in, selects read-only where it only reads, and logs
// out. Reading never changes flags (BODY.PEEK). Folder names are sent as quoted strings, as
// they are (ASCII; no modified UTF-7). Server NO/BAD answers throw std::runtime_error.
class ImapTestClient {
public:
    // url: imap://127.0.0.1:PORT (only loopback hosts are accepted).
    ImapTestClient(std::string url, std::string user, std::string password);
    explicit ImapTestClient(const DovecotServer& server);

    std::vector<std::string> capabilities();
    std::vector<std::string> folders();            // LIST "" "*"
    void createFolder(const std::string& folder);  // ok if it already exists
    // APPEND with the given flags (none by default, i.e. unseen like newly delivered mail);
    // returns the UID of the new message (APPENDUID).
    unsigned append(const std::string& folder, const std::string& rawMessage,
                    const std::vector<std::string>& flags = {});
    std::vector<unsigned> uids(const std::string& folder);  // UID SEARCH ALL, ascending
    // Stored flags, e.g. "\\Seen", "\\Flagged", "$Forwarded"; without the per-session \\Recent.
    std::vector<std::string> flags(const std::string& folder, unsigned uid);
    std::string fetch(const std::string& folder, unsigned uid);  // raw message (BODY.PEEK[])
    // UID STORE -FLAGS: plays the state a client killed between two commands leaves behind.
    void removeFlag(const std::string& folder, unsigned uid, const std::string& flag);

private:
    std::string host_;
    int port_ = 0;
    std::string user_;
    std::string password_;
};

}  // namespace complaintd::testing
