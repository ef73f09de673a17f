#include "curl_session.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace complaintd::daemon {
namespace {

curl_usessl sslLevel(center::TlsPolicy policy) {
    switch (policy) {
        case center::TlsPolicy::Required:
            return CURLUSESSL_ALL;
        case center::TlsPolicy::Optional:
            return CURLUSESSL_TRY;
        case center::TlsPolicy::Off:
            break;
    }
    return CURLUSESSL_NONE;
}

constexpr int kSendBufferBytes = 16 * 1024;  // 32 KiB in flight: 160 KB/s at 200 ms round trip

struct GlobalInit {
    GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

// Bytes written to the socket that the kernel still holds, unsent or unacknowledged (0 when unknown).
curl_off_t unsentBytes(curl_socket_t socket) {
    int queued = 0;
    if (socket == CURL_SOCKET_BAD || ::ioctl(socket, SIOCOUTQ, &queued) != 0) return 0;
    return queued;
}

}  // namespace

std::chrono::seconds serverAnswerTimeout(const center::ServerAccount& account) {
    return account.timeout + std::chrono::seconds(2 * kSendBufferBytes / kLowSpeedBytesPerSecond);
}

CurlSession::CurlSession(const center::ServerAccount& account, const std::string& keyPrefix, Progress progress)
    : keyPrefix_(keyPrefix),
      timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(account.timeout)),
      feed_(std::move(progress)) {
    static GlobalInit init;
    handle_ = curl_easy_init();
    if (!handle_) throw Error("libcurl could not create a handle (out of memory?)");
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, errorBuffer_);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_USE_SSL, long(sslLevel(account.startTls)));
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!account.caFile.empty()) curl_easy_setopt(handle_, CURLOPT_CAINFO, account.caFile.c_str());
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, long(account.timeout.count()));
    // No total limit (CURLOPT_TIMEOUT): a transfer is abandoned when it is stalled (onProgress),
    // however long a large one takes on a slow line.
    // The wait for a server's answer (the 250 after DATA) is not a stall (onProgress), and it may
    // include the kernel sending what it still holds: allow the timeout plus the time the send buffer
    // (kSendBufferBytes) takes at the slowest rate that counts as progress.
    curl_easy_setopt(handle_, CURLOPT_SERVER_RESPONSE_TIMEOUT, long(serverAnswerTimeout(account).count()));
    curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &CurlSession::onProgress);
    curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(handle_, CURLOPT_SOCKOPTFUNCTION, &CurlSession::onSocket);
    curl_easy_setopt(handle_, CURLOPT_SOCKOPTDATA, this);
    try {
        setLogin(account);
    } catch (...) {
        curl_easy_cleanup(handle_);  // no destructor for a half-made session
        throw;
    }
}

