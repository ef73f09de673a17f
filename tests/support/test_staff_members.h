// The test cast (test_staff.h) as the staff directory's entries, for tests that call the
// procedure directly.
#pragma once

#include <stdexcept>

#include "cases/staff.h"
#include "test_staff.h"

namespace complaintd::testing {

inline cases::StaffMember testMember(const std::string& id) {
    for (const auto& p : testStaff())
        if (p.id == id) {
            cases::StaffMember m;
            m.id = p.id;
            m.name = p.name;
            m.unit = p.unit;
            m.roles = *cases::rolesFrom(p.roles);
            m.osUser = p.osUser ? testLogin() : "";
            return m;
        }
    throw std::invalid_argument("no test person " + id);
}

}  // namespace complaintd::testing
