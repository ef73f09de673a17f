#include "routing/routing.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "cases/error.h"
#include "routing/category.h"
#include "routing/section_file.h"

namespace complaintd::routing {
namespace {

bool isUnitId(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

int parsePriority(const SectionFile& file, const Section& section) {
    const auto* entry = section.find("priority");
    if (!entry) return 0;
    int value = 0;
    const auto [ptr, ec] = std::from_chars(entry->value.data(), entry->value.data() + entry->value.size(), value);
    if (ec != std::errc{} || ptr != entry->value.data() + entry->value.size())
        file.fail(entry->line, "priority must be a whole number, got: " + entry->value);
    return value;
}

void parseTarget(const SectionFile& file, const Section& section, const UnitDirectory& units,
                 const ReferralDirectory& referrals, Rule& rule) {
    if (const auto* referral = section.find("referral")) {
        if (!referrals.find(referral->value))
            file.fail(referral->line, "unknown referral `" + referral->value + "` (see the referrals file)");
        rule.referralId = referral->value;
    }
    const auto* unit = section.find("unit");
    if (!unit && !rule.referralId.empty()) {
        rule.unitId = units.intake().id;
        return;
    }
    const auto& unitName = file.required(section, "unit");
    const Unit* found = units.find(unitName);
    if (!found) file.fail(unit->line, "unknown unit `" + unitName + "`");
    rule.unitId = found->id;
}

Rule parseRule(const SectionFile& file, const Section& section, const UnitDirectory& units,
               const ReferralDirectory& referrals) {
    file.checkKeys(section, {"unit", "referral", "category", "priority", "keywords"});
    Rule rule;
    rule.id = section.id;
    rule.line = section.line;
    rule.priority = parsePriority(file, section);
    parseTarget(file, section, units, referrals, rule);
    if (const auto* category = section.find("category")) {
        const auto parsed = cases::categoryFrom(category->value);
        if (!parsed)
            file.fail(category->line, "unknown category `" + category->value +
                                          "` (use suggestion, inquiry, misconduct, rights or other)");
        rule.category = *parsed;
    }
    rule.keywords = splitList(file.required(section, "keywords"));
    return rule;
}

std::vector<std::string> keywordsFound(const Rule& rule, std::string_view subject, std::string_view body) {
    std::vector<std::string> found;
    for (const auto& keyword : rule.keywords)
        if (subject.find(keyword) != std::string_view::npos || body.find(keyword) != std::string_view::npos)
            found.push_back(keyword);
    return found;
}

}  // namespace

UnitDirectory UnitDirectory::parse(std::string_view text, const std::string& fileName,
                                   const std::string& intakeUnitId) {
    const auto file = SectionFile::parse(text, fileName);
    UnitDirectory directory;
    std::set<std::string> names;
    for (const auto& section : file.sections()) {
        file.checkKeys(section, {"name", "notify"});
        if (!isUnitId(section.id)) file.fail(section.line, "a unit id uses a-z, 0-9, - and _: [" + section.id + "]");
        Unit unit{section.id, file.required(section, "name"), file.required(section, "notify")};
        if (directory.find(unit.id) || !names.insert(unit.name).second)
            file.fail(section.line, "unit [" + unit.id + "] or its name is given twice");
        directory.units_.push_back(std::move(unit));
    }
    const auto intake = std::find_if(directory.units_.begin(), directory.units_.end(),
                                     [&](const Unit& u) { return u.id == intakeUnitId; });
    if (intake == directory.units_.end())
        throw ConfigError(fileName + ": no unit [" + intakeUnitId +
                          "]: the intake desk (總收文) must exist, unmatched complaints go there");
    directory.intakeIndex_ = std::size_t(intake - directory.units_.begin());
    return directory;
}

const Unit* UnitDirectory::find(std::string_view idOrName) const {
    for (const auto& unit : units_)
        if (unit.id == idOrName || unit.name == idOrName) return &unit;
    return nullptr;
}

const Unit& UnitDirectory::intake() const { return units_.at(intakeIndex_); }

ReferralDirectory ReferralDirectory::parse(std::string_view text, const std::string& fileName) {
    const auto file = SectionFile::parse(text, fileName);
    ReferralDirectory directory;
    for (const auto& section : file.sections()) {
        file.checkKeys(section, {"name", "phone", "address", "web"});
        if (!isUnitId(section.id)) file.fail(section.line, "an id uses a-z, 0-9, - and _: [" + section.id + "]");
        if (directory.find(section.id)) file.fail(section.line, "[" + section.id + "] is given twice");
        auto value = [&](std::string_view key) {
            const auto* entry = section.find(key);
            return entry ? entry->value : std::string();
        };
        directory.referrals_.push_back(
            {section.id, file.required(section, "name"), value("phone"), value("address"), value("web")});
    }
    return directory;
}

const Referral* ReferralDirectory::find(std::string_view id) const {
    for (const auto& referral : referrals_)
        if (referral.id == id) return &referral;
    return nullptr;
}

RuleSet RuleSet::parse(std::string_view text, const std::string& fileName, const UnitDirectory& units,
                       const ReferralDirectory& referrals) {
    const auto file = SectionFile::parse(text, fileName);
    RuleSet set;
    set.intakeUnitId_ = units.intake().id;
    std::set<std::string> ids;
    for (const auto& section : file.sections()) {
        if (!ids.insert(section.id).second) file.fail(section.line, "rule [" + section.id + "] is given twice");
        set.rules_.push_back(parseRule(file, section, units, referrals));
    }
    return set;
}

RoutingDecision RuleSet::route(std::string_view subject, std::string_view body) const {
    const Rule* best = nullptr;
    std::vector<std::string> bestKeywords;
    for (const auto& rule : rules_) {
        auto found = keywordsFound(rule, subject, body);
        if (found.empty()) continue;
        const bool better = !best || rule.priority > best->priority ||
                            (rule.priority == best->priority && found.size() > bestKeywords.size());
        if (better) {
            best = &rule;
            bestKeywords = std::move(found);
        }
    }
    auto nature = categoryByNature(subject, body);
    if (!best) return {intakeUnitId_, "", nature.category, {"", {}, nature.reason}};
    if (best->category)
        return {best->unitId,
                best->referralId,
                *best->category,
                {best->id, std::move(bestKeywords), "rule " + best->id + " sets it"}};
    return {best->unitId, best->referralId, nature.category, {best->id, std::move(bestKeywords), nature.reason}};
}

cases::CaseStatus RoutingDecision::openingStatus() const {
    if (!referralId.empty()) return cases::CaseStatus::Referred;
    return routing.rule.empty() ? cases::CaseStatus::Received : cases::CaseStatus::Assigned;
}

}  // namespace complaintd::routing