void CurlSession::setLogin(const center::ServerAccount& account) {
    if (account.user.empty()) return;
    curl_easy_setopt(handle_, CURLOPT_USERNAME, account.user.c_str());
    if (account.auth == center::AuthMethod::XOAuth2) {
        // XOAUTH2 rather than OAUTHBEARER, which libcurl would prefer where both are
        // offered: Microsoft 365 offers only XOAUTH2, and Gmail and Dovecot take both.
        curl_easy_setopt(handle_, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
        tokens_ = &sharedAccessTokenSource(account, keyPrefix_);
        useToken(currentToken());
        return;
    }
    password_ = center::readSecretFile(account.passwordFile, keyPrefix_ + ".password_file");
    curl_easy_setopt(handle_, CURLOPT_PASSWORD, password_.c_str());
}

CurlSession::~CurlSession() { curl_easy_cleanup(handle_); }

// No token is like a server that is away: the outbox stops for this cycle and retries.
std::string CurlSession::currentToken() {
    try {
        return tokens_->token();
    } catch (const TransferError&) {
        throw;
    } catch (const Error& e) {
        throw TransferError(e.what(), 0, false);
    }
}

void CurlSession::useToken(const std::string& token) {
    token_ = token;
    curl_easy_setopt(handle_, CURLOPT_XOAUTH2_BEARER, token_.c_str());
}

CURLcode CurlSession::performOnce() {
    errorBuffer_[0] = '\0';
    progress_.emplace(timeout_);
    moved_ = 0;
    stalled_ = false;
    return curl_easy_perform(handle_);
}

// Called often while bytes move and about once a second while none do. Bytes queued in the kernel
// are not progress: a letter that fits in the socket's send buffer would seem sent at once, and its
// wait for the server's answer seem a stall, while the line is still carrying it.
int CurlSession::onProgress(void* session, curl_off_t, curl_off_t downloaded, curl_off_t uploadTotal,
                            curl_off_t uploaded) {
    auto& self = *static_cast<CurlSession*>(session);
    const auto unsent = unsentBytes(self.socket_);
    // The whole letter is with the server: from here on only its answer is awaited (a content filter
    // may take long), bounded by CURLOPT_SERVER_RESPONSE_TIMEOUT. Abandoning it now would send a letter
    // the server may have queued again.
    if (uploadTotal > 0 && uploaded >= uploadTotal && unsent == 0) return 0;
    const curl_off_t moved = downloaded + std::max<curl_off_t>(0, uploaded - unsent);
    if (moved > self.moved_) {
        self.progress_->moved(std::size_t(moved - self.moved_));
        self.moved_ = moved;
        if (self.feed_) self.feed_();  // a long letter on a slow line is progress for the watchdog too
    }
    if (self.progress_->left().count() > 0) return 0;
    self.stalled_ = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
}

// CURLINFO_ACTIVESOCKET is not there during a transfer: remember each socket libcurl opens. Its
// send buffer is bounded (Linux doubles the figure), so the bytes "sent" and still in the kernel
// drain within the response timeout even at the slowest rate that counts as progress; on loopback
// and fast links the kernel would otherwise take megabytes at once.
int CurlSession::onSocket(void* session, curl_socket_t socket, curlsocktype) {
    static_cast<CurlSession*>(session)->socket_ = socket;
    const int bytes = kSendBufferBytes;
    ::setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    return CURL_SOCKOPT_OK;
}

void CurlSession::perform(const std::string& what) {
    // A long-lived session may reconnect: give it a token that is still good.
    if (tokens_) useToken(currentToken());
    CURLcode code = performOnce();
    std::string refreshProblem;
    if (code == CURLE_LOGIN_DENIED && tokens_) {
        tokens_->rejected(token_);
        if (tokens_->canRefresh()) {
            try {
                const auto refused = token_;
                useToken(currentToken());
                if (token_ != refused) code = performOnce();
            } catch (const TransferError& e) {
                refreshProblem = e.what();
            }
        }
    }
    if (code != CURLE_OK) fail(what, code, refreshProblem);
}

void CurlSession::fail(const std::string& what, CURLcode code, const std::string& refreshProblem) {
    long response = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response);
    std::string detail = code == CURLE_ABORTED_BY_CALLBACK && stalled_
                             ? "stalled: " + progress_->describe(keyPrefix_ + ".timeout")
                         : errorBuffer_[0] ? errorBuffer_
                                           : curl_easy_strerror(code);
    if (response) detail += " (server said " + std::to_string(response) + ")";
    if (code == CURLE_LOGIN_DENIED)
        detail += tokens_ ? ": the server refused the OAuth2 access token for " + keyPrefix_ + ".user"
                          : ": check " + keyPrefix_ + ".user and " + keyPrefix_ + ".password_file";
    if (!refreshProblem.empty()) detail += "; no other token: " + refreshProblem;
    // A refused login is ours to fix, not the letter's: never permanent.
    const bool permanent = code != CURLE_LOGIN_DENIED && response >= 500 && response < 600;
    TransferError error(what + ": " + detail, response, permanent);
    if (code == CURLE_ABORTED_BY_CALLBACK && stalled_) error.markStalled();
    throw error;
}

}  // namespace complaintd::daemon
