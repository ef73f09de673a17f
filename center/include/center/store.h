// The SQLite store: raw messages, cases and their history, attachments, the
// outbox, and mailbox state. The database is the queue: a message is stored
// and committed before the source marks or moves it, and a case is opened in
// the same transaction that queues its acknowledgement, so a crash at any
// point loses nothing and duplicates nothing (UNIQUE constraints make a
// re-fetch harmless).
//
// Every method throws StoreError when the store itself is unwell (disk full, read-only, locked
// longer than the busy timeout, an I/O error, a corrupt file): a failure of the environment,
// which callers treat as a per-cycle failure. A statement the database refuses for what it was
// asked (a constraint or trigger, a column that is not there, JSON we could not have written) is
// StoreInvariantError: a bug of ours, never retried at the loop (intake moves the one message
// that met it aside, see IntakeProcessor::processPending).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.h"
#include "cases/case_record.h"
#include "cases/deadlines.h"
#include "cases/dispositions.h"
#include "cases/error.h"
#include "cases/letter_kind.h"
#include "cases/staff.h"
#include "parsers/mime_parser.h"

namespace Poco {
class Exception;
}
namespace Poco::Data {
class Session;
}

namespace complaintd::center {

// The name under which the sending side's health is kept with the sources' (Store::sourceStatuses).
inline constexpr const char* kOutboxTransport = "outbox";

class StatementCache;

class StoreError : public Error {
public:
    using Error::Error;
};

// The database refused a statement, or gave back what the daemon could not have written: a broken
// invariant, not the store's health (a logic_error: the service ends and systemd restarts it).
class StoreInvariantError : public std::logic_error {
public:
    using std::logic_error::logic_error;
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
    // Not empty: the message is stored straight into the quarantine with this reason (e.g. only the
    // header of a message over limits.message_bytes was fetched); intake never parses it.
    std::string quarantineReason;
};

enum class StoreOutcome { Stored, Duplicate };

struct StoredMessage {
    long long id = 0;
    std::string raw;
    cases::Channel channel = cases::Channel::Email;
    cases::Timestamp receivedAt{};
    // Another message came first with its Message-ID and other bytes (messages.duplicate_of).
    bool sharesMessageId = false;
};

// Where a stored message stands, for complaintctl quarantine show.
struct MessagePlace {
    std::string state;   // new, processed, quarantined
    std::string reason;  // why it was quarantined (kept when staff open it as a case), "automated: ...", ...
    std::optional<cases::CaseNumber> caseNumber;  // the case it opened or was attached to
    std::string kind;                             // how: complaint, follow-up, automated, bounce
};

// A message of a case (Store::caseMessages).
struct CaseMessage {
    long long id = 0;      // the message's row, as `complaintctl message ID` names it
    std::string kind;      // complaint, follow-up, automated, bounce
    bool flagged = false;  // a follow-up from someone other than the complainant
    cases::Channel channel = cases::Channel::Email;
    cases::Timestamp receivedAt{};
};

// A case to open, before it has a number.
struct CaseDraft {
    long long messageRowId = 0;  // 0 for cases typed in by staff
    cases::Case fields;          // number is assigned by openCase
    std::vector<parsers::Attachment> attachments;
    std::vector<std::string> defects;
    std::vector<cases::Suggestion> suggestions;
    std::string referral;          // referral directory id when the case is outside the center's remit
    cases::ReplyRoute replyRoute;  // how letters reach the complainant when not by e-mail (fax cases)
    bool ocrPending = false;       // a fax: its pages wait for OCR (the job is created with the case)
    std::string actor = "complaintd";
    std::string text;  // the message's whole decoded text, for the search index ("" for none)
};

// A fax case waiting for OCR of its pages.
struct OcrJob {
    cases::CaseNumber number;
    long long messageRowId = 0;
    int attempts = 0;
};

// What OCR found, as Procedure::applyOcr decided to write it (Store::completeOcr).
struct OcrOutcome {
    cases::Case updated;  // OCR's proposal: summary, routing, unit, category, status and complainant
    std::string text;
    int confidence = 0;
    std::string pagesJson;  // per page: number, confidence, low, defect
    std::string note;       // for the history
};

// What Procedure::applyOcr did with OCR's routing.
enum class OcrApplied { Routed, Suggested, NothingToRoute };

// A letter ready to queue: the composed bytes and envelope.
struct QueuedLetter {
    cases::LetterKind kind = cases::LetterKind::Acknowledgement;
    std::string envelopeFrom;
    std::string recipient;
    std::string messageId;
    std::string subject;
    std::string raw;
    // Not empty: the letter is stored held, with this reason ("per-address cap", ...), and never
    // sent until staff release it (complaintctl outbox release).
    std::string heldReason;
};

enum class LetterBytes { Included, Omitted };

// Where a letter of the outbox stands. Stored by idOf() (the outbox table's CHECK lists them).
enum class OutboxState {
    Queued,     // waiting for its next attempt
    Sent,       // a mail server accepted it
    Failed,     // gave up (attempts, a permanent error, a bounce)
    Held,       // held for staff by a cap
    Discarded,  // a held one staff dropped
};
std::string_view idOf(OutboxState state);  // "queued", "sent", "failed", "held", "discarded"
std::optional<OutboxState> outboxStateFrom(std::string_view id);

struct OutboxItem {
    long long id = 0;
    std::string caseNumber;
    cases::LetterKind kind = cases::LetterKind::Acknowledgement;
    std::string envelopeFrom;
    std::string recipient;
    std::string messageId;
    std::string subject;
    std::string raw;
    int attempts = 0;
    OutboxState state = OutboxState::Queued;
    std::string lastError;
    cases::Timestamp createdAt{};
    cases::Timestamp nextAttemptAt{};
    std::string heldReason;  // why it is (or was) held: per-address cap, per-domain cap, ...
};

// What the service counts, apart from the log (complaintctl status). Stored by idOf().
enum class Counter {
    MessagesStored,
    CasesOpened,
    FollowUps,
    MessagesQuarantined,
    MessagesPoisoned,
    MessagesAutomated,
    MessagesSpam,
    ImapMessagesOversized,
    DropFilesRejected,
    LettersSent,
    LettersDeferred,
    LettersFailed,
    LettersHeld
};
std::string_view idOf(Counter counter);  // "cases_opened", ...

struct QuarantineEntry {
    long long id = 0;
    std::string source;
    std::string mailbox;
    cases::Timestamp receivedAt{};
    std::size_t size = 0;
    std::string reason;
};

// Why intake held a message instead of opening a case: automated mail or spam (mail_safety.h).
struct HeldNote {
    std::string kind;  // bounce, auto-reply, list, null-sender, spam
    std::string reason;
    std::string sender;         // the From address as written (may be empty)
    std::string subject;        // decoded
    bool confidential = false;  // the message itself asks for 密件: its sender and subject are hidden too
};

// A held message as staff see it (complaintctl automated / spam). The raw message stays in the store.
struct HeldMessage {
    long long id = 0;  // the message row
    HeldNote note;
    cases::Timestamp receivedAt{};
    cases::Timestamp heldAt{};
    std::string linkedCase;           // the case it threads to, or whose letter bounced
    bool linkedConfidential = false;  // that case is 密件: sender and subject are the complainant's
    std::string releasedCase;         // the case staff released it into
    std::string releasedBy;
    std::optional<cases::Timestamp> releasedAt;

