#include "routing/routing.h"
#include "routing/category.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cases/error.h"

namespace complaintd::routing {
namespace {

constexpr const char* kUnits = R"(
[intake]
name = 總收文
notify = intake@center.example
[public-works]
name = 工務組
notify = works@center.example
[environment-safety]
name = 環安組
notify = env@center.example
)";

UnitDirectory units() { return UnitDirectory::parse(kUnits, "units.conf"); }

TEST(UnitDirectory, FindsByIdOrName) {
    const auto u = units();
    EXPECT_EQ(u.find("工務組")->id, "public-works");
    EXPECT_EQ(u.find("public-works")->name, "工務組");
    EXPECT_EQ(u.intake().name, "總收文");
    EXPECT_EQ(u.find("nobody"), nullptr);
}

TEST(UnitDirectory, RequiresTheIntakeDesk) {
    EXPECT_THROW(UnitDirectory::parse("[works]\nname = 工務組\nnotify = a@b.example\n", "u.conf"), ConfigError);
}

TEST(RuleSet, PicksHighestPriorityAmongMatches) {
    const auto rules = RuleSet::parse(R"(
[streetlight]
unit = public-works
category = rights
priority = 20
keywords = 路燈, 燈不亮
[safety]
unit = environment-safety
category = rights
priority = 30
keywords = 危險
)",
                                      "rules.conf", units());
    auto d = rules.route("路燈不亮", "晚上很暗");
    EXPECT_EQ(d.unitId, "public-works");
    EXPECT_EQ(d.routing.rule, "streetlight");
    EXPECT_EQ(d.routing.keywords, (std::vector<std::string>{"路燈", "燈不亮"}));
    EXPECT_EQ(d.category, cases::Category::Rights);

    d = rules.route("路燈不亮", "路口很危險");
    EXPECT_EQ(d.routing.rule, "safety");
    EXPECT_EQ(d.unitId, "environment-safety");
}

TEST(RuleSet, TieGoesToMoreKeywordsThenEarlierRule) {
    const auto rules = RuleSet::parse(R"(
[a]
unit = public-works
category = other
keywords = 水溝
[b]
unit = environment-safety
category = other
keywords = 水溝、臭味
[c]
unit = intake
category = other
keywords = 水溝
)",
                                      "rules.conf", units());
    EXPECT_EQ(rules.route("水溝有臭味", "").routing.rule, "b");
    EXPECT_EQ(rules.route("水溝", "").routing.rule, "a");
}

TEST(RuleSet, NoMatchGoesToIntakeDesk) {
    const auto rules = RuleSet::parse("[a]\nunit = public-works\ncategory = rights\nkeywords = 路燈\n", "r", units());
    const auto d = rules.route("請問", "申請表格在哪裡下載");
    EXPECT_EQ(d.unitId, "intake");
    EXPECT_TRUE(d.routing.rule.empty());
    // No unit rule matched, yet the text asks about a procedure: 行政法令之查詢.
    EXPECT_EQ(d.category, cases::Category::Inquiry);
    EXPECT_NE(d.routing.categoryReason.find("請問"), std::string::npos) << d.routing.categoryReason;
}

// 客訴類別 by the nature of the text, whichever unit a rule picks; a rule with a category overrides it.
TEST(CategoryByNature, ReportsProposalsQuestionsAndTheRest) {
    EXPECT_EQ(categoryByNature("承辦人員收賄", "").category, cases::Category::Misconduct);
    EXPECT_EQ(categoryByNature("", "建議在紫楝路增設公車站。").category, cases::Category::Suggestion);
    EXPECT_EQ(categoryByNature("", "請問申請設廠需要哪些文件？").category, cases::Category::Inquiry);
    EXPECT_EQ(categoryByNature("路燈不亮", "路燈壞了三天，是否可以盡快修理？").category, cases::Category::Rights);
    // A citizen's report of a factory, and a call to hurry, are the public's rights.
    EXPECT_EQ(categoryByNature("", "檢舉工廠排放廢水。").category, cases::Category::Rights);
    EXPECT_EQ(categoryByNature("", "檢舉承辦人員態度惡劣。").category, cases::Category::Misconduct);
    EXPECT_EQ(categoryByNature("", "建議儘速修復路燈。").category, cases::Category::Rights);
    EXPECT_EQ(categoryByNature("", "標準是什麼？").category, cases::Category::Rights);
    EXPECT_NE(categoryByNature("路燈不亮", "").reason.find("no report of misconduct"), std::string::npos);
}

