#include "imap_client.h"

#include <poll.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::size_t kMaxLineBytes = 1 << 20;
constexpr std::size_t kReadChunk = 256 * 1024;

std::string withoutTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// The size N of a trailing literal marker "{N}" or "{N+}", if the line ends with one.
std::optional<std::size_t> literalSize(const std::string& line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    const auto open = line.rfind('{');
    if (open == std::string::npos) return std::nullopt;
    std::string digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.pop_back();
    if (digits.empty() || digits.size() > 12 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        return std::nullopt;
    return std::stoull(digits);
}

bool startsWithNoCase(const std::string& text, const std::string& prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(text[i])) != std::toupper(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

unsigned long numberAfter(const std::string& text, const std::regex& pattern) {
    std::smatch match;
    if (!std::regex_search(text, match, pattern)) return 0;
    return std::stoul(match[1]);
}

}  // namespace

std::string quoteImapString(const std::string& text) {
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        if (c != '\r' && c != '\n') quoted += c;
    }
    return quoted + "\"";
}

std::optional<std::string> copySearchKey(std::string_view headerFields, std::size_t bytes) {
    const auto id = parsers::messageIdOf(headerFields);
    if (bytes == 0 || id.empty() || !std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        return std::nullopt;
    return "UNDELETED LARGER " + std::to_string(bytes - 1) + " SMALLER " + std::to_string(bytes + 1) +
           " HEADER Message-ID " + quoteImapString("<" + id + ">");
}

std::string imapUidSet(std::vector<unsigned long> uids) {
    std::sort(uids.begin(), uids.end());
    std::string set;
    for (std::size_t i = 0; i < uids.size();) {
        std::size_t j = i;
        while (j + 1 < uids.size() && uids[j + 1] <= uids[j] + 1) ++j;
        if (!set.empty()) set += ',';
        set += std::to_string(uids[i]);
        if (uids[j] != uids[i]) set += ':' + std::to_string(uids[j]);
        i = j + 1;
    }
    return set;
}

ImapClient::ImapClient(const center::ServerAccount& account, Progress progress)
    : account_(account),
      progress_(std::move(progress)),
      baseUrl_(withoutTrailingSlash(account.url)),
      session_(account, "imap", progress_),
      timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(account.timeout)) {
    CURL* h = session_.handle();
    curl_easy_setopt(h, CURLOPT_URL, (baseUrl_ + "/").c_str());
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    session_.perform("IMAP login to " + mailboxIdentity(""));
    for (const auto& response : command("CAPABILITY")) {
        if (!startsWithNoCase(response.text, "* CAPABILITY ")) continue;
        std::istringstream words(response.text.substr(13));
        for (std::string word; words >> word;) {
            std::transform(word.begin(), word.end(), word.begin(), ::toupper);
            capabilities_.insert(word);
        }
    }
}

ImapClient::~ImapClient() {
    try {
        sendAll("z LOGOUT\r\n");  // polite; the answer does not matter
    } catch (const std::exception&) {
    }
}

std::string ImapClient::mailboxIdentity(const std::string& folder) const {
    const auto scheme = baseUrl_.find("://");
    std::string url = baseUrl_;
    if (!account_.user.empty() && scheme != std::string::npos) url.insert(scheme + 3, account_.user + "@");
    return url + "/" + folder;
}

void ImapClient::fail(const std::string& what) const {
    throw TransferError("IMAP " + what + " on " + mailboxIdentity(""), 0, false);
}

void ImapClient::sendAll(const std::string& bytes) {
    CURL* h = session_.handle();
    std::size_t offset = 0;
    ProgressWindow progress(timeout_);
    while (offset < bytes.size()) {
        std::size_t sent = 0;
        const auto code = curl_easy_send(h, bytes.data() + offset, bytes.size() - offset, &sent);
        if (code == CURLE_OK) {
            offset += sent;
            progress.moved(sent);
            continue;
        }
        if (code != CURLE_AGAIN) fail(std::string("send failed: ") + curl_easy_strerror(code));
        curl_socket_t socket = CURL_SOCKET_BAD;
        curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket);
        pollfd ready{int(socket), POLLOUT, 0};
        const auto left = progress.left();
        if (left.count() <= 0 || ::poll(&ready, 1, int(left.count())) == 0)
            fail("send stalled: " + progress.describe("imap.timeout"));
    }
}

bool ImapClient::fillBuffer(std::chrono::milliseconds timeout) {
    CURL* h = session_.handle();
    if (bufferStart_ > 0 && bufferStart_ == buffer_.size()) {
        buffer_.clear();
        bufferStart_ = 0;
    }
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        // Read before polling: TLS may hold decrypted bytes the socket no longer shows.
        const auto used = buffer_.size();
        buffer_.resize(used + kReadChunk);
        std::size_t received = 0;
        const auto code = curl_easy_recv(h, buffer_.data() + used, kReadChunk, &received);
        buffer_.resize(used + (code == CURLE_OK ? received : 0));
        if (code == CURLE_OK) {
            if (received == 0) fail("connection closed by the server");
            if (progress_) progress_();
            return true;
        }
        if (code != CURLE_AGAIN) fail(std::string("receive failed: ") + curl_easy_strerror(code));
        curl_socket_t socket = CURL_SOCKET_BAD;
        curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket);
        pollfd ready{int(socket), POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0 || ::poll(&ready, 1, int(left.count())) == 0) return false;
    }
}

