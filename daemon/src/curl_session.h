// A libcurl easy handle set up for one IMAP or SMTP account: TLS policy,
// certificate verification, timeouts, and the login: a password from a file
// (or systemd credential), or an OAuth2 access token for SASL XOAUTH2 from the
// account's AccessTokenSource (oauth_token.h), checked again before each
// transfer. CURLcode failures become TransferError here, at the edge of the
// adapter.
#pragma once

#include <curl/curl.h>

#include <string>

#include "cases/error.h"
#include "daemon/oauth_token.h"
#include "daemon/settings.h"

namespace complaintd::daemon {

class TransferError : public Error {
public:
    // What a failure is about. Letter: this one transfer (a recipient refused at RCPT TO, the
    // content refused after DATA). Session: the connection or the account, whatever it carries
    // (no connection, TLS, the login, the sender refused at MAIL FROM, an unreadable password file).
    enum class Scope { Letter, Session };

    TransferError(const std::string& message, long responseCode, bool permanent, Scope scope = Scope::Letter)
        : Error(message), responseCode_(responseCode), permanent_(permanent), scope_(scope) {}
    long responseCode() const { return responseCode_; }
    // The server refused for good (5xx): retrying the same thing will not help.
    // A refused login is never permanent: the credentials are ours to fix, not the letter's.
    bool permanent() const { return permanent_; }
    Scope scope() const { return scope_; }

private:
    long responseCode_;
    bool permanent_;
    Scope scope_;
};

class CurlSession {
public:
    // `keyPrefix` ("imap" or "smtp") names the settings in error messages.
    CurlSession(const ServerAccount& account, const std::string& keyPrefix);
    ~CurlSession();
    CurlSession(const CurlSession&) = delete;
    CurlSession& operator=(const CurlSession&) = delete;

    CURL* handle() { return handle_; }

    // Runs the transfer set up on the handle; throws TransferError naming `what`.
    // With xoauth2, a refused token is reported to the token source and, when it
    // can refresh, the transfer is tried once more with the new token.
    void perform(const std::string& what);

private:
    void setLogin(const ServerAccount& account);
    std::string currentToken();
    void useToken(const std::string& token);
    CURLcode performOnce();
    [[noreturn]] void fail(const std::string& what, CURLcode code, const std::string& refreshProblem);

    CURL* handle_;
    std::string keyPrefix_;
    std::string password_;
    AccessTokenSource* tokens_ = nullptr;  // xoauth2 only
    std::string token_;
    char errorBuffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace complaintd::daemon
