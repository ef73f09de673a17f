#include "cases/case.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

TEST(CaseNumber, FormatsYearDashThreeDigitSequence) {
    EXPECT_EQ((CaseNumber{115, 1}).toString(), "115-001");
    EXPECT_EQ((CaseNumber{97, 1}).toString(), "097-001");
    EXPECT_EQ((CaseNumber{115, 1234}).toString(), "115-1234");
}

TEST(CaseNumber, ParsesOnlyWellFormedNumbers) {
    EXPECT_EQ(CaseNumber::parse("115-001"), (CaseNumber{115, 1}));
    EXPECT_EQ(CaseNumber::parse("115-1234"), (CaseNumber{115, 1234}));
    EXPECT_FALSE(CaseNumber::parse("115-01"));
    EXPECT_FALSE(CaseNumber::parse("15-001"));
    EXPECT_FALSE(CaseNumber::parse("115-00x"));
    EXPECT_FALSE(CaseNumber::parse("115-000"));
    EXPECT_FALSE(CaseNumber::parse(""));
}

TEST(Salutation, NamesGetTheirTitleOnceAndNoNameNone) {
    EXPECT_EQ(salutationOf("王小明"), "王小明 君");
    EXPECT_EQ(salutationOf("黃小姐"), "黃小姐");
    EXPECT_EQ(salutationOf("張先生"), "張先生");
    EXPECT_EQ(salutationOf("林淑君"), "林淑君 君");
    EXPECT_EQ(salutationOf(""), "");
}

TEST(CaseNumber, SequenceStartsAtOneEachYear) {
    EXPECT_EQ(nextCaseNumber(115, 0).toString(), "115-001");
    EXPECT_EQ(nextCaseNumber(115, 41).toString(), "115-042");
    EXPECT_EQ(nextCaseNumber(116, 0).toString(), "116-001");
}

TEST(CaseNames, IdsAndLabelsRoundTrip) {
    for (auto c : {Category::Suggestion, Category::Inquiry, Category::Misconduct, Category::Rights, Category::Other}) {
        EXPECT_EQ(categoryFrom(idOf(c)), c);
        EXPECT_EQ(categoryFrom(labelOf(c)), c);
    }
    EXPECT_EQ(labelOf(Category::Rights), "行政上權益之維護");
    EXPECT_EQ(channelFrom("in-person"), Channel::InPerson);
    EXPECT_FALSE(channelFrom("pigeon"));
}

TEST(Summary, CollapsesWhiteSpaceAndDropsQuotesAndSignature) {
    EXPECT_EQ(summarizeBody("路燈不亮\n\n  已經三天了。\n> quoted\n-- \n王小明\n0912-345-678"),
              "路燈不亮 已經三天了。");
}

TEST(Summary, CutsAtCharacterNotByte) {
    const auto summary = summarizeBody("路燈路燈路燈", 4);
    EXPECT_EQ(summary, "路燈路燈");
}

}  // namespace
}  // namespace complaintd::cases
