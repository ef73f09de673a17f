// Turns stored messages into cases: parse -> thread or route -> open case ->
// queue the acknowledgement (or the referral letter). A message that cannot
// be parsed is quarantined with the reason, never dropped; one that belongs to
// an existing case (a [115-001] tag in the subject, or a reply to a letter we
// sent) becomes a follow-up of that case. Messages are handled 50 to a
// transaction (one sync to disk), each under a savepoint of its own: a crash
// leaves a message either untouched (and taken again next cycle) or fully
// handled, and a message whose handling throws (a bug met by that message) is
// rolled back alone and quarantined with the exception's text while the rest
// of its batch goes on. Auto-replies, list mail, bounces and spam never open a case and are
// never answered (no mail loops); they are held where staff can read and
// release them (complaintctl automated, complaintctl spam).
#pragma once

#include <atomic>

#include "daemon/center_book.h"
#include "daemon/clock.h"
#include "daemon/heartbeat.h"
#include "daemon/settings.h"
#include "daemon/store.h"
#include "parsers/authentication_results.h"
#include "parsers/mime_parser.h"

namespace complaintd::daemon {

struct IntakeReport {
    int opened = 0;
    int followUps = 0;
    int automated = 0;
    int spam = 0;
    int quarantined = 0;
    int poisoned = 0;  // handling threw: quarantined with the exception's text (counter messages_poisoned)
};

class IntakeProcessor {
public:
    // `progress` is called as each message is taken (the watchdog's food, heartbeat.h).
    IntakeProcessor(const Settings& settings, const CenterBook& book, Progress progress = {});
    // Every message waiting in the store, in batches of 50. Throws StoreError when the store is unwell
    // (the batch in hand rolls back and waits for the next cycle); one message's own failure does not.
    IntakeReport processPending(Store& store, const Clock& clock, const std::atomic<bool>& stopping);

private:
    // One message under its own savepoint; quarantined as poisoned when its handling throws.
    void processIsolated(Store& store, const Clock& clock, long long messageRowId, IntakeReport& report);
    void processOne(Store& store, const Clock& clock, const StoredMessage& message, IntakeReport& report);
    bool attachFollowUp(Store& store, const parsers::ParsedMessage& parsed, const StoredMessage& message,
                        cases::Timestamp now);
    // Mail the receiving server marked as spam (intake.spam_headers): held, no case number, no letter.
    bool holdSpam(Store& store, const parsers::ParsedMessage& parsed, const StoredMessage& message,
                  cases::Timestamp now);
    // Auto-replies, list mail, null sender and bounces: held for staff (complaintctl automated), never a
    // case unless released, never answered. True when it was one.
    bool recordAutomated(Store& store, const parsers::ParsedMessage& parsed, const StoredMessage& message,
                         cases::Timestamp now);
    std::optional<cases::CaseNumber> threadOf(Store& store, const parsers::ParsedMessage& parsed,
                                              std::string& how) const;
    // Both move the attachments out of `parsed` into the case.
    void openNewCase(Store& store, parsers::ParsedMessage& parsed, const StoredMessage& message, cases::Timestamp now);
    // A reply to the satisfaction survey on an answered case: answers stored; a dissatisfied
    // one reopens the case and tells the unit. False when the text holds no readable form.
    bool recordSurveyReply(Store& store, const CaseRecord& record, const parsers::ParsedMessage& parsed,
                           const StoredMessage& message, cases::Timestamp now);
    void reopenForDissatisfaction(Store& store, const CaseRecord& record, const std::string& how,
                                  cases::Timestamp now) const;
    // What the center's receiving server says of the From address (mail.authserv_id).
    parsers::SenderAuthentication senderAuthentication(const StoredMessage& message,
                                                       const parsers::ParsedMessage& parsed) const;
    // A fax: numbered at once at the intake desk with an OCR job; never answered to the gateway.
    void openFaxCase(Store& store, parsers::ParsedMessage& parsed, const StoredMessage& message, cases::Timestamp now);
    // "fax: ADDRESS" through the e-mail-to-fax gateway, or "post or phone: WHY".
    std::string replyRouteFor(const std::string& faxNumber) const;
    // The acknowledgement, or the referral letter for a case outside the center's remit.
    std::optional<QueuedLetter> firstLetter(const CaseDraft& draft, const cases::CaseNumber& number,
                                            cases::Timestamp now, const std::vector<std::string>& threadIds) const;

    const Settings& settings_;
    const CenterBook& book_;
    LetterOffice letters_;
    Progress progress_;
};

// 不滿意則續辦: reopens an answered case after a dissatisfied survey and queues the
// "dissatisfied" letter to its unit. Used by intake and by complaintctl survey.
void reopenDissatisfied(Store& store, const LetterOffice& letters, const CaseRecord& record, const std::string& how,
                        cases::Timestamp now);

}  // namespace complaintd::daemon
