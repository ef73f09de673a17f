// The SQLite store: raw messages, cases and their history, attachments, the
// outbox, and mailbox state. The database is the queue: a message is stored
// and committed before the source marks or moves it, and a case is opened in
// the same transaction that queues its acknowledgement, so a crash at any
// point loses nothing and duplicates nothing (UNIQUE constraints make a
// re-fetch harmless).
//
// Every method throws StoreError on a database failure (disk full, locked
// longer than the busy timeout); callers treat that as a per-cycle failure.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.h"
#include "cases/error.h"
#include "parsers/mime_parser.h"

namespace Poco::Data {
class Session;
}

namespace complaintd::daemon {

class StoreError : public Error {
public:
    using Error::Error;
};

// Where a message came from: its mailbox identity.
struct MessageOrigin {
    std::string source;   // "imap" or "drop"
    std::string mailbox;  // e.g. "imap://host/INBOX" or the drop folder
    std::optional<unsigned long> uidValidity;
    std::optional<unsigned long> uid;
};

struct IncomingMessage {
    MessageOrigin origin;
    std::string raw;
    std::string messageId;  // without brackets, may be empty
    cases::Channel channel = cases::Channel::Email;
    cases::Timestamp receivedAt{};
};

enum class StoreOutcome { Stored, Duplicate };

struct StoredMessage {
    long long id = 0;
    std::string raw;
    cases::Channel channel = cases::Channel::Email;
    cases::Timestamp receivedAt{};
};

// A case to open, before it has a number.
struct CaseDraft {
    long long messageRowId = 0;  // 0 for cases typed in by staff
    cases::Case fields;          // number is assigned by openCase
    std::vector<parsers::Attachment> attachments;
    std::vector<std::string> defects;
    std::string actor = "complaintd";
};

// A letter ready to queue: the composed bytes and envelope.
struct QueuedLetter {
    std::string kind;  // "acknowledgement"
    std::string envelopeFrom;
    std::string recipient;
    std::string messageId;
    std::string subject;
    std::string raw;
};

struct OutboxItem {
    long long id = 0;
    std::string caseNumber;
    std::string kind;
    std::string envelopeFrom;
    std::string recipient;
    std::string messageId;
    std::string subject;
    std::string raw;
    int attempts = 0;
    std::string state;  // queued, sent, failed
    std::string lastError;
    cases::Timestamp createdAt{};
    cases::Timestamp nextAttemptAt{};
};

struct CaseEvent {
    cases::Timestamp at{};
    std::string actor;
    std::string kind;  // opened, rerouted
    std::string fromUnit;
    std::string toUnit;
    std::string note;
};

struct CaseRecord {
    cases::Case fields;
    std::vector<CaseEvent> history;
    std::vector<std::string> defects;
    std::vector<std::string> attachments;  // "name (type, N bytes)"
};

struct QuarantineEntry {
    long long id = 0;
    std::string source;
    std::string mailbox;
    cases::Timestamp receivedAt{};
    std::size_t size = 0;
    std::string reason;
};

class Store {
public:
    // Opens (creating if needed) the database and brings its schema up to date.
    explicit Store(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Intake.
    StoreOutcome storeIncoming(const IncomingMessage& message);
    bool isKnown(const MessageOrigin& origin);
    std::optional<unsigned long> uidValidity(const std::string& source, const std::string& mailbox);
    void rememberUidValidity(const std::string& source, const std::string& mailbox, unsigned long uidValidity);
    std::vector<StoredMessage> pendingMessages(std::size_t limit);
    void quarantine(long long messageRowId, const std::string& reason);
    std::vector<QuarantineEntry> quarantined();

    // Opens a case with the next number of its year and, in the same
    // transaction, queues the letter `letterFor` makes for that number (if any).
    using LetterMaker = std::function<std::optional<QueuedLetter>(const cases::CaseNumber&)>;
    cases::CaseNumber openCase(const CaseDraft& draft, const LetterMaker& letterFor, cases::Timestamp at);

    // Cases.
    std::vector<cases::Case> listCases();
    std::optional<CaseRecord> findCase(const cases::CaseNumber& number);
    void reroute(const cases::CaseNumber& number, const std::string& unitId, const std::string& actor,
                 const std::string& reason, cases::Timestamp at);

    // Outbox.
    std::vector<OutboxItem> dueLetters(cases::Timestamp at, std::size_t limit);
    std::vector<OutboxItem> outbox();
    void markSent(long long outboxId, cases::Timestamp at);
    void markDeferred(long long outboxId, const std::string& error, cases::Timestamp nextAttempt);
    void markFailed(long long outboxId, const std::string& error);

    // Counters kept apart from the log, for `complaintctl status`.
    void bump(const std::string& counter, long long by = 1);
    std::vector<std::pair<std::string, long long>> counters();

private:
    template <typename Work>
    auto inTransaction(Work&& work) -> decltype(work());
    template <typename Work>
    auto guarded(Work&& work) -> decltype(work());
    void migrate();

    std::unique_ptr<Poco::Data::Session> session_;
    std::string path_;
};

}  // namespace complaintd::daemon
