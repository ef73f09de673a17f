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

// A header value as a reason: short, one line (it is logged and listed; the sender wrote it).
std::string shortValue(std::string value) {
    constexpr std::size_t kMax = 60;
    for (auto& c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    if (value.size() <= kMax) return value;
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    return value.substr(0, cut) + "...";
}

std::string localPart(std::string_view address) { return lower(address.substr(0, address.find('@'))); }

// The null reverse-path (RFC 5321 4.5.5): what bounces and most auto-replies are sent with. The
// delivering server writes it as Return-Path; the From header says nothing about it.
bool nullReturnPath(std::string_view raw) {
    std::string value = lower(parsers::rawHeaderValue(raw, "Return-Path"));
    std::erase_if(value, [](char c) { return c == ' ' || c == '\t'; });
    return value == "<>";
}

std::optional<Automated> bounce(std::string_view raw, std::string_view sender) {
    const auto type = lower(parsers::rawHeaderValue(raw, "Content-Type"));
    if (type.starts_with("multipart/report") && type.find("delivery-status") != std::string::npos)
        return Automated{AutomatedKind::Bounce, "delivery status notification"};
    // A postmaster is a person too (an administrator writing to us): only the null sender makes it a bounce.
    const auto local = localPart(sender);
    if (local == "mailer-daemon" || (local == "postmaster" && nullReturnPath(raw)))
        return Automated{AutomatedKind::Bounce, "sender " + shortValue(lower(sender))};
    return std::nullopt;
}

// List headers the center's own group address (a Google Group, a Mailman alias) adds to every
// complaint name the center's domain: those say nothing about who wrote the message.
bool throughOwnList(std::string_view raw, std::string_view ownDomain) {
    if (ownDomain.empty()) return false;
    const std::string domain = lower(ownDomain);
    for (const char* name : {"List-Id", "List-Post"})
        if (lower(parsers::rawHeaderValue(raw, name)).find(domain) != std::string::npos) return true;
    return false;
}

// List-Id and List-Post (RFC 2919, 2369) say a list distributed the message. List-Unsubscribe alone
// does not: petition and forwarding systems put it on every message they pass on.
std::optional<Automated> listMail(std::string_view raw, std::string_view ownDomain) {
    const auto precedence = lower(parsers::rawHeaderValue(raw, "Precedence"));
    if (precedence == "bulk" || precedence == "junk")
        return Automated{AutomatedKind::List, "Precedence: " + precedence};
    if (throughOwnList(raw, ownDomain)) return std::nullopt;
    if (precedence == "list") return Automated{AutomatedKind::List, "Precedence: list"};
    for (const char* name : {"List-Id", "List-Post"})
        if (!parsers::rawHeaderValue(raw, name).empty())
            return Automated{AutomatedKind::List, std::string(name) + " header"};
    return std::nullopt;
}

std::optional<Automated> autoReply(std::string_view raw) {
    if (const auto value = lower(parsers::rawHeaderValue(raw, "Auto-Submitted")); !value.empty() && value != "no")
        return Automated{AutomatedKind::AutoReply, "Auto-Submitted: " + shortValue(value)};
    for (const char* name : {"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"})
        if (!parsers::rawHeaderValue(raw, name).empty())
            return Automated{AutomatedKind::AutoReply, std::string(name) + " header"};
    return std::nullopt;
}

// Every value of header `name` in the header block, unfolded; one pass over the block.
std::vector<std::string> headerValues(std::string_view raw, std::string_view name) {
    std::vector<std::string> values;
    bool inWanted = false;
    for (std::size_t pos = 0; pos < raw.size();) {
        auto end = raw.find('\n', pos);
        if (end == std::string_view::npos) end = raw.size();
        auto line = raw.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // end of the header block
        if (line.front() == ' ' || line.front() == '\t') {
            if (inWanted) values.back() += line;
            continue;
        }
        inWanted =
            line.size() > name.size() && line[name.size()] == ':' && lower(line.substr(0, name.size())) == lower(name);
        if (inWanted) values.emplace_back(line.substr(name.size() + 1));
    }
    return values;
}

bool markedWith(const std::string& value, const std::string& wanted) {
    const auto v = lower(value), w = lower(wanted);
    if (w.empty() || !v.starts_with(w)) return false;
    return v.size() == w.size() || !std::isalnum(static_cast<unsigned char>(v[w.size()]));
}

}  // namespace

std::string_view idOf(AutomatedKind kind) {
    switch (kind) {
        case AutomatedKind::AutoReply:
            return "auto-reply";
        case AutomatedKind::Bounce:
            return "bounce";
        case AutomatedKind::List:
            return "list";
        case AutomatedKind::NullSender:
            return "null-sender";
    }
    return "auto-reply";
}

std::optional<Automated> automatedMessage(std::string_view raw, std::string_view senderAddress,
                                          std::string_view ownDomain) {
    if (auto found = bounce(raw, senderAddress)) return found;
    if (auto found = autoReply(raw)) return found;
    if (auto found = listMail(raw, ownDomain)) return found;
    if (nullReturnPath(raw)) return Automated{AutomatedKind::NullSender, "null sender (Return-Path: <>)"};
    return std::nullopt;
}

std::optional<std::string> spamMarkOf(std::string_view raw, const std::vector<SpamMark>& marks) {
    for (const auto& mark : marks)
        for (const auto& value : headerValues(raw, mark.header))
            if (markedWith(value, mark.value)) return mark.header + ": " + mark.value;
    return std::nullopt;
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
