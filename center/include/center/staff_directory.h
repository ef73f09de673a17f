// Keeping the staff directory: who may change it, what an entry must hold, and that the
// center never locks itself out (there is always an enabled administrator). Each change is
// recorded with the person who made it (Store::staffHistory).
#pragma once

#include <optional>
#include <string>

#include "cases/staff.h"
#include "center/store.h"
#include "routing/routing.h"

namespace complaintd::center {

class StaffDirectory {
public:
    StaffDirectory(Store& store, const routing::UnitDirectory& units);

    // Adds `member`, by the administrator `by`. The first entry of an empty directory is added by
    // whoever runs it on the server (`by` nullopt; `osUser` is recorded) and must be an administrator.
    void add(const cases::StaffMember& member, const std::optional<cases::StaffMember>& by, const std::string& osUser,
             cases::Timestamp now);
    // Writes `changed` over its entry (roles, unit, name, contact, disabled), by an administrator.
    // Returns what changed ("" for nothing); refuses to leave no enabled administrator.
    std::string change(const cases::StaffMember& changed, const cases::StaffMember& by, cases::Timestamp now);

private:
    void validate(const cases::StaffMember& member) const;

    Store& store_;
    const routing::UnitDirectory& units_;
};

}  // namespace complaintd::center
