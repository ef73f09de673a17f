// What a case is: the fields of the case record form (附表一), its number,
// channel, category and status, and the pure rules that derive them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/roc_calendar.h"

namespace complaintd::cases {

// 客訴方式: how the complaint reached the center.
enum class Channel { Email, Fax, Phone, Letter, InPerson };

// 客訴類別: the five categories of procedure §1.
enum class Category { Suggestion, Inquiry, Misconduct, Rights, Other };

// Where a case stands. Later work adds the rest of the procedure's lifecycle.
enum class CaseStatus {
    Received,  // registered at the intake desk, waiting for triage (總收文)
    Assigned,  // handed to the handling unit (分文)
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
};

// The routing outcome recorded on a case: which rule and keywords decided.
struct Routing {
    std::string rule;  // empty: no rule matched, the case went to the intake desk
    std::vector<std::string> keywords;
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
};

// 客訴內容摘要: the start of the body, quoted lines and signature dropped,
// white space collapsed, cut at `maxCharacters` code points on a UTF-8 boundary.
std::string summarizeBody(std::string_view body, std::size_t maxCharacters = 200);

}  // namespace complaintd::cases