TEST(CategoryByNature, ARuleWithoutCategoryLeavesItToTheTextOneWithACategoryDecides) {
    const auto rules = RuleSet::parse(
        "[lights]\nunit = public-works\nkeywords = 路燈\n[lease]\nunit = public-works\ncategory = inquiry\n"
        "keywords = 租金\n",
        "r", units());
    const auto byText = rules.route("路燈", "建議路燈改用LED。");
    EXPECT_EQ(byText.category, cases::Category::Suggestion);
    const auto byRule = rules.route("租金", "租金太貴了。");
    EXPECT_EQ(byRule.category, cases::Category::Inquiry);
    EXPECT_EQ(byRule.routing.categoryReason, "rule lease sets it");
}

// One rule for the status a case opens with, whichever channel opens it (e-mail, staff entry, OCR).
TEST(RoutingDecision, OpeningStatusIsReferredReceivedOrAssigned) {
    RoutingDecision atDesk;
    EXPECT_EQ(atDesk.openingStatus(), cases::CaseStatus::Received);
    RoutingDecision routed;
    routed.routing.rule = "streetlight";
    EXPECT_EQ(routed.openingStatus(), cases::CaseStatus::Assigned);
    RoutingDecision referred = routed;
    referred.referralId = "nhi";
    EXPECT_EQ(referred.openingStatus(), cases::CaseStatus::Referred);
}

TEST(RuleSet, ErrorsNameFileAndLine) {
    try {
        RuleSet::parse("# comment\n[a]\nunit = nowhere\ncategory = rights\nkeywords = x\n", "rules.conf", units());
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "rules.conf:3: unknown unit `nowhere`");
    }
    try {
        RuleSet::parse("[a]\nunit = intake\ncategory = rights\nkeyword = x\n", "rules.conf", units());
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("rules.conf:4: unknown key `keyword`"), std::string::npos) << e.what();
    }
    EXPECT_THROW(RuleSet::parse("[a]\nunit = intake\ncategory = feelings\nkeywords = x\n", "r", units()), ConfigError);
    EXPECT_THROW(RuleSet::parse("[a]\nunit = intake\npriority = high\ncategory = other\nkeywords = x\n", "r", units()),
                 ConfigError);
    EXPECT_THROW(RuleSet::parse("unit = intake\n", "r", units()), ConfigError);
}

std::string shipped(const std::string& name) {
    std::ifstream in(std::string(COMPLAINTD_SOURCE_DIR) + "/routing/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(ShippedRules, LoadAndRouteCommonComplaints) {
    const auto u = UnitDirectory::parse(shipped("units.conf"), "units.conf");
    const auto referrals = ReferralDirectory::parse(shipped("referrals.conf"), "referrals.conf");
    const auto rules = RuleSet::parse(shipped("rules.conf"), "rules.conf", u, referrals);
    EXPECT_EQ(u.find(rules.route("紫楝路路燈故障", "").unitId)->name, "工務組");
    EXPECT_EQ(u.find(rules.route("陳情", "工廠夜間噪音很大").unitId)->name, "環安組");
    EXPECT_EQ(u.find(rules.route("廠房租約問題", "").unitId)->name, "投資服務組");
    EXPECT_EQ(u.find(rules.route("你好", "請問上班時間").unitId)->name, "總收文");
    const auto referral = rules.route("健保卡遺失", "請問健保卡怎麼補發");
    EXPECT_EQ(referral.referralId, "nhi");
    EXPECT_EQ(referrals.find(referral.referralId)->name, "衛生福利部中央健康保險署");
    EXPECT_EQ(referral.unitId, "intake");
}

TEST(RuleSet, ReferralMustExistInTheDirectory) {
    const auto referrals = ReferralDirectory::parse("[nhi]\nname = 健保署\n", "referrals.conf");
    EXPECT_THROW(RuleSet::parse("[a]\nreferral = police\ncategory = other\nkeywords = x\n", "r", units(), referrals),
                 ConfigError);
    const auto rules =
        RuleSet::parse("[a]\nreferral = nhi\ncategory = other\nkeywords = 健保\n", "r", units(), referrals);
    EXPECT_EQ(rules.route("健保", "").referralId, "nhi");
}

}  // namespace
}  // namespace complaintd::routing
