// The Store's staff directory: the center's people and their roles (cases/staff.h), each change
// with its actor in staff_events.
#include <Poco/Data/RecordSet.h>

#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;

namespace {

constexpr const char* kStaffSelect = "SELECT id, name, unit, roles, os_user, phone, email, disabled FROM staff ";

cases::StaffMember memberFrom(Poco::Data::RecordSet& rs) {
    auto text = [&](const char* column) { return rs[column].isEmpty() ? "" : rs[column].convert<std::string>(); };
    cases::StaffMember m;
    m.id = text("id");
    m.name = text("name");
    m.unit = text("unit");
    m.roles = cases::rolesFrom(text("roles")).value_or(std::vector<cases::Role>{});
    m.osUser = text("os_user");
    m.phone = text("phone");
    m.email = text("email");
    m.disabled = rs["disabled"].convert<int>() != 0;
    return m;
}

std::vector<cases::StaffMember> membersOf(Statement& select) {
    select.execute();
    Poco::Data::RecordSet rs(select);
    std::vector<cases::StaffMember> members;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) members.push_back(memberFrom(rs));
    return members;
}

std::string describe(const cases::StaffMember& m) {
    return "name " + m.name + ", roles " + cases::rolesText(m.roles) + (m.unit.empty() ? "" : ", unit " + m.unit) +
           (m.osUser.empty() ? "" : ", OS user " + m.osUser);
}

}  // namespace

void Store::addStaff(const cases::StaffMember& m, const std::string& actor, cases::Timestamp at) {
    inTransaction([&] {
        if (findStaff(m.id)) throw InvalidRequestError("staff id " + m.id + " is taken (complaintctl staff list)");
        const std::string roles = cases::rolesText(m.roles);
        const int disabled = m.disabled ? 1 : 0;
        *session_ << "INSERT INTO staff(id, name, unit, roles, os_user, phone, email, disabled) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
            bind(m.id), bind(m.name), bind(m.unit), bind(roles), bind(m.osUser), bind(m.phone), bind(m.email),
            bind(disabled), now;
        const std::string note = "added: " + describe(m);
        *session_ << "INSERT INTO staff_events(staff_id, at, actor, note) VALUES(?, ?, ?, ?)", bind(m.id),
            bind(toEpoch(at)), bind(actor), bind(note), now;
    });
}

void Store::updateStaff(const cases::StaffMember& m, const std::string& actor, const std::string& note,
                        cases::Timestamp at) {
    inTransaction([&] {
        if (!findStaff(m.id)) throw NotFoundError("no staff member " + m.id + " (complaintctl staff list)");
        const std::string roles = cases::rolesText(m.roles);
        const int disabled = m.disabled ? 1 : 0;
        *session_ << "UPDATE staff SET name = ?, unit = ?, roles = ?, os_user = ?, phone = ?, email = ?, "
                     "disabled = ? WHERE id = ?",
            bind(m.name), bind(m.unit), bind(roles), bind(m.osUser), bind(m.phone), bind(m.email), bind(disabled),
            bind(m.id), now;
        *session_ << "INSERT INTO staff_events(staff_id, at, actor, note) VALUES(?, ?, ?, ?)", bind(m.id),
            bind(toEpoch(at)), bind(actor), bind(note), now;
    });
}

std::vector<cases::StaffMember> Store::staff() {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kStaffSelect) + "ORDER BY id";
        return membersOf(select);
    });
}

std::optional<cases::StaffMember> Store::findStaff(const std::string& id) {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kStaffSelect) + "WHERE id = ?", bind(id);
        auto members = membersOf(select);
        return members.empty() ? std::optional<cases::StaffMember>() : std::optional(members.front());
    });
}

std::vector<StaffEvent> Store::staffHistory(const std::string& staffId) {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, Int64, std::string, std::string>> rows;
        if (staffId.empty())
            *session_ << "SELECT staff_id, at, actor, note FROM staff_events ORDER BY id", into(rows), now;
        else
            *session_ << "SELECT staff_id, at, actor, note FROM staff_events WHERE staff_id = ? ORDER BY id",
                bind(staffId), into(rows), now;
        std::vector<StaffEvent> events;
        for (const auto& r : rows) events.push_back({r.get<0>(), fromEpoch(r.get<1>()), r.get<2>(), r.get<3>()});
        return events;
    });
}

}  // namespace complaintd::center
