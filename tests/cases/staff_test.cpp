// Who may do what (cases/staff.h): the roles of the procedure, the unit a handler or supervisor
// works in, and the three signatures of 附表一.
#include "cases/staff.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

StaffMember person(const std::string& id, const std::string& unit, const std::string& roles) {
    StaffMember m;
    m.id = id;
    m.unit = unit;
    m.roles = *rolesFrom(roles);
    return m;
}

CaseRecord draftedBy(const std::string& handler, const std::string& unit) {
    CaseRecord r;
    r.fields.number = {115, 1};
    r.fields.unit = unit;
    r.fields.status = CaseStatus::ReplyDrafted;
    r.handler = handler;
    return r;
}

TEST(Staff, RolesReadAndWriteInOneOrder) {
    EXPECT_EQ(rolesText(*rolesFrom("supervisor, handler,handler")), "handler,supervisor");
    EXPECT_FALSE(rolesFrom("handler,boss"));
    EXPECT_FALSE(rolesFrom(""));
    for (const auto role : allRoles()) EXPECT_EQ(roleFrom(idOf(role)), role);
    EXPECT_TRUE(isStaffId("lin.chih-ming"));
    EXPECT_FALSE(isStaffId("Lin"));
    EXPECT_FALSE(isStaffId("1lin"));
    EXPECT_FALSE(isStaffId(""));
}

TEST(Staff, AHandlerWorksOnTheCasesOfTheirUnitOnly) {
    const auto lin = person("lin", "public-works", "handler");
    EXPECT_FALSE(refusal(lin, StaffAction::Handle, "public-works"));
    EXPECT_TRUE(refusal(lin, StaffAction::Handle, "environment-safety"));
    EXPECT_TRUE(refusal(lin, StaffAction::MailDesk, ""));
    EXPECT_TRUE(refusal(lin, StaffAction::ManageStaff, ""));
    const auto desk = person("desk", "", "intake,handler");  // no unit: the whole center
    EXPECT_FALSE(refusal(desk, StaffAction::Handle, "environment-safety"));
    EXPECT_FALSE(refusal(desk, StaffAction::Route, "public-works"));
    auto gone = lin;
    gone.disabled = true;
    EXPECT_NE(refusal(gone, StaffAction::Handle, "public-works")->find("disabled"), std::string::npos);
}

TEST(Staff, TheSupervisorSignsForTheHandlingUnitAndTheApproverIsAThirdPerson) {
    const auto record = draftedBy("lin", "public-works");
    EXPECT_FALSE(signOffRefusal(record, ApprovalRole::Supervisor, person("chen", "public-works", "supervisor")));
    EXPECT_TRUE(signOffRefusal(record, ApprovalRole::Supervisor, person("ho", "environment-safety", "supervisor")));
    EXPECT_TRUE(signOffRefusal(record, ApprovalRole::Supervisor, person("boss", "", "supervisor")));
    // A case with no unit has no supervisor to sign it: it goes to a unit first.
    EXPECT_TRUE(signOffRefusal(draftedBy("lin", ""), ApprovalRole::Supervisor, person("boss", "", "supervisor")));
    EXPECT_TRUE(signOffRefusal(record, ApprovalRole::Approver, person("chen", "public-works", "supervisor")));
    EXPECT_FALSE(signOffRefusal(record, ApprovalRole::Approver, person("huang", "", "approver")));
    // The drafter signs nothing of their own draft.
    EXPECT_TRUE(signOffRefusal(record, ApprovalRole::Approver, person("lin", "public-works", "handler,approver")));
    // Who signed as supervisor does not approve it too.
    auto signedOnce = record;
    signedOnce.supervisor = {"chen", Timestamp{}};
    const auto both = person("chen", "public-works", "supervisor,approver");
    EXPECT_NE(signOffRefusal(signedOnce, ApprovalRole::Approver, both)->find("three persons"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::cases