std::string ImapClient::readLine(std::chrono::milliseconds timeout) {
    ProgressWindow progress(timeout);
    std::size_t searchFrom = bufferStart_;
    for (;;) {
        const auto end = buffer_.find("\r\n", searchFrom);
        if (end != std::string::npos) {
            std::string line = buffer_.substr(bufferStart_, end - bufferStart_);
            bufferStart_ = end + 2;
            return line;
        }
        if (buffer_.size() - bufferStart_ > kMaxLineBytes) fail("response line over 1 MiB");
        searchFrom = buffer_.empty() ? 0 : buffer_.size() - 1;
        if (bufferStart_ > 0) {
            // Keep the buffer from growing with consumed bytes.
            buffer_.erase(0, bufferStart_);
            searchFrom -= std::min(searchFrom, bufferStart_);
            bufferStart_ = 0;
        }
        const auto before = buffer_.size();
        const auto left = progress.left();
        if (left.count() <= 0 || !fillBuffer(left)) fail("timeout: " + progress.describe("imap.timeout"));
        progress.moved(buffer_.size() - before);
    }
}

void ImapClient::readExactly(std::string& into, std::size_t bytes, std::chrono::milliseconds timeout) {
    ProgressWindow progress(timeout);
    into.reserve(bytes);
    while (into.size() < bytes) {
        const std::size_t available = buffer_.size() - bufferStart_;
        if (available == 0) {
            const auto left = progress.left();
            if (left.count() <= 0 || !fillBuffer(left))
                fail("stalled in the middle of a message of " + std::to_string(bytes) + " bytes (" +
                     std::to_string(into.size()) + " arrived): " + progress.describe("imap.timeout"));
            progress.moved(buffer_.size() - bufferStart_);
            continue;
        }
        const std::size_t take = std::min(available, bytes - into.size());
        into.append(buffer_, bufferStart_, take);
        bufferStart_ += take;
    }
}

ImapClient::Untagged ImapClient::readResponse(std::chrono::milliseconds timeout) {
    Untagged response;
    response.text = readLine(timeout);
    while (const auto size = literalSize(response.text)) {
        if (*size > kMaxLiteralBytes) fail("literal of " + std::to_string(*size) + " bytes refused");
        std::string literal;
        readExactly(literal, *size, timeout_);
        response.literals.push_back(std::move(literal));
        response.text += readLine(timeout_);
    }
    return response;
}

std::string ImapClient::sendTagged(const std::string& line) {
    const std::string tag = "c" + std::to_string(nextTag_++);
    sendAll(tag + " " + line + "\r\n");
    return tag;
}

std::vector<ImapClient::Untagged> ImapClient::completion(const std::string& tag, const std::string& what) {
    std::vector<Untagged> untagged;
    for (;;) {
        auto response = readResponse(timeout_);
        if (!response.text.starts_with(tag + " ")) {
            untagged.push_back(std::move(response));
            continue;
        }
        const auto status = response.text.substr(tag.size() + 1);
        if (startsWithNoCase(status, "OK")) return untagged;
        throw TransferError("IMAP " + what + " on " + mailboxIdentity("") + ": server said " + status, 0,
                            startsWithNoCase(status, "NO"));
    }
}

std::vector<ImapClient::Untagged> ImapClient::command(const std::string& line) {
    const auto what = line.substr(0, line.find(' ', line.starts_with("UID ") ? 4 : 0));
    return completion(sendTagged(line), what);
}

SelectedFolder ImapClient::open(const std::string& verb, const std::string& folder) {
    static const std::regex kUidValidity(R"(\[UIDVALIDITY (\d+)\])", std::regex::icase);
    static const std::regex kExists(R"(^\* (\d+) EXISTS)", std::regex::icase);
    SelectedFolder selected;
    for (const auto& response : command(verb + " " + quoteImapString(folder))) {
        if (const auto v = numberAfter(response.text, kUidValidity)) selected.uidValidity = v;
        if (std::regex_search(response.text, kExists)) selected.exists = numberAfter(response.text, kExists);
    }
    if (!selected.uidValidity) fail(verb + " of " + folder + " gave no UIDVALIDITY");
    return selected;
}

SelectedFolder ImapClient::select(const std::string& folder) { return open("SELECT", folder); }

SelectedFolder ImapClient::examine(const std::string& folder) { return open("EXAMINE", folder); }

