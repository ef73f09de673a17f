#include "cases/staff.h"

#include <algorithm>

namespace complaintd::cases {
namespace {

struct RoleName {
    Role role;
    std::string_view id;
    std::string_view label;
};

constexpr RoleName kRoles[] = {
    {Role::Intake, "intake", "總收文"},       {Role::Handler, "handler", "承辦人"},
    {Role::Supervisor, "supervisor", "主管"}, {Role::Approver, "approver", "批准"},
    {Role::Admin, "admin", "管理者"},
};

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// A handler or supervisor works on the cases of their unit; one with no unit on any unit's.
bool worksOn(const StaffMember& person, const std::string& caseUnit) {
    return person.unit.empty() || person.unit == caseUnit;
}

bool handlesUnit(const StaffMember& p, const std::string& caseUnit) {
    return (p.has(Role::Handler) || p.has(Role::Supervisor)) && worksOn(p, caseUnit);
}

std::string who(const StaffMember& p) { return p.id + (p.name.empty() ? "" : " (" + p.name + ")"); }

std::string ofUnit(const std::string& unit) { return unit.empty() ? "" : " of unit " + unit; }

}  // namespace

std::string_view idOf(Role role) {
    for (const auto& r : kRoles)
        if (r.role == role) return r.id;
    return "";
}

std::string_view labelOf(Role role) {
    for (const auto& r : kRoles)
        if (r.role == role) return r.label;
    return "";
}

std::optional<Role> roleFrom(std::string_view id) {
    for (const auto& r : kRoles)
        if (r.id == id) return r.role;
    return std::nullopt;
}

std::optional<std::vector<Role>> rolesFrom(std::string_view list) {
    std::vector<Role> roles;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto role = roleFrom(trimmed(list.substr(0, comma)));
        if (!role) return std::nullopt;
        if (std::find(roles.begin(), roles.end(), *role) == roles.end()) roles.push_back(*role);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    if (roles.empty()) return std::nullopt;
    std::sort(roles.begin(), roles.end());
    return roles;
}

std::string rolesText(const std::vector<Role>& roles) {
    std::string text;
    for (const auto role : roles) text += (text.empty() ? "" : ",") + std::string(idOf(role));
    return text;
}

const std::vector<Role>& allRoles() {
    static const std::vector<Role> roles{Role::Intake, Role::Handler, Role::Supervisor, Role::Approver, Role::Admin};
    return roles;
}

bool StaffMember::has(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

bool isStaffId(std::string_view id) {
    if (id.empty() || id.size() > 32 || id.front() < 'a' || id.front() > 'z') return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::optional<std::string> refusal(const StaffMember& p, StaffAction action, const std::string& caseUnit) {
    if (p.disabled) return who(p) + " is disabled in the staff directory";
    bool allowed = false;
    std::string needs;
    switch (action) {
        case StaffAction::OpenCase:
            allowed = p.has(Role::Intake) || handlesUnit(p, caseUnit);
            needs = "the intake desk (總收文) or a handler" + ofUnit(caseUnit);
            break;
        case StaffAction::Route:
        case StaffAction::Archive:
            allowed = p.has(Role::Intake) || (p.has(Role::Supervisor) && worksOn(p, caseUnit));
            needs = "the intake desk (總收文) or a supervisor" + ofUnit(caseUnit);
            break;
        case StaffAction::Handle:
            allowed = handlesUnit(p, caseUnit);
            needs = "a handler (承辦人) or supervisor" + ofUnit(caseUnit);
            break;
        case StaffAction::Correct:
        case StaffAction::Print:
            allowed = p.has(Role::Intake) || handlesUnit(p, caseUnit);
            needs = "the intake desk (總收文) or a handler" + ofUnit(caseUnit);
            break;
        case StaffAction::Sign:
            allowed = p.has(Role::Supervisor) || p.has(Role::Approver);
            needs = "a supervisor (主管) or an approver (批准)";
            break;
        case StaffAction::EnterSurvey:
            allowed = p.has(Role::Intake) || handlesUnit(p, caseUnit);
            needs = "the intake desk or a handler" + ofUnit(caseUnit);
            break;
        case StaffAction::Review:
            allowed = p.has(Role::Supervisor) || p.has(Role::Approver);
            needs = "a supervisor (主管) or an approver (批准)";
            break;
        case StaffAction::MailDesk:
            allowed = p.has(Role::Intake) || p.has(Role::Admin);
            needs = "the intake desk (總收文) or an administrator";
            break;
        case StaffAction::Reveal:
            allowed = handlesUnit(p, caseUnit) || p.has(Role::Approver) ||
                      (p.has(Role::Intake) && (caseUnit.empty() || p.unit == caseUnit));
            needs = "a handler, supervisor" + ofUnit(caseUnit) + " or an approver";
            break;
        case StaffAction::ManageStaff:
            allowed = p.has(Role::Admin);
            needs = "an administrator (admin)";
            break;
    }
    if (allowed) return std::nullopt;
    return who(p) + " (" + (p.roles.empty() ? std::string("no roles") : rolesText(p.roles)) + ofUnit(p.unit) +
           ") may not do this: it needs " + needs;
}

std::optional<std::string> signOffRefusal(const CaseRecord& record, ApprovalRole role, const StaffMember& signer) {
    if (signer.disabled) return who(signer) + " is disabled in the staff directory";
    const auto& unit = record.fields.unit;
    if (role == ApprovalRole::Supervisor && !(signer.has(Role::Supervisor) && !unit.empty() && signer.unit == unit))
        return who(signer) + " is not a supervisor (主管) of unit " + unit + ", which handles " +
               record.fields.number.toString();
    if (role == ApprovalRole::Approver && !signer.has(Role::Approver))
        return who(signer) + " is not an approver (批准)";
    if (signer.id == record.handler)
        return who(signer) + " drafted this reply: the drafter, the supervisor and the approver are three persons";
    const auto& other = role == ApprovalRole::Supervisor ? record.approver : record.supervisor;
    if (other.at && other.by == signer.id)
        return who(signer) + " signed this draft as " + (role == ApprovalRole::Supervisor ? "approver" : "supervisor") +
               " already: the drafter, the supervisor and the approver are three persons";
    return std::nullopt;
}

}  // namespace complaintd::cases
