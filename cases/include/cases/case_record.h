// A case as the register holds it: its record form (cases::Case) with its history, the reply
// and its signatures, and what happened to it. The store reads and writes these; the procedure
// (center/procedure.h), complaintctl and documents/ read them. Pure data, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"
#include "cases/deadlines.h"
#include "cases/dispositions.h"
#include "cases/event_kind.h"
#include "cases/lifecycle.h"

namespace complaintd::cases {

// One line of a case's history: every change, who made it, when and why.
struct CaseEvent {
    Timestamp at{};
    std::string actor;
    EventKind kind = EventKind::Opened;
    std::string fromUnit;
    std::string toUnit;
    std::string note;
    // A "status" event: the move (schema version 9). Empty for other kinds.
    std::optional<CaseStatus> fromStatus;
    std::optional<CaseStatus> toStatus;
};

// A status change with its audit line.
struct StatusChange {
    CaseStatus to;
    std::string actor;
    std::string note;
    Timestamp at{};
};

// The two signatures a reply needs before it goes out (核判).
enum class ApprovalRole { Supervisor, Approver };

struct Approval {
    std::string by;
    std::optional<Timestamp> at;
};

// How letters reach the complainant: by e-mail (the default), through the e-mail-to-fax gateway,
// or by post or phone (with the reason no letter can be mailed). Stored as its text.
struct ReplyRoute {
    enum class Way { EMail, Fax, PostOrPhone };
    Way way = Way::EMail;
    std::string detail;  // the gateway address for Fax, the reason for PostOrPhone

    static ReplyRoute byFax(std::string address) { return {Way::Fax, std::move(address)}; }
    static ReplyRoute byPostOrPhone(std::string reason) { return {Way::PostOrPhone, std::move(reason)}; }
    // "" (e-mail), "fax: ADDRESS" or "post or phone: REASON"; parse reads what toString wrote.
    std::string toString() const;
    static ReplyRoute parse(std::string_view text);
};

struct CaseRecord {
    Case fields;
    std::vector<CaseEvent> history;
    std::vector<std::string> defects;
    std::vector<std::string> attachments;  // "name (type, N bytes)"
    std::vector<Suggestion> suggestions;
    std::string handler;    // 承辦人
    std::string replyText;  // 回覆內容
    // Names the draft (center::Store::draftRevision of handler and text); an approval names it too,
    // so that a draft changed after the approver read it is never signed nor sent. Empty without one.
    std::string replyRevision;
    Approval supervisor;  // 主管
    Approval approver;    // 批准
    std::optional<Timestamp> closedAt;
    std::optional<FilingReason> filedReason;
    // The draft is a filing memo (簽陳存查) for this reason, not a reply: signed off, the case is filed.
    std::optional<FilingReason> proposedFiling;
    std::string referral;
    std::string delayReason;
    bool needsReview = false;     // a follow-up came from someone other than the complainant
    bool deliveryFailed = false;  // a letter bounced: reply by post or phone
    ReplyRoute replyRoute;
    std::string ocrText;            // the fax pages as read by OCR
    std::string possibleDuplicate;  // "same Message-ID as message N (case X)": another message, same id
    std::string documentNumber;     // 發文字號 of the reply letter, given at sign-off; empty before
    // The deadlines the case opened with, once a reopening gave it new ones (fields.deadlines).
    std::optional<Deadlines> firstDeadlines;
};

}  // namespace complaintd::cases
