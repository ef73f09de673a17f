#include "daemon/mail_safety.h"

#include <algorithm>
#include <cctype>

#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) { return std::tolower(c); });
    result.erase(0, result.find_first_not_of(" \t"));
    result.erase(result.find_last_not_of(" \t\r\n") + 1);
    return result;
}

bool isBounceSender(std::string_view address) {
    const auto local = lower(address.substr(0, address.find('@')));
    return local == "mailer-daemon" || local == "postmaster";
}

std::optional<Automated> bounce(std::string_view raw, std::string_view sender) {
    const auto type = lower(parsers::rawHeaderValue(raw, "Content-Type"));
    if (type.starts_with("multipart/report") && type.find("delivery-status") != std::string::npos)
        return Automated{AutomatedKind::Bounce, "delivery status notification"};
    if (isBounceSender(sender)) return Automated{AutomatedKind::Bounce, "sender " + lower(sender)};
    return std::nullopt;
}

std::optional<Automated> autoReply(std::string_view raw, std::string_view sender) {
    if (const auto value = lower(parsers::rawHeaderValue(raw, "Auto-Submitted")); !value.empty() && value != "no")
        return Automated{AutomatedKind::AutoReply, "Auto-Submitted: " + value};
    if (const auto value = lower(parsers::rawHeaderValue(raw, "Precedence"));
        value == "bulk" || value == "junk" || value == "list")
        return Automated{AutomatedKind::AutoReply, "Precedence: " + value};
    for (const char* name :
         {"List-Id", "List-Unsubscribe", "List-Post", "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"})
        if (!parsers::rawHeaderValue(raw, name).empty())
            return Automated{AutomatedKind::AutoReply, std::string(name) + " header"};
    if (sender.empty()) return Automated{AutomatedKind::AutoReply, "null sender"};
    return std::nullopt;
}

}  // namespace

std::optional<Automated> automatedMessage(std::string_view raw, std::string_view senderAddress) {
    if (auto found = bounce(raw, senderAddress)) return found;
    return autoReply(raw, senderAddress);
}

std::vector<std::string> messageIdsOfDomain(std::string_view raw, std::string_view domain) {
    std::vector<std::string> ids;
    const std::string suffix = "@" + std::string(domain) + ">";
    for (auto end = raw.find(suffix); end != std::string_view::npos; end = raw.find(suffix, end + 1)) {
        const auto open = raw.rfind('<', end);
        if (open == std::string_view::npos || end - open > 300) continue;
        const std::string id(raw.substr(open + 1, end + suffix.size() - 2 - open));
        if (id.find_first_of(" \t\r\n<") == std::string::npos && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    return ids;
}

}  // namespace complaintd::daemon
