// The center's people as every test desk registers them (complaintctl staff add): the
// administrator, the intake desk, and a handler and a supervisor for two units, and the
// approver. `desk` is the OS user running the tests, so a command without --by acts as the
// intake desk; the others act with --by (the tests run as root, who may act for anyone).
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace complaintd::testing {

struct TestPerson {
    std::string id, name, unit, roles;
    bool osUser = false;  // registered with the login running the tests
};

inline const std::vector<TestPerson>& testStaff() {
    static const std::vector<TestPerson> cast{
        {"admin", "系統管理者", "", "admin"},
        {"desk", "總收文", "", "intake,handler", true},
        {"lee", "李收文", "intake", "intake"},
        {"lin", "林承辦", "public-works", "handler"},
        {"chen", "陳主管", "public-works", "supervisor"},
        {"wu", "吳承辦", "environment-safety", "handler"},
        {"ho", "何主管", "environment-safety", "supervisor"},
        {"huang", "黃批准", "", "approver"},
        {"director", "主任", "", "approver"},
    };
    return cast;
}

// The login complaintctl sees (as command_line.cpp's invokingOsUser).
inline std::string testLogin() {
    if (const char* sudoUser = std::getenv("SUDO_USER"); sudoUser && *sudoUser) return sudoUser;
    const passwd* entry = getpwuid(getuid());
    return entry ? entry->pw_name : "";
}

// complaintctl arguments adding `p` (the first, admin, adds itself; the others are added by it).
inline std::vector<std::string> staffAddArguments(const TestPerson& p) {
    std::vector<std::string> args{"staff", "add", p.id, "--name", p.name, "--roles", p.roles};
    if (!p.unit.empty()) args.insert(args.end(), {"--unit", p.unit});
    if (p.osUser) args.insert(args.end(), {"--os-user", testLogin()});
    if (p.id != "admin") args.insert(args.end(), {"--by", "admin"});
    return args;
}

}  // namespace complaintd::testing
