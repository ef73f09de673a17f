// The center's people (總收文, 承辦人, 主管, 批准) and who may do what: the rules the
// procedure applies to every staff move, whichever program (complaintctl, the web console)
// the person uses. Pure: the directory itself is in the store (center/store.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case_record.h"

namespace complaintd::cases {

enum class Role {
    Intake,      // 總收文: enters complaints, hands them to units, keeps the mail desk
    Handler,     // 承辦人: handles the cases of their unit and drafts the reply
    Supervisor,  // 主管: signs the drafts of their unit
    Approver,    // 批准: approves any unit's signed draft
    Admin,       // keeps the staff directory
};

std::string_view idOf(Role role);     // "intake", "handler", "supervisor", "approver", "admin"
std::string_view labelOf(Role role);  // 總收文, 承辦人, 主管, 批准, 管理者
std::optional<Role> roleFrom(std::string_view id);
// "handler,supervisor" (commas, spaces allowed); nullopt when any is not a role or none is given.
std::optional<std::vector<Role>> rolesFrom(std::string_view list);
std::string rolesText(const std::vector<Role>& roles);  // "handler,supervisor"
const std::vector<Role>& allRoles();

// One person of the staff directory. `id` is what history lines and --by name.
struct StaffMember {
    std::string id;
    std::string name;  // display name, on letters as 聯絡人
    std::string unit;  // the unit they work in (units.conf id); "" for the center as a whole
    std::vector<Role> roles;
    std::string osUser;  // the login that runs complaintctl as them; "" when none
    std::string phone;
    std::string email;
    bool disabled = false;

    bool has(Role role) const;
};

// A staff id: 1-32 of a-z, 0-9, '.', '_', '-', starting with a letter.
bool isStaffId(std::string_view id);

// What a staff member asks to do to a case (or to the desk).
enum class StaffAction {
    OpenCase,     // enter a complaint, open one from the quarantine or the held mail
    Route,        // 改分: give a case to another unit
    Handle,       // start, draft a reply or a filing memo, delay, replied --via, close, reopen
    Correct,      // correct what intake got wrong (edit), refer to the competent authority (refer)
    Print,        // print a signed-off reply for the post (print)
    Sign,         // approve --role supervisor|approver (signOffRefusal decides the rest)
    EnterSurvey,  // enter a survey from paper
    Archive,      // 歸檔
    Review,       // management's opinion on the review form (附表三)
    MailDesk,     // release, discard or retry letters and held mail; read the quarantine
    Reveal,       // read a confidential case's complainant
    ManageStaff,  // staff add, roles, disable
};

// Why `person` may not do `action` to a case of `caseUnit` ("" for none or no case), or nullopt
// when they may. A disabled person may do nothing. A handler or supervisor works on the cases of
// their own unit; one with no unit, on any unit's.
std::optional<std::string> refusal(const StaffMember& person, StaffAction action, const std::string& caseUnit);

// Why `signer` may not sign `record`'s draft as `role`, or nullopt when they may: the supervisor
// is a supervisor of the handling unit, the approver an approver, and drafter, supervisor and
// approver are three different persons (附表一: 承辦, 主管, 批准).
std::optional<std::string> signOffRefusal(const CaseRecord& record, ApprovalRole role, const StaffMember& signer);

}  // namespace complaintd::cases