std::vector<MessageSize> ImapClient::listMessages() {
    static const std::regex kUid(R"(\bUID (\d+))", std::regex::icase);
    static const std::regex kSize(R"(\bRFC822\.SIZE (\d+))", std::regex::icase);
    static const std::regex kDeleted(R"(\bFLAGS \([^)]*\\Deleted\b)", std::regex::icase);
    static const std::regex kSeen(R"(\bFLAGS \([^)]*\\Seen\b)", std::regex::icase);
    std::vector<MessageSize> messages;
    // ALL, not UNSEEN: a message fetched before a crash but never stored must still be found.
    for (const auto& response : command("UID FETCH 1:* (UID RFC822.SIZE FLAGS)")) {
        if (response.text.find(" FETCH ") == std::string::npos) continue;
        if (const auto uid = numberAfter(response.text, kUid))
            messages.push_back({uid, numberAfter(response.text, kSize), std::regex_search(response.text, kDeleted),
                                std::regex_search(response.text, kSeen)});
    }
    std::sort(messages.begin(), messages.end(), [](auto& a, auto& b) { return a.uid < b.uid; });
    return messages;
}

std::vector<FetchedMessage> ImapClient::fetch(const std::vector<unsigned long>& uids) {
    return fetchItem(uids, "BODY.PEEK[]");
}

std::vector<FetchedMessage> ImapClient::fetchHeaders(const std::vector<unsigned long>& uids, std::size_t maxBytes) {
    return fetchItem(uids, "BODY.PEEK[HEADER]<0." + std::to_string(maxBytes) + ">");
}

std::vector<FetchedMessage> ImapClient::fetchHeaderFields(const std::vector<unsigned long>& uids,
                                                          const std::string& fields) {
    return fetchItem(uids, "BODY.PEEK[HEADER.FIELDS (" + fields + ")]");
}

std::vector<FetchedMessage> ImapClient::fetchItem(const std::vector<unsigned long>& uids, const std::string& item) {
    static const std::regex kUid(R"(\bUID (\d+))", std::regex::icase);
    std::vector<FetchedMessage> messages;
    if (uids.empty()) return messages;
    for (auto& response : command("UID FETCH " + imapUidSet(uids) + " (UID " + item + ")")) {
        if (response.text.find(" FETCH ") == std::string::npos || response.literals.empty()) continue;
        if (const auto uid = numberAfter(response.text, kUid))
            messages.push_back({uid, std::move(response.literals.front())});
    }
    return messages;
}

void ImapClient::markSeenAndMove(const std::vector<unsigned long>& uids, const std::string& target) {
    if (uids.empty()) return;
    const auto set = imapUidSet(uids);
    command("UID STORE " + set + " +FLAGS.SILENT (\\Seen)");
    if (hasCapability("MOVE")) {
        command("UID MOVE " + set + " " + quoteImapString(target));
        return;
    }
    command("UID COPY " + set + " " + quoteImapString(target));
    command("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
    // Without UIDPLUS a plain EXPUNGE could remove messages someone else flagged: the source decides
    // (expungeAll), and until then the \Deleted flag says "copied" (listMessages).
    expungeCopied(uids);
}

void ImapClient::expungeCopied(const std::vector<unsigned long>& uids) {
    if (!uids.empty() && hasCapability("UIDPLUS")) command("UID EXPUNGE " + imapUidSet(uids));
}

void ImapClient::flagCopied(const std::vector<unsigned long>& uids) {
    if (uids.empty()) return;
    command("UID STORE " + imapUidSet(uids) + " +FLAGS.SILENT (\\Seen \\Deleted)");
    expungeCopied(uids);
}

std::vector<unsigned long> ImapClient::search(const std::string& criteria) {
    std::vector<unsigned long> uids;
    for (const auto& response : command("UID SEARCH " + criteria)) {
        if (!startsWithNoCase(response.text, "* SEARCH")) continue;
        std::istringstream words(response.text.substr(8));
        for (unsigned long uid; words >> uid;) uids.push_back(uid);
    }
    return uids;
}

void ImapClient::expungeAll() { command("EXPUNGE"); }

void ImapClient::ensureFolder(const std::string& folder) {
    for (const auto& response : command("LIST \"\" " + quoteImapString(folder)))
        if (startsWithNoCase(response.text, "* LIST")) return;
    command("CREATE " + quoteImapString(folder));
}

IdleOutcome ImapClient::idle(std::chrono::seconds refresh, const std::atomic<bool>& stopping) {
    static const std::regex kNewMail(R"(^\* \d+ (EXISTS|RECENT))", std::regex::icase);
    const auto tag = sendTagged("IDLE");
    for (;;) {
        const auto response = readResponse(timeout_);
        if (response.text.starts_with("+")) break;
        if (response.text.starts_with(tag + " ")) fail("IDLE refused: " + response.text.substr(tag.size() + 1));
    }
    auto outcome = IdleOutcome::Refresh;
    const auto until = SteadyClock::now() + refresh;
    // Wake twice a second to see `stopping`; the server's own keep-alives ("* OK Still here") are ignored.
    while (SteadyClock::now() < until) {
        if (stopping) {
            outcome = IdleOutcome::Stopped;
            break;
        }
        if (buffer_.size() == bufferStart_ && !fillBuffer(std::chrono::milliseconds(500))) continue;
        if (std::regex_search(readResponse(timeout_).text, kNewMail)) {
            outcome = IdleOutcome::NewMail;
            break;
        }
    }
    sendAll("DONE\r\n");
    completion(tag, "IDLE");
    return outcome;
}

}  // namespace complaintd::daemon
