// The few IMAP commands intake needs, over libcurl. One connection is reused
// across calls (libcurl keeps it open and re-selects only when the folder
// changes). Folder names are ASCII (modified UTF-7 is not encoded here).
#pragma once

#include <string>
#include <vector>

#include "curl_session.h"

namespace complaintd::daemon {

class ImapClient {
public:
    explicit ImapClient(const ServerAccount& account);

    unsigned long uidValidity(const std::string& folder);
    std::vector<unsigned long> allUids(const std::string& folder);
    // The raw message; fails if the folder's UIDVALIDITY is no longer `uidValidity`.
    std::string fetch(const std::string& folder, unsigned long uidValidity, unsigned long uid);
    void markSeen(const std::string& folder, unsigned long uid);
    // MOVE (RFC 6851), or COPY + \Deleted + UID EXPUNGE where MOVE is missing.
    void move(const std::string& folder, unsigned long uid, const std::string& target);
    void ensureFolder(const std::string& folder);
    // "imap://user@host:port/FOLDER": the mailbox identity stored with each message.
    std::string mailboxIdentity(const std::string& folder) const;

private:
    // Runs `command` (with `folder` selected first when not empty); returns the untagged responses.
    std::string run(const std::string& folder, const std::string& command);
    std::string folderUrl(const std::string& folder) const;

    ServerAccount account_;
    std::string baseUrl_;
    CurlSession session_;
};

// "Processed" -> "\"Processed\"", escaping quotes and backslashes.
std::string quoteImapString(const std::string& text);

}  // namespace complaintd::daemon
