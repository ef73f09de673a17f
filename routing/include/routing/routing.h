// Routing: which unit handles a complaint, decided by keyword rules.
//
// Units and rules are read from small human-edited UTF-8 files of sections:
//
//   # comment
//   [streetlight]                 a rule (or unit) id
//   unit = public-works           key = value
//   keywords = 路燈, 燈不亮        comma-separated (、 and ， also separate)
//
// Parsing is pure (text in, values out); a mistake throws ConfigError naming
// the file and line. The caller reads the files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"

namespace complaintd::routing {

// A handling unit (承辦組室) of the center.
struct Unit {
    std::string id;             // ascii, e.g. "public-works"
    std::string name;           // zh-TW, e.g. "工務組"
    std::string notifyAddress;  // where the unit is told of new cases
};

class UnitDirectory {
public:
    // Parses a units file. The intake desk (總收文) is the unit with id `intakeUnitId`;
    // it must exist, since unmatched complaints go there.
    static UnitDirectory parse(std::string_view text, const std::string& fileName,
                               const std::string& intakeUnitId = "intake");

    // By id or by zh-TW name.
    const Unit* find(std::string_view idOrName) const;
    const Unit& intake() const;
    const std::vector<Unit>& all() const { return units_; }

private:
    std::vector<Unit> units_;
    std::size_t intakeIndex_ = 0;
};

// A competent authority outside the center (主管機關), for complaints
// outside its remit: the referral letter names it and how to reach it.
struct Referral {
    std::string id;    // ascii, e.g. "nhi"
    std::string name;  // zh-TW, e.g. "衛生福利部中央健康保險署"
    std::string phone;
    std::string address;
    std::string web;
};

class ReferralDirectory {
public:
    ReferralDirectory() = default;
    static ReferralDirectory parse(std::string_view text, const std::string& fileName);
    const Referral* find(std::string_view id) const;
    const std::vector<Referral>& all() const { return referrals_; }

private:
    std::vector<Referral> referrals_;
};

struct Rule {
    std::string id;
    int priority = 0;        // higher wins
    std::string unitId;      // for a referral rule: the unit that keeps the register entry (intake by default)
    std::string referralId;  // non-empty: outside the center's remit, refer to this authority
    // Set: the rule decides the category of its cases; unset: the nature of the text does (category.h).
    std::optional<cases::Category> category;
    std::vector<std::string> keywords;
    int line = 0;  // where it starts in its file, for messages
};

struct RoutingDecision {
    std::string unitId;
    std::string referralId;  // non-empty: answer with the referral letter, status referred
    cases::Category category = cases::Category::Rights;
    cases::Routing routing;  // rule id (empty: none matched), the keywords found, why this category

    // The status a case opens with, from any channel (and an OCR'd fax takes once routed): referred when
    // its rule refers it elsewhere, received (at the intake desk) when no rule matched, else assigned.
    cases::CaseStatus openingStatus() const;
};

class RuleSet {
public:
    // Parses a rules file; every rule's unit must exist in `units`, every referral in `referrals`.
    static RuleSet parse(std::string_view text, const std::string& fileName, const UnitDirectory& units,
                         const ReferralDirectory& referrals = {});

    // The matching rule of highest priority; ties go to the rule with more
    // keywords found, then to the one earlier in the file. Keywords are
    // substrings, looked for in the subject and the body. No match: the intake
    // desk. The category is the rule's, or else the nature of the text's.
    RoutingDecision route(std::string_view subject, std::string_view body) const;

    const std::vector<Rule>& rules() const { return rules_; }

private:
    std::vector<Rule> rules_;
    std::string intakeUnitId_;
};

}  // namespace complaintd::routing
