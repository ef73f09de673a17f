// complaintctl staff: the staff directory (who the center's people are and what each may do).
// Changing it takes an administrator; the first administrator is added on the server by
// whoever runs complaintctl there (center/staff_directory.h).
#include <sys/stat.h>
#include <unistd.h>

#include <ostream>

#include "case_view.h"
#include "center/staff_directory.h"
#include "commands.h"

namespace complaintd::ctl {
namespace {

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

const std::string kUsage =
    "staff list [--json] | history [ID] | add ID --name NAME --roles R[,R...] [--unit U] [--os-user LOGIN] "
    "[--phone P] [--email E] | roles ID R[,R...] | edit ID [--name --unit --os-user --phone --email] | "
    "disable ID | enable ID";

std::vector<cases::Role> rolesArgument(const std::string& text) {
    const auto roles = cases::rolesFrom(text);
    if (!roles) throw UsageError("roles are intake, handler, supervisor, approver and admin, separated by commas");
    return *roles;
}

void applyOptions(const CommandLine& line, cases::StaffMember& m) {
    if (const auto v = line.option("name")) m.name = *v;
    if (const auto v = line.option("unit")) m.unit = *v;
    if (const auto v = line.option("os-user")) m.osUser = *v;
    if (const auto v = line.option("phone")) m.phone = *v;
    if (const auto v = line.option("email")) m.email = *v;
    if (const auto v = line.option("roles")) m.roles = rolesArgument(*v);
}

void listStaff(const Context& ctx, const CommandLine& line) {
    auto store = ctx.storeCreating();
    const auto units = ctx.units();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& m : store.staff()) {
        if (line.flag("json")) {
            auto json = object();
            json->set("id", m.id);
            json->set("name", m.name);
            json->set("unit", m.unit);
            json->set("roles", cases::rolesText(m.roles));
            json->set("os_user", m.osUser);
            json->set("phone", m.phone);
            json->set("email", m.email);
            json->set("disabled", m.disabled);
            array->add(json);
            continue;
        }
        const auto* unit = m.unit.empty() ? nullptr : units.find(m.unit);
        ctx.out << fitWidth(m.id, 14) << fitWidth(m.name, 12) << fitWidth(unit ? unit->name : "(全中心)", 14)
                << fitWidth(cases::rolesText(m.roles), 30) << (m.osUser.empty() ? "-" : m.osUser)
                << (m.disabled ? "  (disabled)" : "") << "\n";
    }
    if (line.flag("json"))
        printJson(ctx.out, array);
    else if (array->size() == 0 && store.staff().empty())
        ctx.out << "No staff are registered. The first is the administrator: complaintctl staff add ID --name NAME "
                   "--roles admin --os-user LOGIN\n";
}

void staffHistory(const Context& ctx, const CommandLine& line) {
    auto store = ctx.storeCreating();
    for (const auto& e : store.staffHistory(line.words.size() > 2 ? line.words[2] : ""))
        ctx.out << cases::formatIso8601(e.at) << "  " << fitWidth(e.staffId, 14) << "by " << e.actor << ": " << e.note
                << "\n";
}

void addStaff(const Context& ctx, const CommandLine& line) {
    cases::StaffMember m;
    m.id = line.words[2];
    m.name = line.required("name", kUsage);
    applyOptions(line, m);
    if (m.roles.empty()) line.required("roles", kUsage);
    auto store = ctx.storeCreating();
    const auto units = ctx.units();
    // The first entry has nobody to act for it: the OS user who runs it on the server, root or
    // the owner of the database (the service's user), never just anyone who can reach the file.
    const bool first = store.staff().empty();
    if (first) {
        struct stat info {};
        const bool owner = ::stat(ctx.settings().databasePath.c_str(), &info) == 0 && info.st_uid == ::getuid();
        if (::getuid() != 0 && !owner)
            throw NotPermittedError(
                "the first administrator is added by root or the service's user (sudo -u "
                "complaintd complaintctl staff add ...), who own the database");
    }
    const auto by = first ? std::nullopt : std::optional(actingPerson(line, store));
    center::StaffDirectory(store, units).add(m, by, invokingOsUser(), ctx.now());
    ctx.out << "staff " << m.id << " added: " << cases::rolesText(m.roles) << (m.unit.empty() ? "" : ", unit " + m.unit)
            << "\n";
}

void changeStaff(const Context& ctx, const CommandLine& line, const std::string& how) {
    auto store = ctx.store();
    const auto current = store.findStaff(line.words[2]);
    if (!current) throw NotFoundError("no staff member " + line.words[2] + " (complaintctl staff list)");
    auto m = *current;
    if (how == "roles") {
        expectWords(line, 4, kUsage);
        m.roles = rolesArgument(line.words[3]);
    } else if (how == "edit") {
        applyOptions(line, m);
    } else {
        m.disabled = how == "disable";
    }
    const auto by = actingPerson(line, store);
    const auto units = ctx.units();
    const auto note = center::StaffDirectory(store, units).change(m, by, ctx.now());
    ctx.out << "staff " << m.id << (note.empty() ? ": nothing changed" : ": " + note) << "\n";
}

}  // namespace

void staffCommand(const Context& ctx, const CommandLine& line) {
    const auto sub = line.words.size() > 1 ? line.words[1] : "";
    if (sub == "list" && line.words.size() == 2) return listStaff(ctx, line);
    if (sub == "history" && line.words.size() <= 3) return staffHistory(ctx, line);
    if (sub == "add" && line.words.size() == 3) return addStaff(ctx, line);
    if ((sub == "roles" || sub == "edit" || sub == "disable" || sub == "enable") && line.words.size() >= 3)
        return changeStaff(ctx, line, sub);
    throw UsageError("usage: complaintctl " + kUsage);
}

}  // namespace complaintd::ctl
