#include "cases/dispositions.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

Case complaint(const std::string& subject, const std::string& summary) {
    Case c;
    c.subject = subject;
    c.summary = summary;
    c.complainant = {"王小明", "wang@example.org", "", "", "", ""};
    return c;
}

bool has(const std::vector<Suggestion>& list, FilingReason reason) {
    return std::any_of(list.begin(), list.end(), [&](const Suggestion& s) { return s.reason == reason; });
}

TEST(Dispositions, Reason1ForNoContentOrNoName) {
    EXPECT_TRUE(has(suggestDispositions(complaint("?", "請處理"), {}, {}, {}), FilingReason::NoContent));
    auto anonymous = complaint("路燈", "紫楝路的路燈已經三天不亮了，請派員修理。");
    anonymous.complainant.name.clear();
    EXPECT_TRUE(has(suggestDispositions(anonymous, {}, {}, {}), FilingReason::NoContent));
    EXPECT_TRUE(suggestDispositions(complaint("路燈", "紫楝路的路燈已經三天不亮了，請派員修理。"), {}, {}, {}).empty());
}

TEST(Dispositions, Reason2ForTheSameMatterAlreadyAnswered) {
    const auto c = complaint("紫楝路路燈不亮", "紫楝路的路燈已經三天不亮了，請派員修理。");
    const std::vector<EarlierCase> earlier{
        {{115, 3}, CaseStatus::Closed, "紫楝路路燈不亮", "紫楝路路燈三天不亮，請派員修理"},
    };
    const auto s = suggestDispositions(c, {}, earlier, {});
    ASSERT_TRUE(has(s, FilingReason::AlreadyAnswered));
    EXPECT_NE(s.back().detail.find("115-003"), std::string::npos) << s.back().detail;
    // Not while the earlier case is still being handled, and not for a different matter.
    EXPECT_FALSE(has(
        suggestDispositions(c, {}, {{{115, 3}, CaseStatus::InProgress, earlier[0].subject, earlier[0].summary}}, {}),
        FilingReason::AlreadyAnswered));
    EXPECT_FALSE(has(suggestDispositions(c, {}, {{{115, 3}, CaseStatus::Closed, "廠房租約", "請問租約續約流程"}}, {}),
                     FilingReason::AlreadyAnswered));
}

TEST(Dispositions, Reason4WhenAlsoSentToOtherAgencies) {
    DispositionPolicy policy;
    policy.ownDomain = "shugu.gov.tw";
    const auto s =
        suggestDispositions(complaint("噪音", "工廠夜間噪音很大，影響睡眠，請處理。"),
                            {"complaints@shugu.gov.tw", "service@epb.tainan.gov.tw", "a@example.org"}, {}, policy);
    ASSERT_TRUE(has(s, FilingReason::SentToCompetent));
    EXPECT_NE(s.back().detail.find("epb.tainan.gov.tw"), std::string::npos);
    EXPECT_EQ(s.back().detail.find("shugu.gov.tw"), std::string::npos);
}

TEST(Dispositions, NeverSuggestsFalseIdentity) {
    const auto s = suggestDispositions(complaint("x", ""), {"a@b.gov.tw"}, {}, {});
    EXPECT_FALSE(has(s, FilingReason::FalseIdentity));
}

TEST(Dispositions, BigramSimilarity) {
    EXPECT_DOUBLE_EQ(bigramSimilarity("路燈不亮", "路燈不亮"), 1.0);
    EXPECT_DOUBLE_EQ(bigramSimilarity("路燈不亮", "廠房租約"), 0.0);
    EXPECT_GT(bigramSimilarity("紫楝路路燈不亮。", "紫楝路 路燈 不亮"), 0.9);
    EXPECT_TRUE(domainMatches("epb.tainan.gov.tw", "*.gov.tw"));
    EXPECT_FALSE(domainMatches("gov.tw", "*.gov.tw"));
    EXPECT_FALSE(domainMatches("notgov.tw", "*.gov.tw"));
}

TEST(Dispositions, SimilarityReadsOnlyTheStartOfLongTexts) {
    std::string start;
    for (int i = 0; i < 1000; ++i) start += "路燈" + std::to_string(i);
    // Beyond the first 2000 code points the texts differ completely: they still count as the same.
    EXPECT_DOUBLE_EQ(bigramSimilarity(start + std::string(100000, 'a'), start + std::string(100000, 'b')), 1.0);
    const auto c = complaint("路燈不亮", start + std::string(1000000, 'x'));
    std::vector<EarlierCase> earlier(200, EarlierCase{{115, 1}, CaseStatus::Closed, "路燈不亮", start});
    EXPECT_TRUE(has(suggestDispositions(c, {}, earlier, {}), FilingReason::AlreadyAnswered));
}

TEST(Dispositions, ListsAtMostTwentyOtherAgencies) {
    std::vector<std::string> recipients;
    for (int i = 0; i < 50000; ++i) recipients.push_back("a@unit" + std::to_string(i % 30000) + ".gov.tw");
    const auto list = suggestDispositions(complaint("路燈不亮", "紫楝路的路燈已經壞了三天"), recipients, {}, {});
    const auto also = std::find_if(list.begin(), list.end(),
                                   [](const Suggestion& s) { return s.reason == FilingReason::SentToCompetent; });
    ASSERT_NE(also, list.end());
    EXPECT_EQ(std::count(also->detail.begin(), also->detail.end(), ','), 19);
}

}  // namespace
}  // namespace complaintd::cases
