// What a case is: the fields of the case record form (附表一), its number,
// channel, category and status, and the pure rules that derive them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/deadlines.h"
#include "cases/roc_calendar.h"

namespace complaintd::cases {

// 客訴方式: how the complaint reached the center.
enum class Channel { Email, Fax, Phone, Letter, InPerson };

// 客訴類別: the five categories of procedure §1.
enum class Category { Suggestion, Inquiry, Misconduct, Rights, Other };

// Where a case stands in the procedure; lifecycle.h says which moves are allowed.
enum class CaseStatus {
    Received,      // registered at the intake desk, waiting for triage (總收文)
    Assigned,      // handed to the handling unit (分文)
    InProgress,    // the unit is working on it (辦理中)
    ReplyDrafted,  // the handler wrote the reply (承辦), awaiting sign-off
    SignedOff,     // supervisor and approver signed (主管、批准); the reply letter is queued
    Replied,       // the reply reached the complainant (函復)
    Closed,        // closed in the register (結案)
    Archived,      // filed away (存檔)
    Reopened,      // the complainant was not satisfied (不滿意則續辦)
    Filed,         // registered but not handled, for one of the four reasons (存查)
    Referred,      // outside the center's remit; the competent authority was named (轉介)
};

// Stable English ids (config, JSON, CLI) and zh-TW labels (letters, reports).
std::string_view idOf(Channel channel);
std::string_view labelOf(Channel channel);
std::string_view idOf(Category category);
std::string_view labelOf(Category category);
std::string_view idOf(CaseStatus status);
std::string_view labelOf(CaseStatus status);

// Accepts the id or the zh-TW label; nullopt when it is neither.
std::optional<Channel> channelFrom(std::string_view text);
std::optional<Category> categoryFrom(std::string_view text);
std::optional<CaseStatus> statusFrom(std::string_view text);

// 案件編號 "115-001": ROC year, dash, sequence within that year (3 digits or more).
struct CaseNumber {
    int rocYear = 0;
    int sequence = 0;

    std::string toString() const;
    static std::optional<CaseNumber> parse(std::string_view text);
    friend bool operator==(const CaseNumber&, const CaseNumber&) = default;
};

// The number after `lastSequenceOfYear` (0 when the year has no case yet).
CaseNumber nextCaseNumber(int rocYear, int lastSequenceOfYear);

struct Complainant {
    std::string name;
    std::string email;
    std::string phone;
    std::string fax;
    std::string address;
    std::string organisation;  // 客訴人單位
};

// How a letter addresses the complainant: "王小明 君"; a name that already carries its courtesy
// title stays as it is ("黃小姐", "張先生": a surname the complainant signed with); "" for no name.
std::string salutationOf(std::string_view name);

// The routing outcome recorded on a case: which rule and keywords decided.
struct Routing {
    std::string rule;  // empty: no rule matched, the case went to the intake desk
    std::vector<std::string> keywords;
    std::string categoryReason;  // why the case has its category: the rule, the words of the text, staff
};

// A case as stored and shown.
struct Case {
    CaseNumber number;
    Channel channel = Channel::Email;
    Timestamp receivedAt{};
    Complainant complainant;
    std::string subject;
    std::string summary;
    Category category = Category::Other;
    std::string unit;  // unit id
    CaseStatus status = CaseStatus::Received;
    Routing routing;
    bool confidential = false;           // 密件: complainant fields are redacted wherever shown
    std::string receiptReference;        // 收文日期及文號, for letters typed in by staff
    std::optional<Deadlines> deadlines;  // handling target (預定結案日期) and legal limit
};

// 客訴內容摘要: the start of the body, quoted lines and signature dropped,
// white space collapsed, cut at `maxCharacters` code points on a UTF-8 boundary.
std::string summarizeBody(std::string_view body, std::size_t maxCharacters = 200);

}  // namespace complaintd::cases
