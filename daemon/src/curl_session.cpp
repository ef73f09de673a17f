#include "curl_session.h"

namespace complaintd::daemon {
namespace {

curl_usessl sslLevel(TlsPolicy policy) {
    switch (policy) {
        case TlsPolicy::Required:
            return CURLUSESSL_ALL;
        case TlsPolicy::Optional:
            return CURLUSESSL_TRY;
        case TlsPolicy::Off:
            break;
    }
    return CURLUSESSL_NONE;
}

struct GlobalInit {
    GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

CurlSession::CurlSession(const ServerAccount& account, const std::string& keyPrefix) : keyPrefix_(keyPrefix) {
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
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT, long(account.timeout.count()));
    try {
        setLogin(account);
    } catch (...) {
        curl_easy_cleanup(handle_);  // no destructor for a half-made session
        throw;
    }
}

void CurlSession::setLogin(const ServerAccount& account) {
    if (account.user.empty()) return;
    curl_easy_setopt(handle_, CURLOPT_USERNAME, account.user.c_str());
    if (account.auth == AuthMethod::XOAuth2) {
        // XOAUTH2 rather than OAUTHBEARER, which libcurl would prefer where both are
        // offered: Microsoft 365 offers only XOAUTH2, and Gmail and Dovecot take both.
        curl_easy_setopt(handle_, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
        tokens_ = &sharedAccessTokenSource(account, keyPrefix_);
        useToken(currentToken());
        return;
    }
    password_ = readSecretFile(account.passwordFile, keyPrefix_ + ".password_file");
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
    return curl_easy_perform(handle_);
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
    std::string detail = errorBuffer_[0] ? errorBuffer_ : curl_easy_strerror(code);
    if (response) detail += " (server said " + std::to_string(response) + ")";
    if (code == CURLE_LOGIN_DENIED)
        detail += tokens_ ? ": the server refused the OAuth2 access token for " + keyPrefix_ + ".user"
                          : ": check " + keyPrefix_ + ".user and " + keyPrefix_ + ".password_file";
    if (!refreshProblem.empty()) detail += "; no other token: " + refreshProblem;
    // A refused login is ours to fix, not the letter's: never permanent.
    const bool permanent = code != CURLE_LOGIN_DENIED && response >= 500 && response < 600;
    throw TransferError(what + ": " + detail, response, permanent);
}

}  // namespace complaintd::daemon
