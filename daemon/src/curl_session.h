// A libcurl easy handle set up for one IMAP or SMTP account: TLS policy,
// certificate verification, timeouts (connect, and lack of progress rather
// than a total: a large letter on a slow line goes out), and the login: a password from a file
// (or systemd credential), or an OAuth2 access token for SASL XOAUTH2 from the
// account's AccessTokenSource (oauth_token.h), checked again before each
// transfer. CURLcode failures become TransferError here, at the edge of the
// adapter.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include "cases/error.h"
#include "center/settings.h"
#include "daemon/heartbeat.h"
#include "daemon/oauth_token.h"

namespace complaintd::daemon {

// The slowest transfer that counts as progress. Below it for a whole timeout, a transfer is stalled.
constexpr std::size_t kLowSpeedBytesPerSecond = 1024;

// How long a server's answer (the 250 after the data) is waited for: the account's timeout plus the
// time the kernel's send buffer takes at kLowSpeedBytesPerSecond (it may still hold the data's end).
std::chrono::seconds serverAnswerTimeout(const center::ServerAccount& account);

// Lack of progress, not the total: the time left runs out only when fewer than
// window x kLowSpeedBytesPerSecond bytes moved since the window began; each time that many have,
// a new window begins. A 20 MB message on a slow line goes through; a stalled one does not.
class ProgressWindow {
public:
    explicit ProgressWindow(std::chrono::milliseconds window)
        : window_(window),
          minBytes_(std::max<std::size_t>(1, kLowSpeedBytesPerSecond * std::size_t(window.count()) / 1000)),
          start_(std::chrono::steady_clock::now()) {}

    void moved(std::size_t bytes) {
        bytes_ += bytes;
        if (bytes_ < minBytes_) return;
        bytes_ = 0;
        start_ = std::chrono::steady_clock::now();
    }
    std::chrono::milliseconds left() const {
        return window_ -
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
    }
    // "fewer than 60 KiB in 60 s (imap.timeout)"
    std::string describe(const std::string& key) const {
        return "fewer than " + std::to_string(minBytes_) + " bytes moved in " + std::to_string(window_.count() / 1000) +
               " s (" + key + ")";
    }

private:
    std::chrono::milliseconds window_;
    std::size_t minBytes_;
    std::size_t bytes_ = 0;
    std::chrono::steady_clock::time_point start_;
};

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
    // Abandoned for lack of progress while bytes were still unsent: the server cannot have it all.
    bool stalled() const { return stalled_; }
    TransferError& markStalled() {
        stalled_ = true;
        return *this;
    }

private:
    long responseCode_;
    bool permanent_;
    Scope scope_;
    bool stalled_ = false;
};

class CurlSession {
public:
    // `keyPrefix` ("imap" or "smtp") names the settings in error messages.
    // `progress` is called whenever a transfer moves bytes (the watchdog's food, heartbeat.h).
    CurlSession(const center::ServerAccount& account, const std::string& keyPrefix, Progress progress = {});
    ~CurlSession();
    CurlSession(const CurlSession&) = delete;
    CurlSession& operator=(const CurlSession&) = delete;

    CURL* handle() { return handle_; }

    // Runs the transfer set up on the handle; throws TransferError naming `what`.
    // With xoauth2, a refused token is reported to the token source and, when it
    // can refresh, the transfer is tried once more with the new token.
    void perform(const std::string& what);

private:
    void setLogin(const center::ServerAccount& account);
    std::string currentToken();
    void useToken(const std::string& token);
    CURLcode performOnce();
    // libcurl's progress callback: aborts the transfer when it is stalled (ProgressWindow).
    static int onProgress(void* session, curl_off_t, curl_off_t downloaded, curl_off_t, curl_off_t uploaded);
    static int onSocket(void* session, curl_socket_t socket, curlsocktype purpose);
    [[noreturn]] void fail(const std::string& what, CURLcode code, const std::string& refreshProblem);

    CURL* handle_;
    std::string keyPrefix_;
    std::string password_;
    AccessTokenSource* tokens_ = nullptr;  // xoauth2 only
    std::string token_;
    std::chrono::milliseconds timeout_;
    Progress feed_;
    // Of the transfer under way: bytes the server has taken (sent and no longer queued in the
    // kernel) or sent us, as libcurl's own low-speed check counts bytes merely queued.
    std::optional<ProgressWindow> progress_;
    curl_off_t moved_ = 0;
    bool stalled_ = false;
    curl_socket_t socket_ = CURL_SOCKET_BAD;
    char errorBuffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace complaintd::daemon
