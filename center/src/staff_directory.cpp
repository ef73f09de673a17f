#include "center/staff_directory.h"

#include <algorithm>

namespace complaintd::center {
namespace {

bool isEnabledAdmin(const cases::StaffMember& m) { return !m.disabled && m.has(cases::Role::Admin); }

void requireAdmin(const cases::StaffMember& by) {
    if (const auto why = cases::refusal(by, cases::StaffAction::ManageStaff, "")) throw NotPermittedError(*why);
}

void describeChange(std::string& note, const std::string& what, const std::string& from, const std::string& to) {
    if (from == to) return;
    note += (note.empty() ? "" : "; ") + what + " " + (from.empty() ? "(none)" : from) + " -> " +
            (to.empty() ? "(none)" : to);
}

}  // namespace

StaffDirectory::StaffDirectory(Store& store, const routing::UnitDirectory& units) : store_(store), units_(units) {}

void StaffDirectory::validate(const cases::StaffMember& m) const {
    if (!cases::isStaffId(m.id))
        throw InvalidRequestError("\"" + m.id +
                                  "\" is not a staff id: 1-32 of a-z, 0-9, '.', '_', '-', starting "
                                  "with a letter (a login name is a good one)");
    if (m.name.empty()) throw InvalidRequestError("staff " + m.id + " needs a display name (--name)");
    if (m.roles.empty()) throw InvalidRequestError("staff " + m.id + " needs at least one role (--roles)");
    if (!m.unit.empty() && !units_.find(m.unit))
        throw NotFoundError("no unit \"" + m.unit + "\" (complaintctl units lists them)");
}

void StaffDirectory::add(const cases::StaffMember& member, const std::optional<cases::StaffMember>& by,
                         const std::string& osUser, cases::Timestamp now) {
    auto m = member;
    if (const auto* unit = m.unit.empty() ? nullptr : units_.find(m.unit)) m.unit = unit->id;
    validate(m);
    store_.inOneTransaction([&] {
        const bool first = store_.staff().empty();
        if (first && !m.has(cases::Role::Admin))
            throw InvalidRequestError("the first person of the staff directory is its administrator: add " + m.id +
                                      " with --roles admin (and any others)");
        if (!first && !by)
            throw NotPermittedError("only an administrator adds staff (complaintctl staff list shows them)");
        if (by) requireAdmin(*by);
        store_.addStaff(m, by ? by->id : osUser + " (OS user, first administrator)", now);
    });
}

std::string StaffDirectory::change(const cases::StaffMember& changed, const cases::StaffMember& by,
                                   cases::Timestamp now) {
    auto m = changed;
    if (const auto* unit = m.unit.empty() ? nullptr : units_.find(m.unit)) m.unit = unit->id;
    validate(m);
    std::string note;
    store_.inOneTransaction([&] {
        requireAdmin(by);
        const auto everyone = store_.staff();
        const auto old = std::find_if(everyone.begin(), everyone.end(), [&](const auto& s) { return s.id == m.id; });
        if (old == everyone.end()) throw NotFoundError("no staff member " + m.id + " (complaintctl staff list)");
        describeChange(note, "name", old->name, m.name);
        describeChange(note, "unit", old->unit, m.unit);
        describeChange(note, "roles", cases::rolesText(old->roles), cases::rolesText(m.roles));
        describeChange(note, "OS user", old->osUser, m.osUser);
        describeChange(note, "phone", old->phone, m.phone);
        describeChange(note, "e-mail", old->email, m.email);
        if (old->disabled != m.disabled)
            note += std::string(note.empty() ? "" : "; ") + (m.disabled ? "disabled" : "enabled");
        if (note.empty()) return;
        const bool adminLeft = std::any_of(everyone.begin(), everyone.end(), [&](const auto& s) {
            return s.id == m.id ? isEnabledAdmin(m) : isEnabledAdmin(s);
        });
        if (!adminLeft)
            throw InvalidRequestError(
                "that would leave no enabled administrator: give another person the admin "
                "role first");
        store_.updateStaff(m, by.id, note, now);
    });
    return note;
}

}  // namespace complaintd::center
