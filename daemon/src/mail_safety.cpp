#include "daemon/mail_safety.h"

#include <algorithm>
#include <cctype>
#include <set>

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

// The message's own header block, plus, in a DSN, the header block of the quoted message after the
// part headers that announce it as message/rfc822 or text/rfc822-headers. Without such a part (a
// "bounce" in plain text) the whole message, as mail servers quote our letter in many ways.
std::vector<std::string_view> regionsQuotingOurIds(std::string_view raw) {
    const std::size_t headerEnd = headerBlockEnd(raw, 0, raw.size());
    for (const std::string_view type : kQuotedPartTypes) {
        const auto at = findIgnoreCase(raw, type, headerEnd);
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

std::optional<Automated> automatedMessage(std::string_view raw, std::string_view senderAddress) {
    if (auto found = bounce(raw, senderAddress)) return found;
    return autoReply(raw, senderAddress);
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

}  // namespace complaintd::daemon
