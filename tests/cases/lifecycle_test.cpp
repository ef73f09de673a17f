#include "cases/lifecycle.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

using S = CaseStatus;

TEST(Lifecycle, FollowsTheProcedureFromReceiptToArchive) {
    const std::vector<S> path{S::Received,  S::Assigned, S::InProgress, S::ReplyDrafted,
                              S::SignedOff, S::Replied,  S::Closed,     S::Archived};
    for (std::size_t i = 0; i + 1 < path.size(); ++i)
        EXPECT_TRUE(isAllowed(path[i], path[i + 1])) << idOf(path[i]) << " -> " << idOf(path[i + 1]);
}

TEST(Lifecycle, DissatisfiedComplainantReopensAnsweredCase) {
    EXPECT_TRUE(isAllowed(S::Replied, S::Reopened));
    EXPECT_TRUE(isAllowed(S::Closed, S::Reopened));
    EXPECT_TRUE(isAllowed(S::Reopened, S::ReplyDrafted));
    EXPECT_FALSE(isAllowed(S::Archived, S::Reopened));
}

TEST(Lifecycle, FilingAndReferralOnlyBeforeSignOff) {
    for (auto s : {S::Received, S::Assigned, S::InProgress, S::ReplyDrafted, S::Reopened}) {
        EXPECT_TRUE(isAllowed(s, S::Filed)) << idOf(s);
        EXPECT_TRUE(isAllowed(s, S::Referred)) << idOf(s);
    }
    EXPECT_FALSE(isAllowed(S::SignedOff, S::Filed));
    EXPECT_FALSE(isAllowed(S::Replied, S::Referred));
}

TEST(Lifecycle, RefusalSaysWhatIsAllowed) {
    const auto refusal = refuseMove({115, 1}, S::Closed, S::Replied);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(*refusal, "115-001 is closed: it can go to archived or reopened, not replied");
    EXPECT_FALSE(refuseMove({115, 1}, S::Closed, S::Archived));
    EXPECT_NE(refuseMove({115, 1}, S::Archived, S::Closed)->find("cannot change any more"), std::string::npos);
}

TEST(Lifecycle, DeadlinesRunOnlyWhileAnAnswerIsOwed) {
    EXPECT_TRUE(isAwaitingAnswer(S::Assigned));
    EXPECT_TRUE(isAwaitingAnswer(S::Reopened));
    EXPECT_FALSE(isAwaitingAnswer(S::SignedOff));
    EXPECT_FALSE(isAwaitingAnswer(S::Filed));
}

TEST(FilingReason, FourReasonsOfTheProcedure) {
    EXPECT_EQ(filingReasonFrom(2), FilingReason::AlreadyAnswered);
    EXPECT_FALSE(filingReasonFrom(0));
    EXPECT_FALSE(filingReasonFrom(5));
    EXPECT_NE(std::string(labelOf(FilingReason::NoContent)).find("無具體內容"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::cases
