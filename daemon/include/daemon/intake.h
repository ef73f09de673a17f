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

#include "center/center_book.h"
#include "center/clock.h"
#include "center/settings.h"
#include "center/store.h"
#include "daemon/heartbeat.h"
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
    IntakeProcessor(const center::Settings& settings, const center::CenterBook& book, Progress progress = {});
    // Every message waiting in the store, in batches of 50. Throws StoreError when the store is unwell
    // (the batch in hand rolls back and waits for the next cycle); one message's own failure does not.
    IntakeReport processPending(center::Store& store, const center::Clock& clock, const std::atomic<bool>& stopping);

private:
    // One message under its own savepoint; quarantined as poisoned when its handling throws.
    void processIsolated(center::Store& store, const center::Clock& clock, long long messageRowId,
                         IntakeReport& report);
    void processOne(center::Store& store, const center::Clock& clock, const center::StoredMessage& message,
                    IntakeReport& report);
    bool attachFollowUp(center::Store& store, const parsers::ParsedMessage& parsed,
                        const center::StoredMessage& message, cases::Timestamp now);
    // Mail the receiving server marked as spam (intake.spam_headers): held, no case number, no letter.
    bool holdSpam(center::Store& store, const parsers::ParsedMessage& parsed, const center::StoredMessage& message,
                  cases::Timestamp now);
    // Auto-replies, list mail, null sender and bounces: held for staff (complaintctl automated), never a
    // case unless released, never answered. True when it was one.
    bool recordAutomated(center::Store& store, const parsers::ParsedMessage& parsed,
                         const center::StoredMessage& message, cases::Timestamp now);
    std::optional<cases::CaseNumber> threadOf(center::Store& store, const parsers::ParsedMessage& parsed,
                                              std::string& how) const;
    // Both move the attachments out of `parsed` into the case.
    void openNewCase(center::Store& store, parsers::ParsedMessage& parsed, const center::StoredMessage& message,
                     cases::Timestamp now);
    // A reply to the satisfaction survey on an answered case: answers stored; a dissatisfied
    // one reopens the case and tells the unit. False when the text holds no readable form.
    bool recordSurveyReply(center::Store& store, const cases::CaseRecord& record, const parsers::ParsedMessage& parsed,
                           const center::StoredMessage& message, cases::Timestamp now);
    // What the center's receiving server says of the From address (mail.authserv_id).
    parsers::SenderAuthentication senderAuthentication(const center::StoredMessage& message,
                                                       const parsers::ParsedMessage& parsed) const;
    // A fax: numbered at once at the intake desk with an OCR job; never answered to the gateway.
    void openFaxCase(center::Store& store, parsers::ParsedMessage& parsed, const center::StoredMessage& message,
                     cases::Timestamp now);
    // Through the e-mail-to-fax gateway, or by post or phone (and why).
    cases::ReplyRoute replyRouteFor(const std::string& faxNumber) const;

    const center::Settings& settings_;
    const center::CenterBook& book_;
    Progress progress_;
};

}  // namespace complaintd::daemon
