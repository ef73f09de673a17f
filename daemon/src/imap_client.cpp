#include "imap_client.h"

#include <regex>

namespace complaintd::daemon {
namespace {

size_t appendToString(char* data, size_t size, size_t count, void* target) {
    static_cast<std::string*>(target)->append(data, size * count);
    return size * count;
}

std::string withoutTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
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

ImapClient::ImapClient(const ServerAccount& account)
    : account_(account), baseUrl_(withoutTrailingSlash(account.url)), session_(account, "imap") {}

std::string ImapClient::folderUrl(const std::string& folder) const {
    if (folder.empty()) return baseUrl_ + "/";
    char* escaped = curl_easy_escape(nullptr, folder.c_str(), int(folder.size()));
    std::string url = baseUrl_ + "/" + escaped;
    curl_free(escaped);
    return url;
}

std::string ImapClient::mailboxIdentity(const std::string& folder) const {
    const auto scheme = baseUrl_.find("://");
    std::string url = baseUrl_;
    if (!account_.user.empty() && scheme != std::string::npos) url.insert(scheme + 3, account_.user + "@");
    return url + "/" + folder;
}

std::string ImapClient::run(const std::string& folder, const std::string& command) {
    std::string output;
    CURL* h = session_.handle();
    curl_easy_setopt(h, CURLOPT_URL, folderUrl(folder).c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command.c_str());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, appendToString);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &output);
    session_.perform("IMAP " + command.substr(0, command.find(' ', 4)) + " on " + mailboxIdentity(folder));
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
    return output;
}

unsigned long ImapClient::uidValidity(const std::string& folder) {
    const auto output = run("", "STATUS " + quoteImapString(folder) + " (UIDVALIDITY)");
    std::smatch match;
    static const std::regex kUidValidity(R"(UIDVALIDITY (\d+))", std::regex::icase);
    if (!std::regex_search(output, match, kUidValidity))
        throw TransferError("IMAP STATUS of " + mailboxIdentity(folder) + " gave no UIDVALIDITY", 0, false);
    return std::stoul(match[1]);
}

std::vector<unsigned long> ImapClient::allUids(const std::string& folder) {
    // ALL, not UNSEEN: a message fetched (and so set \Seen) before a crash
    // but never stored must still be found.
    const auto output = run(folder, "UID SEARCH ALL");
    std::vector<unsigned long> uids;
    static const std::regex kSearchLine(R"(\* SEARCH([ 0-9]*))", std::regex::icase);
    for (auto it = std::sregex_iterator(output.begin(), output.end(), kSearchLine); it != std::sregex_iterator();
         ++it) {
        std::istringstream numbers((*it)[1].str());
        for (unsigned long uid; numbers >> uid;) uids.push_back(uid);
    }
    std::sort(uids.begin(), uids.end());
    return uids;
}

std::string ImapClient::fetch(const std::string& folder, unsigned long uidValidity, unsigned long uid) {
    std::string raw;
    CURL* h = session_.handle();
    const auto url = folderUrl(folder) + ";UIDVALIDITY=" + std::to_string(uidValidity) + "/;UID=" + std::to_string(uid);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, appendToString);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &raw);
    session_.perform("IMAP FETCH uid=" + std::to_string(uid) + " from " + mailboxIdentity(folder));
    return raw;
}

void ImapClient::markSeen(const std::string& folder, unsigned long uid) {
    run(folder, "UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)");
}

void ImapClient::move(const std::string& folder, unsigned long uid, const std::string& target) {
    const auto id = std::to_string(uid);
    try {
        run(folder, "UID MOVE " + id + " " + quoteImapString(target));
    } catch (const TransferError&) {
        // Servers without MOVE: copy, flag deleted, expunge just that UID (UIDPLUS).
        run(folder, "UID COPY " + id + " " + quoteImapString(target));
        run(folder, "UID STORE " + id + " +FLAGS.SILENT (\\Deleted)");
        run(folder, "UID EXPUNGE " + id);
    }
}

void ImapClient::ensureFolder(const std::string& folder) {
    const auto listing = run("", "LIST \"\" " + quoteImapString(folder));
    if (listing.find("* LIST") != std::string::npos) return;
    run("", "CREATE " + quoteImapString(folder));
}

}  // namespace complaintd::daemon
