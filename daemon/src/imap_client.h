// One IMAP connection for intake. libcurl opens it (TLS, STARTTLS, login,
// certificate checks: CURLOPT_CONNECT_ONLY) and then hands us the socket; we
// speak IMAP4rev1 on it ourselves, because libcurl has no IDLE and runs one
// command per message, where batching (UID FETCH of a UID set, one UID MOVE
// for the batch) is what makes intake fast.
//
// Limits: response lines over 1 MiB and literals over kMaxLiteralBytes are
// refused as a protocol error (the connection is then dropped). Folder names
// are ASCII (modified UTF-7 is not encoded here).
//
// Timeouts are on lack of progress, not on the total: a read fails when fewer
// than `timeout` x kLowSpeedBytesPerSecond bytes arrived within `timeout`
// (imap.timeout), so a 20 MB message on a slow line arrives and a stalled
// connection does not hold intake.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "curl_session.h"
#include "daemon/heartbeat.h"

namespace complaintd::daemon {

struct SelectedFolder {
    unsigned long uidValidity = 0;
    unsigned long exists = 0;
};

struct MessageSize {
    unsigned long uid = 0;
    std::size_t bytes = 0;  // RFC822.SIZE
    bool deleted = false;   // flagged \Deleted (by complaintd after a COPY, or by another client)
    bool seen = false;      // flagged \Seen (by complaintd right before its COPY, or by a reader)
};

struct FetchedMessage {
    unsigned long uid = 0;
    std::string raw;
};

enum class IdleOutcome { NewMail, Refresh, Stopped };

class ImapClient {
public:
    // Connects and logs in; throws TransferError naming the account. `progress` is called
    // whenever bytes arrive (a long literal is progress too: heartbeat.h).
    explicit ImapClient(const center::ServerAccount& account, Progress progress = {});
    ~ImapClient();
    ImapClient(const ImapClient&) = delete;
    ImapClient& operator=(const ImapClient&) = delete;

    bool hasCapability(const std::string& name) const { return capabilities_.count(name) > 0; }

    SelectedFolder select(const std::string& folder);
    // EXAMINE: opens `folder` read-only (nothing there is marked by searching it).
    SelectedFolder examine(const std::string& folder);
    // UID, size and \Deleted flag of every message in the selected folder, ascending by UID.
    std::vector<MessageSize> listMessages();
    // The raw messages of `uids` (BODY.PEEK[]: nothing is marked by fetching).
    std::vector<FetchedMessage> fetch(const std::vector<unsigned long>& uids);
    // Only the header blocks of `uids`, at most `maxBytes` each (BODY.PEEK[HEADER]<0.maxBytes>).
    std::vector<FetchedMessage> fetchHeaders(const std::vector<unsigned long>& uids, std::size_t maxBytes);
    // Only the named header fields of `uids` (BODY.PEEK[HEADER.FIELDS (fields)]), e.g. "MESSAGE-ID DATE".
    std::vector<FetchedMessage> fetchHeaderFields(const std::vector<unsigned long>& uids, const std::string& fields);
    // Sets \Seen and moves the messages out of the selected folder: UID MOVE (RFC 6851), or
    // COPY + \Deleted + UID EXPUNGE (UIDPLUS) on servers without MOVE. Without either the
    // messages stay in the folder flagged \Deleted (see expungeAll).
    void markSeenAndMove(const std::vector<unsigned long>& uids, const std::string& target);
    // UID EXPUNGE (UIDPLUS only) of messages already copied and flagged \Deleted.
    void expungeCopied(const std::vector<unsigned long>& uids);
    // Marks messages whose copy is already in the target folder as if markSeenAndMove had just
    // copied them: \Seen and \Deleted, then UID EXPUNGE (UIDPLUS only).
    void flagCopied(const std::vector<unsigned long>& uids);
    // UID SEARCH `criteria` (an IMAP search key, already quoted) in the selected folder.
    std::vector<unsigned long> search(const std::string& criteria);
    // UID SEARCH DELETED: every message flagged \Deleted in the selected folder, by anyone.
    std::vector<unsigned long> deletedUids() { return search("DELETED"); }
    // Plain EXPUNGE: removes every \Deleted message of the selected folder, whoever flagged it.
    void expungeAll();
    void ensureFolder(const std::string& folder);

    // IDLE (RFC 2177) on the selected folder until new mail arrives, `refresh` passes or
    // `stopping` turns true. Throws TransferError when the connection fails.
    IdleOutcome idle(std::chrono::seconds refresh, const std::atomic<bool>& stopping);

    // "imap://user@host:port/FOLDER": the mailbox identity stored with each message.
    std::string mailboxIdentity(const std::string& folder) const;

    static constexpr std::size_t kMaxLiteralBytes = std::size_t(1) << 30;

private:
    // One untagged response, with the literals it carried ({N} markers stay in `text`).
    struct Untagged {
        std::string text;
        std::vector<std::string> literals;
    };

    // Sends a tagged command and reads up to its completion; NO/BAD throw TransferError.
    std::vector<Untagged> command(const std::string& line);
    std::string sendTagged(const std::string& line);
    // Reads one response (a line plus its literals); waits at most `timeout`.
    Untagged readResponse(std::chrono::milliseconds timeout);
    std::string readLine(std::chrono::milliseconds timeout);
    void readExactly(std::string& into, std::size_t bytes, std::chrono::milliseconds timeout);
    // Returns false when nothing arrived within `timeout`.
    bool fillBuffer(std::chrono::milliseconds timeout);
    void sendAll(const std::string& bytes);
    std::vector<Untagged> completion(const std::string& tag, const std::string& what);
    SelectedFolder open(const std::string& verb, const std::string& folder);
    std::vector<FetchedMessage> fetchItem(const std::vector<unsigned long>& uids, const std::string& item);
    [[noreturn]] void fail(const std::string& what) const;

    center::ServerAccount account_;
    Progress progress_;
    std::string baseUrl_;
    CurlSession session_;
    std::set<std::string> capabilities_;
    std::string buffer_;
    std::size_t bufferStart_ = 0;
    unsigned long nextTag_ = 1;
    std::chrono::milliseconds timeout_;
};

// "Processed" -> "\"Processed\"", escaping quotes and backslashes.
std::string quoteImapString(const std::string& text);
// A UID SEARCH key for copies of one message in another folder: not \Deleted, its exact
// RFC822.SIZE and its Message-ID with its angle brackets, from `headerFields` (the message's header
// block or a part of it). nullopt without a Message-ID, or when it cannot be sent as a quoted string
// (8-bit or control characters): then nothing identifies the copy well enough.
std::optional<std::string> copySearchKey(std::string_view headerFields, std::size_t bytes);

// {1,2,3,7,9,10} -> "1:3,7,9:10".
std::string imapUidSet(std::vector<unsigned long> uids);

}  // namespace complaintd::daemon
