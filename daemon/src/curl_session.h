// A libcurl easy handle set up for one IMAP or SMTP account: TLS policy,
// certificate verification, credentials from a file, timeouts. CURLcode
// failures become TransferError here, at the edge of the adapter.
#pragma once

#include <curl/curl.h>

#include <string>

#include "cases/error.h"
#include "daemon/settings.h"

namespace complaintd::daemon {

class TransferError : public Error {
public:
    TransferError(const std::string& message, long responseCode, bool permanent)
        : Error(message), responseCode_(responseCode), permanent_(permanent) {}
    long responseCode() const { return responseCode_; }
    // The server refused for good (5xx): retrying the same thing will not help.
    bool permanent() const { return permanent_; }

private:
    long responseCode_;
    bool permanent_;
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
    void perform(const std::string& what);

private:
    CURL* handle_;
    std::string password_;
    char errorBuffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace complaintd::daemon