    // Its sender, subject and text name a complainant to protect: shown only with --reveal.
    bool confidential() const { return linkedConfidential || note.confidential; }
};

enum class HeldList { Automated, Spam };

// How a source fared: for complaintctl status and the per-source backoff.
struct SourceStatus {
    std::string name;
    std::optional<cases::Timestamp> lastSuccess;
    std::string lastError;
    std::optional<cases::Timestamp> lastErrorAt;
    int failures = 0;  // consecutive
};

// One change of the staff directory, as `complaintctl staff history` prints it.
struct StaffEvent {
    std::string staffId;
    cases::Timestamp at{};
    std::string actor;
    std::string note;  // "added: ...", "roles handler -> handler,supervisor", "disabled"
};

class Store {
public:
    // Opens (creating if needed) the database and brings its schema up to date.
    explicit Store(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Runs `work` in one transaction: the Store calls inside it join it, so a batch of them
    // reaches the disk with one sync. Anything `work` throws rolls the whole batch back.
    void inOneTransaction(const std::function<void()>& work);
    // Inside inOneTransaction: runs `work` under a SAVEPOINT of its own. When `work` throws anything
    // but StoreError, its changes alone are undone (ROLLBACK TO) and the exception goes on: the
    // batch's other work stays, to commit with it. A StoreError (or a database that dropped the
    // whole transaction) goes on as StoreError: the batch is lost, the caller lets it roll back.
    void inSavepoint(const std::function<void()>& work);

    // Intake.
    StoreOutcome storeIncoming(const IncomingMessage& message);
    // A batch of messages in one transaction (one sync to disk), outcomes in order.
    std::vector<StoreOutcome> storeIncoming(const std::vector<IncomingMessage>& messages);
    bool isKnown(const MessageOrigin& origin);
    std::optional<unsigned long> uidValidity(const std::string& source, const std::string& mailbox);
    void rememberUidValidity(const std::string& source, const std::string& mailbox, unsigned long uidValidity);
    std::vector<StoredMessage> pendingMessages(std::size_t limit);
    // The same without the raw bytes, for reading them one at a time (message()).
    std::vector<long long> pendingMessageIds(std::size_t limit);
    void quarantine(long long messageRowId, const std::string& reason);
    std::vector<QuarantineEntry> quarantined();

    // Opens a case with the next number of its year and, in the same
    // transaction, queues the letter `letterFor` makes for that number (if any).
    using LetterMaker = std::function<std::optional<QueuedLetter>(const cases::CaseNumber&)>;
    cases::CaseNumber openCase(const CaseDraft& draft, const LetterMaker& letterFor, cases::Timestamp at);

    // Cases.
    std::vector<cases::Case> listCases();  // the fields of every case, as caseSummaries(All)
    // The cases without their large texts (OCR text, reply, defects, suggestions) and history:
    // fields, delay reason, needs-review and delivery-failed. AwaitingAnswer: only those whose
    // deadlines run (cases::isAwaitingAnswer, with deadlines), for the deadline watcher.
    enum class CaseSelection { All, DeadlinesRunning };  // DeadlinesRunning: cases::deadlinesRun
    std::vector<cases::CaseRecord> caseSummaries(CaseSelection which);
    std::vector<cases::CaseRecord> caseRecords(std::optional<int> rocYear = std::nullopt);
    std::optional<cases::CaseRecord> findCase(const cases::CaseNumber& number);
    // The cases with text (fields, messages, OCR text, reply) that holds `query` (center/
    // search_text.h: words, and CJK substrings of two characters or more), as caseSummaries gives
    // them, oldest first. InvalidRequestError for a query with nothing to find by.
    std::vector<cases::CaseRecord> searchCases(const std::string& query);
    void reroute(const cases::CaseNumber& number, const std::string& unitId, const std::string& actor,
                 const std::string& reason, cases::Timestamp at);
    // Earlier cases of the same complainant (same e-mail, or same name and phone).
    std::vector<cases::EarlierCase> earlierCasesOf(const cases::Complainant& complainant);

    // Threading: the case a letter we sent belongs to, by its Message-ID.
    std::optional<cases::CaseNumber> caseOfSentLetter(const std::vector<std::string>& messageIds);
    // Attaches a stored message to a case as a follow-up (no new case) and marks it processed.
    // `flagged`: the sender is not the complainant; `needsReview`: staff should read it (the case
    // shows it until its next reply). Changes no status: that is the procedure's (or staff's) call.
    void addFollowUp(const cases::CaseNumber& number, long long messageRowId, bool flagged, bool needsReview,
                     const std::string& note, cases::Timestamp at, const std::string& text = "");

    // The lifecycle. Each refuses a move the procedure does not allow (InvalidRequestError with what is allowed).
    void changeStatus(const cases::CaseNumber& number, const cases::StatusChange& change);
    // A draft for sign-off: the reply, or with `proposedFiling` the memo proposing to file the case.
    void recordReply(const cases::CaseNumber& number, const std::string& text, const std::string& handler,
                     cases::Timestamp at, std::optional<cases::FilingReason> proposedFiling = std::nullopt);
    // Records a signature on the draft named `draftRevision` (CaseRecord::replyRevision, as the signer
    // read it) and returns the case as it stands after it. InvalidRequestError, and nothing recorded,
    // when the case has no drafted reply or its draft is no longer that revision (a new `reply` came
    // between). Whether the reply is then signed off is the procedure's rule (center/procedure.h).
    cases::CaseRecord sign(const cases::CaseNumber& number, cases::ApprovalRole role, const std::string& actor,
                           const std::string& draftRevision, cases::Timestamp at);
    // Queues a letter about the case (state queued, or held when it carries a held reason).
    void queueLetter(const cases::CaseNumber& number, const QueuedLetter& letter, cases::Timestamp at);
    // The revision that names a draft: 12 hex digits of the SHA-256 of its handler and text.
    static std::string draftRevision(const std::string& handler, const std::string& text);
    void file(const cases::CaseNumber& number, cases::FilingReason reason, const std::string& actor,
              const std::string& note, cases::Timestamp at);
    void setDelayReason(const cases::CaseNumber& number, const std::string& reason, const std::string& actor,
                        cases::Timestamp at);
    // 移送: the case is referred to `referralId` (the referral directory's id): status referred,
    // with its history line.
    void recordReferral(const cases::CaseNumber& number, const std::string& referralId, const std::string& actor,
                        const std::string& note, cases::Timestamp at);
    // Writes the correctable fields of `fields` (cases::correction.h) into the case, with one
    // "corrected" history line per note.
    void correctCase(const cases::CaseNumber& number, const cases::Case& fields, const std::vector<std::string>& notes,
                     const std::string& actor, cases::Timestamp at);
    // An audit line that changes nothing else (e.g. confidential fields revealed).
    void audit(const cases::CaseNumber& number, cases::EventKind kind, const std::string& actor,
               const std::string& note, cases::Timestamp at);

    // Mail safety. An automated message (auto-reply, list mail) is recorded, on its case's history
    // when it threads to one, and never opens a case. A bounce marks the letter it answers failed
    // and the case as needing a reply by post or phone. Both mark the message processed.
    // Each is also held (heldMessages) for staff to read and release.
    void recordAutomated(long long messageRowId, const HeldNote& note, const std::optional<cases::CaseNumber>& number,
                         cases::Timestamp at);
    std::optional<cases::CaseNumber> recordBounce(long long messageRowId, const std::vector<std::string>& letterIds,
                                                  const HeldNote& note, cases::Timestamp at);
    // Spam as the receiving server marked it: held, no case, no number, no letter.
    void holdSpam(long long messageRowId, const HeldNote& note, cases::Timestamp at);
    std::vector<HeldMessage> heldMessages(HeldList list);
    std::optional<HeldMessage> heldMessage(long long messageRowId);
    // A staff action on a held message (shown), for the audit trail.
    void auditMessage(long long messageRowId, cases::EventKind kind, const std::string& actor, const std::string& note,
                      cases::Timestamp at);
    std::vector<cases::CaseEvent> messageHistory(long long messageRowId);
    // Opens `draft` (made from the held message) as a case in one transaction with the record of the
    // release; InvalidRequestError when the message is not held or was released before.
    cases::CaseNumber releaseHeld(long long messageRowId, const CaseDraft& draft, cases::Timestamp at);
    // Automatic letters (acknowledgements, referrals) queued since `since`, held and discarded
    // ones left out: to the mailbox of `recipient` (cases::mailboxKey, so victim+1@ and victim@
    // count together), to its domain, and to anyone.
    int automaticLettersTo(const std::string& recipient, cases::Timestamp since);
    int automaticLettersToDomain(const std::string& recipient, cases::Timestamp since);
    int automaticLettersSince(cases::Timestamp since);

    // The satisfaction survey (附表二) returned for a case: the latest answers, as JSON (survey_codec.h).
    struct StoredSurvey {
        std::string status;  // complete, partial, unreadable
        std::string source;  // mail, paper, phone, fax
        std::string answersJson;
        cases::Timestamp at{};
    };
    void saveSurvey(const cases::CaseNumber& number, const StoredSurvey& survey, const std::string& rawText,
                    const std::string& actor);
    std::optional<StoredSurvey> survey(const cases::CaseNumber& number);
    // Every round of answers, the first first: a survey answered again after a reopened case's
    // new reply is a new round, the earlier ones stay.
    std::vector<StoredSurvey> surveyRounds(const cases::CaseNumber& number);

    // The signed-off replies that go by post and were not printed since they were signed off (no
    // reply letter queued for them, no "printed" history line), oldest case first.
    std::vector<cases::CaseNumber> repliesToPrint();

    // A reopened case's new deadlines (the first ones kept for the reports, CaseRecord::firstDeadlines);
    // its reminders and delay notice start again, the old delay reason goes.
    void renewDeadlines(const cases::CaseNumber& number, const cases::Deadlines& deadlines, const std::string& actor,
                        cases::Timestamp at);

    // 發文字號: the next number of the ROC year of `at` (a sequence kept here, from 1 each year)
    // in `pattern` (cases/document_number.h), written as the case's reply letter's number.
    std::string assignDocumentNumber(const cases::CaseNumber& number, const std::string& pattern, cases::Timestamp at);

    // Fax OCR jobs: created with the case, resumed after a crash until done or failed.
    std::vector<OcrJob> pendingOcrJobs(std::size_t limit);
    // Records what OCR found as Procedure::applyOcr decided: the job done, the "ocr" history line,
    // the unit and rule when `applied` is Routed (the status is the procedure's to move), an
    // "ocr-suggestion" line when it is Suggested. The summary replaces only the placeholder,
    // complainant fields fill only empty ones, 密件 is only ever added.
    void completeOcr(const cases::CaseNumber& number, const OcrOutcome& outcome, OcrApplied applied,
                     cases::Timestamp at);
    // Counts a failed attempt; after `maxAttempts` the job fails and the case waits for a manual summary:
    // its summary, while still kFaxSummaryPending, becomes kFaxSummaryUnread.
    static constexpr const char* kFaxSummaryPending = "（傳真內容辨識中）";
    static constexpr const char* kFaxSummaryUnread = "（傳真無法自動辨識，請閱讀所附頁面）";
    void failOcr(const cases::CaseNumber& number, const std::string& error, int maxAttempts, cases::Timestamp at);

    // Notices sent once per case and threshold (reminders to units, delay notices).
    // Records (kind, threshold) and queues `letter` unless that was recorded before; true when newly
    // recorded. A nullopt letter only records it (a threshold passed while the daemon was down).
    bool queueNoticeOnce(const cases::CaseNumber& number, cases::LetterKind kind, int threshold,
                         const std::optional<QueuedLetter>& letter, cases::Timestamp at);

    // Outbox.
    std::vector<OutboxItem> dueLetters(cases::Timestamp at, std::size_t limit);
    // Every letter; with LetterBytes::Omitted without its bytes (raw stays empty), for lists and counts.
    std::vector<OutboxItem> outbox(LetterBytes bytes = LetterBytes::Included);
    // Records a letter the mail server accepted as sent, at most once: nullopt (and nothing written)
    // when the letter is not queued under `messageId`, i.e. it was recorded before (a journal
    // replayed, see accepted_journal.h) or the id names another letter (a journal beside a restored
    // database). What it means for the case is the procedure's (center::recordLetterAccepted).
    struct AcceptedLetter {
        cases::LetterKind kind = cases::LetterKind::Acknowledgement;
        std::optional<cases::CaseNumber> caseNumber;
    };
    std::optional<AcceptedLetter> markAccepted(long long outboxId, const std::string& messageId, cases::Timestamp at);
    void markDeferred(long long outboxId, const std::string& error, cases::Timestamp nextAttempt);
    void markFailed(long long outboxId, const std::string& error);

    // Sources and staff actions on the queues.
    void recordSourceSuccess(const std::string& source, cases::Timestamp at);
    void recordSourceFailure(const std::string& source, const std::string& error, cases::Timestamp at);
    std::vector<SourceStatus> sourceStatuses();
    std::optional<StoredMessage> message(long long messageRowId);
    std::optional<MessagePlace> messagePlace(long long messageRowId);
    // Every message attached to the case, in the order they arrived: the complaint, follow-ups,
    // survey answers, auto-replies and bounces of our letters (without their bytes: message()).
    std::vector<CaseMessage> caseMessages(const cases::CaseNumber& number);
    // Puts a quarantined message back in line for the next cycle; false when it is not quarantined.
    bool retryQuarantined(long long messageRowId);
    // Queues a failed letter again, now; false when it has not failed.
    bool retryLetter(long long outboxId, const std::string& actor, cases::Timestamp at);
    // A held letter queued to go now, or discarded (kept, never sent); each recorded on the
    // case's history with the actor. False when the letter is not held.
    bool releaseLetter(long long outboxId, const std::string& actor, cases::Timestamp at);
    // A queued letter held for staff (complaintd's decision, e.g. its sending was interrupted twice),
    // with a history line on its case; false when it is not queued.
    bool holdLetter(long long outboxId, const std::string& reason, cases::Timestamp at);
    bool discardLetter(long long outboxId, const std::string& actor, cases::Timestamp at);

    // The staff directory (store_staff.cpp). Every change is a staff_events line with its actor.
    // addStaff: InvalidRequestError when the id is taken.
    void addStaff(const cases::StaffMember& member, const std::string& actor, cases::Timestamp at);
    // Writes `member` over the entry of its id (NotFoundError without one); `note` says what changed.
    void updateStaff(const cases::StaffMember& member, const std::string& actor, const std::string& note,
                     cases::Timestamp at);
    std::vector<cases::StaffMember> staff();  // by id
    std::optional<cases::StaffMember> findStaff(const std::string& id);
    std::vector<StaffEvent> staffHistory(const std::string& staffId = "");  // "" for all, oldest first

    // Counters kept apart from the log, for `complaintctl status`.
    void bump(Counter counter, long long by = 1);
    std::vector<std::pair<std::string, long long>> counters();

    // Maintenance (store_maintenance.cpp).
    // A consistent copy of the whole database at one moment, taken while the daemon may write
    // (SQLite's online backup in one read transaction), written to FILE.tmp-PID, checked, synced and
    // renamed to `file`. StoreError when it cannot be written.
    void backupTo(const std::string& file);
    // PRAGMA integrity_check and foreign_key_check, then the store's own invariants: every message
    // is pending, has its case, its quarantine entry or its held entry, and has its raw bytes; every
    // sent letter has the time the server accepted it. One line per violation; empty: all is well.
    std::vector<std::string> check();

private:
    long long caseId(const cases::CaseNumber& number);
    cases::CaseStatus statusOf(long long caseId);
    // A "status" event's move (case_events.from_status, to_status); written by setStatus only.
    struct StatusMove {
        cases::CaseStatus from;
        cases::CaseStatus to;
    };
    void addEvent(long long caseId, cases::EventKind kind, const std::string& actor, const std::string& note,
                  cases::Timestamp at, const std::string& fromUnit = "", const std::string& toUnit = "",
                  std::optional<StatusMove> move = std::nullopt);
    void setStatus(long long caseId, const cases::CaseNumber& number, const cases::StatusChange& change);
    void queueLetter(long long caseId, const QueuedLetter& letter, cases::Timestamp at);
    // The case id (0: none) of a letter in `state`; nullopt when the letter is not in that state.
    std::optional<long long> letterCase(long long outboxId, const std::string& state);
    void flagPossibleDuplicate(long long caseId, long long messageRowId, cases::Timestamp at);
    // The search index's row `source` of the case: replaced by `text`'s tokens (nothing when empty).
    void indexText(long long caseId, const std::string& source, const std::string& text);

    // BEGIN IMMEDIATE ... COMMIT; inside inOneTransaction() part of the transaction already open.
    template <typename Work>
    auto inTransaction(Work&& work) -> decltype(work());
    template <typename Work>
    auto guarded(Work&& work) -> decltype(work());
    // StoreError when the exception (or the connection's last result code) says the store is unwell,
    // StoreInvariantError otherwise; both name the database.
    [[noreturn]] void throwTranslated(const Poco::Exception& e) const;
    void migrate();

    std::unique_ptr<Poco::Data::Session> session_;
    std::unique_ptr<StatementCache> sql_;  // the per-message statements, prepared once; closed first
    std::string path_;
    int transactionDepth_ = 0;
};

}  // namespace complaintd::center
