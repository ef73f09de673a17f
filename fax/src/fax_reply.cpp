#include "fax/fax_reply.h"

#include <algorithm>

#include "cases/error.h"
#include "fax/fax_number.h"

namespace complaintd::fax {
namespace {

bool isAddressChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(".-_+=").find(c) != std::string_view::npos;
}

}  // namespace

FaxReplyAddressing FaxReplyAddressing::parse(std::string_view pattern, std::string_view key) {
    FaxReplyAddressing addressing;
    if (pattern.empty()) return addressing;
    const auto fail = [&](const std::string& why) {
        throw ConfigError(std::string(key) + ": " + why + ", got: " + std::string(pattern));
    };
    const auto at = pattern.find('@');
    if (at == std::string_view::npos || pattern.find('@', at + 1) != std::string_view::npos || at + 1 == pattern.size())
        fail("an e-mail-to-fax gateway looks like {number}@fax.example.tw");
    const std::string_view local = pattern.substr(0, at), domain = pattern.substr(at + 1);
    for (std::string_view placeholder : {"{number}", "{e164}"}) {
        const auto pos = local.find(placeholder);
        if (pos == std::string_view::npos) continue;
        if (!addressing.placeholder_.empty() || local.find(placeholder, pos + 1) != std::string_view::npos)
            fail("the local part holds one placeholder, {number} or {e164}");
        addressing.placeholder_ = placeholder;
    }
    if (addressing.placeholder_.empty()) fail("the local part needs {number} or {e164}");
    std::string rest(local);
    rest.erase(rest.find(addressing.placeholder_), addressing.placeholder_.size());
    if (!std::all_of(rest.begin(), rest.end(), isAddressChar) ||
        !std::all_of(domain.begin(), domain.end(), isAddressChar) || domain.find('.') == std::string_view::npos)
        fail("an e-mail-to-fax gateway address uses letters, digits and . - _ + = only");
    addressing.pattern_ = std::string(pattern);
    return addressing;
}

ReplyRoute FaxReplyAddressing::route(std::string_view faxNumber) const {
    if (pattern_.empty()) return ReplyByPostOrPhone{"no e-mail-to-fax gateway is configured"};
    if (faxNumber.empty()) return ReplyByPostOrPhone{"the sender's fax number is not known"};
    const std::string digits = placeholder_ == "{number}" ? nationalDigits(faxNumber) : internationalDigits(faxNumber);
    if (digits.empty()) return ReplyByPostOrPhone{"the gateway dials numbers in Taiwan only, the sender's is abroad"};
    std::string address = pattern_;
    address.replace(address.find(placeholder_), placeholder_.size(), digits);
    return ReplyByFax{address};
}

}  // namespace complaintd::fax
