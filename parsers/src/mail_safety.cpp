#include "parsers/mail_safety.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "parsers/header_scan.h"

namespace complaintd::parsers {
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

bool markedWith(const std::string& value, const std::string& wanted) {
    const auto v = lower(value), w = lower(wanted);
    if (w.empty() || !v.starts_with(w)) return false;
    return v.size() == w.size() || !std::isalnum(static_cast<unsigned char>(v[w.size()]));
}

// A bounce names the letter it answers by its Message-ID: at most a few, so a cap costs nothing.
constexpr std::size_t kMaxBounceIds = 20;
constexpr std::size_t kMaxMessageIdBytes = 300;
// The part a DSN quotes our letter in: its header block is all that holds our Message-ID.
constexpr std::string_view kQuotedPartTypes[] = {"message/rfc822", "text/rfc822-headers"};
constexpr std::size_t kMaxQuotedHeaderBytes = 256 * 1024;

bool equalsIgnoreCase(char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// Case-insensitive search: the needle is short, so this stays linear in the text.
std::size_t findIgnoreCase(std::string_view text, std::string_view needle, std::size_t from = 0) {
    if (from > text.size()) return std::string_view::npos;
    const auto found = std::search(text.begin() + from, text.end(), needle.begin(), needle.end(), equalsIgnoreCase);
    return found == text.end() ? std::string_view::npos : std::size_t(found - text.begin());
}

// Where the header block starting at `pos` ends: its empty line, or `pos + limit`, or the end.
std::size_t headerBlockEnd(std::string_view raw, std::size_t pos, std::size_t limit) {
    const std::string_view block = raw.substr(pos, limit);
    for (std::size_t line = 0; line < block.size();) {
        const auto end = block.find('\n', line);
        if (end == std::string_view::npos) break;
        if (end == line || (end == line + 1 && block[line] == '\r')) return pos + line;
        line = end + 1;
    }
    return pos + block.size();
}

// Where a part header line "Content-Type: TYPE" names `type`, searching from `from`: the type in the
// text of a part (a human-readable DSN quoting it) is not a part. Each hit looks back a bounded
// number of bytes for the start of its line, so the search stays linear.
std::size_t partAnnouncing(std::string_view raw, std::string_view type, std::size_t from) {
    constexpr std::string_view kField = "content-type:";
    constexpr std::size_t kLookBack = kField.size() + 16;  // the field name and some white space
    for (auto at = findIgnoreCase(raw, type, from); at != std::string_view::npos;
         at = findIgnoreCase(raw, type, at + 1)) {
        const auto window = raw.substr(at > kLookBack ? at - kLookBack : 0, std::min(at, kLookBack));
        const auto newline = window.rfind('\n');
        if (newline == std::string_view::npos && at > kLookBack) continue;
        auto line = window.substr(newline == std::string_view::npos ? 0 : newline + 1);
        if (line.size() < kField.size() || findIgnoreCase(line, kField) != 0) continue;
        line.remove_prefix(kField.size());
        if (line.find_first_not_of(" \t") == std::string_view::npos) return at;
    }
    return std::string_view::npos;
}

// The message's own header block, plus, in a DSN, the header block of the quoted message after the
// part headers that announce it as message/rfc822 or text/rfc822-headers. Without such a part (a
// "bounce" in plain text) the whole message, as mail servers quote our letter in many ways.
std::vector<std::string_view> regionsQuotingOurIds(std::string_view raw) {
    const std::size_t headerEnd = headerBlockEnd(raw, 0, raw.size());
    for (const std::string_view type : kQuotedPartTypes) {
        const auto at = partAnnouncing(raw, type, headerEnd);
        if (at == std::string_view::npos) continue;
        const std::size_t partHeaderEnd = headerBlockEnd(raw, at, kMaxQuotedHeaderBytes);
        const std::size_t quoted = raw.find('\n', partHeaderEnd);
        if (quoted == std::string_view::npos) break;
        const std::size_t quotedEnd = headerBlockEnd(raw, quoted + 1, kMaxQuotedHeaderBytes);
        return {raw.substr(0, headerEnd), raw.substr(quoted + 1, quotedEnd - quoted - 1)};
    }
    return {raw};
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
        for (const auto& value : parsers::rawHeaderValues(raw, mark.header))
            if (markedWith(value, mark.value)) return mark.header + ": " + mark.value;
    return std::nullopt;
}

std::vector<std::string> messageIdsOfDomain(std::string_view raw, std::string_view domain) {
    std::vector<std::string> ids;
    std::set<std::string, std::less<>> seen;
    const std::string suffix = "@" + std::string(domain) + ">";
    for (const std::string_view region : regionsQuotingOurIds(raw)) {
        // One pass forward: `open` is the last '<' before the hit, found by looking only at the bytes
        // since the previous hit, so every byte is read a bounded number of times.
        std::size_t open = std::string_view::npos;
        std::size_t scanned = 0;
        for (auto end = region.find(suffix); end != std::string_view::npos && ids.size() < kMaxBounceIds;
             end = region.find(suffix, end + 1)) {
            if (const auto last = region.substr(scanned, end - scanned).rfind('<'); last != std::string_view::npos)
                open = scanned + last;
            scanned = end;
            if (open == std::string_view::npos || end - open > kMaxMessageIdBytes) continue;
            const auto id = region.substr(open + 1, end + suffix.size() - 2 - open);
            if (id.find_first_of(" \t\r\n<") == std::string_view::npos && seen.emplace(id).second) ids.emplace_back(id);
        }
    }
    return ids;
}

}  // namespace complaintd::parsers
