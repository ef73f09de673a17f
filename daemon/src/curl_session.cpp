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

CurlSession::CurlSession(const ServerAccount& account, const std::string& keyPrefix) {
    static GlobalInit init;
    handle_ = curl_easy_init();
    if (!handle_) throw Error("libcurl could not create a handle (out of memory?)");
    if (!account.user.empty()) password_ = readSecretFile(account.passwordFile, keyPrefix + ".password_file");
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, errorBuffer_);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_USE_SSL, long(sslLevel(account.startTls)));
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!account.caFile.empty()) curl_easy_setopt(handle_, CURLOPT_CAINFO, account.caFile.c_str());
    if (!account.user.empty()) {
        curl_easy_setopt(handle_, CURLOPT_USERNAME, account.user.c_str());
        curl_easy_setopt(handle_, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, long(account.timeout.count()));
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT, long(account.timeout.count()));
}

CurlSession::~CurlSession() { curl_easy_cleanup(handle_); }

void CurlSession::perform(const std::string& what) {
    errorBuffer_[0] = '\0';
    const CURLcode code = curl_easy_perform(handle_);
    if (code == CURLE_OK) return;
    long response = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response);
    const std::string detail = errorBuffer_[0] ? errorBuffer_ : curl_easy_strerror(code);
    throw TransferError(what + ": " + detail + (response ? " (server said " + std::to_string(response) + ")" : ""),
                        response, response >= 500 && response < 600);
}

}  // namespace complaintd::daemon
