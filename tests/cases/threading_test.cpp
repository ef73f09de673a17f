#include "cases/threading.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

TEST(Threading, FindsCaseTagInReplySubjects) {
    EXPECT_EQ(caseTagIn("Re: [115-001] 樹谷園區服務中心已收到您的陳情"), (CaseNumber{115, 1}));
    EXPECT_EQ(caseTagIn("回覆：［115-042］路燈"), (CaseNumber{115, 42}));
    EXPECT_EQ(caseTagIn("RE: 【 115-1002 】 補充資料"), (CaseNumber{115, 1002}));
    EXPECT_EQ(caseTagIn("[URGENT] again [115-007]"), (CaseNumber{115, 7}));
}

TEST(Threading, IgnoresThingsThatAreNotCaseTags) {
    EXPECT_FALSE(caseTagIn("路燈 115-001"));
    EXPECT_FALSE(caseTagIn("[2026-11-30] meeting"));
    EXPECT_FALSE(caseTagIn("[115-01]"));
    EXPECT_FALSE(caseTagIn(""));
}

TEST(Threading, SameAddressIgnoresCase) {
    EXPECT_TRUE(sameAddress("Wang@Example.org", "wang@example.org "));
    EXPECT_FALSE(sameAddress("wang@example.org", "chen@example.org"));
    EXPECT_FALSE(sameAddress("", ""));
}

TEST(Threading, MailboxKeyFoldsTagsCaseAndGmailDots) {
    EXPECT_EQ(mailboxKey("Victim+1@Example.org"), "victim@example.org");
    EXPECT_EQ(mailboxKey(" victim+a+b@example.org "), "victim@example.org");
    EXPECT_EQ(mailboxKey("V.i.c.t.i.m+x@GMail.com"), "victim@gmail.com");
    EXPECT_EQ(mailboxKey("v.ictim@googlemail.com"), "victim@gmail.com");
    EXPECT_EQ(mailboxKey("first.last@example.org"), "first.last@example.org");  // dots matter elsewhere
    EXPECT_EQ(mailboxKey("+tag@example.org"), "+tag@example.org");              // no local part left to cut to
    EXPECT_EQ(mailboxDomain("a@Mail.Example.org"), "mail.example.org");
    EXPECT_EQ(mailboxDomain("no-at-sign"), "");
}

TEST(Threading, FindsATagAfterManyOpeningBracketsInLinearTime) {
    const std::string subject = std::string(60000, '[') + "［115-003］" + std::string(4000, '[');
    EXPECT_EQ(caseTagIn(subject), (CaseNumber{115, 3}));
    EXPECT_EQ(caseTagIn("[ 115-004 ]"), (CaseNumber{115, 4}));
    EXPECT_FALSE(caseTagIn("[115-005" + std::string(40, ' ') + "]"));  // no tag is that long
}

}  // namespace
}  // namespace complaintd::cases
