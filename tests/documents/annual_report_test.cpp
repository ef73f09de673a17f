#include "documents/annual_report.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "fixture_year.h"
#include "pdf_check.h"

namespace complaintd::documents {
namespace {

using std::chrono::year;

ReportedCase record(int sequence, const char* received, std::optional<cases::Date> replied, const char* unit) {
    ReportedCase r;
    r.caseFile.number = {115, sequence};
    r.caseFile.receivedAt = cases::parseIso8601(received);
    const auto start = std::chrono::sys_days{cases::localDate(r.caseFile.receivedAt)};
    r.caseFile.deadlines = cases::Deadlines{start + std::chrono::days{7}, start + std::chrono::days{30}};
    r.repliedOn = replied;
    r.unitName = unit;
    return r;
}

SurveyAnswers survey(std::initializer_list<const char*> settings) {
    auto s = emptyAnswers();
    for (const auto* set : settings) EXPECT_EQ(setAnswer(s, set), std::nullopt) << set;
    return s;
}

// Five cases of 2026 and one of 2025, small enough to count by hand.
std::vector<ReportedCase> smallYear() {
    std::vector<ReportedCase> records;
    records.push_back(record(1, "2026-01-05T09:00:00+08:00", year{2026} / 1 / 8, "工務組"));  // 3 days
    records.back().caseFile.complainant.email = "Wang@Example.org";
    records.back().survey = survey({"6=滿意", "5=完全解決"});
    records.push_back(record(2, "2026-01-20T09:00:00+08:00", year{2026} / 2 / 5, "工務組"));  // 16 days
    records.back().caseFile.complainant.phone = "06-505 0123";
    records.back().caseFile.channel = cases::Channel::Phone;
    records.back().survey = survey({"6=不滿意", "6-1=處理時間太慢"});
    records.back().reopenCount = 1;
    records.push_back(record(3, "2026-03-01T09:00:00+08:00", year{2026} / 4 / 10, "環安組"));  // 40 days
    records.back().caseFile.complainant.email = "wang@example.org";
    records.back().caseFile.category = cases::Category::Suggestion;
    records.back().survey = survey({"6=非常滿意"});
    records.push_back(record(4, "2026-03-02T09:00:00+08:00", std::nullopt, "工務組"));
    records.back().filedReason = cases::FilingReason::AlreadyAnswered;
    records.push_back(record(5, "2026-12-30T09:00:00+08:00", std::nullopt, ""));  // not yet answered
    records.back().caseFile.unit = "intake";
    records.back().caseFile.complainant.phone = "(06) 5050123";
    records.back().referred = true;
    records.push_back(record(6, "2025-12-31T09:00:00+08:00", year{2026} / 1 / 2, "工務組"));  // last year
    return records;
}

int countOf(const std::vector<Count>& counts, const std::string& id) {
    for (const auto& c : counts)
        if (c.id == id) return c.count;
    return -1;
}

TEST(AnnualAggregates, CountsTheCasesOfTheYearOnly) {
    const auto r = computeAnnualAggregates(2026, smallYear());
    EXPECT_EQ(r.rocYear, 115);
    EXPECT_EQ(r.totalCases, 5);
    EXPECT_EQ(countOf(r.byMonth, "2026-01"), 2);
    EXPECT_EQ(countOf(r.byMonth, "2026-03"), 2);
    EXPECT_EQ(countOf(r.byMonth, "2026-12"), 1);
    EXPECT_EQ(countOf(r.byCategory, "suggestion"), 1);
    EXPECT_EQ(countOf(r.byCategory, "other"), 4);
    EXPECT_EQ(countOf(r.byChannel, "phone"), 1);
    EXPECT_EQ(countOf(r.byChannel, "email"), 4);
    ASSERT_EQ(r.byUnit.size(), 3u);
    EXPECT_EQ(r.byUnit[0].label, "工務組");  // most cases first
    EXPECT_EQ(r.byUnit[0].count, 3);
    EXPECT_EQ(countOf(r.byUnit, "intake"), 1);  // no unit name: the unit id
    EXPECT_EQ(r.categoryByChannel.total(), 5);
    EXPECT_EQ(r.unitByCategory.total(), 5);
}

TEST(AnnualAggregates, CubeHoldsEveryCaseOnce) {
    const auto r = computeAnnualAggregates(2026, smallYear());
    int sum = 0;
    for (const auto& c : r.cells) sum += c.count;
    EXPECT_EQ(sum, 5);
    EXPECT_EQ(r.cells.front().category, "suggestion");  // in the order of the form
}

TEST(AnnualAggregates, TimeToAnswerInTheSurveysBucketsAndBothDeadlines) {
    const auto r = computeAnnualAggregates(2026, smallYear());
    EXPECT_EQ(countOf(r.answerTime, "le10"), 1);
    EXPECT_EQ(countOf(r.answerTime, "11-20"), 1);
    EXPECT_EQ(countOf(r.answerTime, "21-30"), 0);
    EXPECT_EQ(countOf(r.answerTime, "31+"), 1);
    EXPECT_EQ(countOf(r.answerTime, "unanswered"), 1);  // the filed case owes no answer
    EXPECT_EQ(r.target.onTime, 1);
    EXPECT_EQ(r.target.late, 2);
    EXPECT_EQ(r.target.unanswered, 1);
    EXPECT_EQ(r.legal.onTime, 2);
    EXPECT_EQ(r.legal.late, 1);
    EXPECT_NEAR(*r.legal.rate(), 2.0 / 3, 1e-9);
}

TEST(AnnualAggregates, FilingReferralsRepeatsAndReopening) {
    const auto r = computeAnnualAggregates(2026, smallYear());
    EXPECT_EQ(r.filed, 1);
    EXPECT_EQ(countOf(r.filedByReason, "2"), 1);
    EXPECT_EQ(r.filedByReason.size(), 4u);
    EXPECT_EQ(r.referrals, 1);
    EXPECT_EQ(r.repeatComplainants, 2);  // the same e-mail in other case, the same phone written otherwise
    EXPECT_EQ(r.casesFromRepeatComplainants, 4);
    EXPECT_EQ(r.reopened, 1);
}

TEST(AnnualAggregates, SurveyDistributionAndSatisfactionRate) {
    const auto r = computeAnnualAggregates(2026, smallYear());
    EXPECT_EQ(r.survey.returned, 3);
    EXPECT_EQ(r.survey.rated, 3);
    EXPECT_EQ(r.survey.satisfied, 2);
    EXPECT_NEAR(*r.survey.satisfactionRate(), 2.0 / 3, 1e-9);
    EXPECT_EQ(r.survey.dissatisfied, 1);
    const auto* q6 = r.survey.find("6");
    ASSERT_NE(q6, nullptr);
    EXPECT_EQ(countOf(q6->choices, "satisfied"), 1);
    EXPECT_EQ(countOf(q6->choices, "very-satisfied"), 1);
    EXPECT_EQ(countOf(q6->choices, "dissatisfied"), 1);
    EXPECT_EQ(q6->answered, 3);
    ASSERT_NE(r.survey.find("6-1"), nullptr);
    EXPECT_EQ(countOf(r.survey.find("6-1")->choices, "too-slow"), 1);  // the reasons for dissatisfaction
    EXPECT_EQ(r.survey.find("suggestions"), nullptr);                  // text, not counted
}

// The year-end step: the register by category, case by case, and the review forms compiled.
TEST(AnnualAggregates, ListsTheCasesByCategoryAndCompilesTheReviewForms) {
    auto records = smallYear();
    records[3].managementOpinion = "請工務組加強巡查。";
    const auto r = computeAnnualAggregates(2026, records);
    ASSERT_EQ(r.casesByCategory.size(), 5u);                      // the year's cases only
    EXPECT_EQ(r.casesByCategory.front().category, "suggestion");  // 115-003, in the order of the categories
    EXPECT_EQ(r.casesByCategory.front().caseNumber, "115-003");
    EXPECT_EQ(r.casesByCategory[1].caseNumber, "115-001");
    // Reviewed: the three with a survey and the one with an opinion, by number.
    ASSERT_EQ(r.reviews.size(), 4u);
    EXPECT_EQ(r.reviews[0].caseNumber.toString(), "115-001");
    EXPECT_EQ(r.reviews[3].caseNumber.toString(), "115-004");
    EXPECT_EQ(r.reviews[3].managementOpinion, "請工務組加強巡查。");
    EXPECT_NE(r.reviews[1].surveyAnalysis.find("不滿意"), std::string::npos) << r.reviews[1].surveyAnalysis;
    const auto csv = renderAnnualReportCsv(r);
    EXPECT_NE(csv.find("客訴案件類總表（逐案）"), std::string::npos);
    EXPECT_NE(csv.find("請工務組加強巡查。"), std::string::npos);
    EXPECT_NE(renderAnnualReportJson(r).find("\"reviews\": ["), std::string::npos);
}

TEST(AnnualAggregates, EmptyYearHasNoRates) {
    const auto r = computeAnnualAggregates(2027, smallYear());
    EXPECT_EQ(r.totalCases, 0);
    EXPECT_FALSE(r.target.rate());
    EXPECT_FALSE(r.survey.satisfactionRate());
    EXPECT_NO_THROW(renderAnnualReportPdf(r));
}

TEST(AnnualAggregates, FixtureYearAddsUp) {
    const auto r = computeAnnualAggregates(2026, test::fixtureYear());
    EXPECT_EQ(r.totalCases, 40);
    int months = 0, buckets = 0;
    for (const auto& m : r.byMonth) months += m.count;
    for (const auto& b : r.answerTime) buckets += b.count;
    EXPECT_EQ(months, 40);
    EXPECT_EQ(buckets + r.filed, 40);
    EXPECT_EQ(r.filed, 4);
    for (const auto& f : r.filedByReason) EXPECT_EQ(f.count, 1) << f.id;
    EXPECT_EQ(r.repeatComplainants, 6);
    EXPECT_EQ(r.target.onTime + r.target.late + r.target.unanswered, 36);
    EXPECT_GT(r.survey.returned, 5);
    EXPECT_EQ(r.survey.unreadable + r.survey.partial + r.survey.complete, r.survey.returned);
}

TEST(AnnualReportCsv, OpensInExcelAsUtf8) {
    auto records = smallYear();
    records[0].unitName = "工務組, 二課";  // a comma must be quoted
    const auto csv = renderAnnualReportCsv(computeAnnualAggregates(2026, records));
    EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
    EXPECT_NE(csv.find("\r\n"), std::string::npos);
    EXPECT_EQ(csv.find("\n", 0) - 1, csv.find("\r\n"));
    for (const auto* expected :
         {"客訴案件類總表", "客訴類別＼客訴方式,來函,電話,傳真,E-mail,到中心,合計", "行政興革之建議,0,0,0,1,0,1",
          "\"工務組, 二課\"", "10天內,1", "法定處理期限（30日）,2,1,1,66.7%",
          "第二款,同一事由經適當處理並已明確答復，仍一再客訴,1", "重複陳情人,2", "滿意度（非常滿意及滿意）,66.7%",
          "6-1,請問您不滿意的理由？（可複選）,too-slow,處理時間太慢,1"})
        EXPECT_NE(csv.find(expected), std::string::npos) << expected;
}

TEST(AnnualReportJson, IsValidAndCarriesTheAggregates) {
    const auto json = renderAnnualReportJson(computeAnnualAggregates(2026, smallYear()));
    Poco::JSON::Parser parser;
    const auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(root->getValue<int>("totalCases"), 5);
    EXPECT_EQ(root->getValue<int>("rocYear"), 115);
    EXPECT_EQ(root->getArray("byCategory")->size(), 5u);
    EXPECT_EQ(root->getArray("byMonth")->size(), 12u);
    const auto legal = root->getObject("deadlines")->getObject("legal");
    EXPECT_NEAR(legal->getValue<double>("rate"), 0.6667, 1e-4);
    EXPECT_EQ(root->getObject("categoryByChannel")->getArray("cells")->size(), 5u);
    const auto survey = root->getObject("survey");
    EXPECT_EQ(survey->getValue<int>("returned"), 3);
    EXPECT_EQ(survey->getArray("questions")->getObject(0)->getValue<std::string>("id"), "2");
    EXPECT_EQ(root->getArray("byUnit")->getObject(0)->getValue<std::string>("label"), "工務組");
    const auto empty = parser.parse(renderAnnualReportJson(computeAnnualAggregates(2027, {})));
    EXPECT_TRUE(empty.extract<Poco::JSON::Object::Ptr>()->getObject("deadlines")->getObject("target")->isNull("rate"));
}

std::string compact(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    return out;
}

TEST(AnnualReportPdf, ReadsAsAReportWithTablesAndCharts) {
    const auto pdf = renderAnnualReportPdf(computeAnnualAggregates(2026, test::fixtureYear()));
    const auto text = compact(test::pdfText(pdf, "annual-report.pdf"));
    for (const auto* expected : {"樹谷園區服務中心",
                                 "115年度客訴案件處理成果報告",
                                 "壹、總覽",
                                 "貳、客訴案件類總表",
                                 "參、各月份受理情形",
                                 "肆、各承辦單位受理情形",
                                 "伍、答復時效",
                                 "陸、存查、轉介及重複陳情",
                                 "柒、滿意度調查",
                                 "捌、客訴案件類總表（逐案",
                                 "玖、客訴案件檢討分析",
                                 "行政興革之建議",
                                 "行政上權益之維護",
                                 "E-mail",
                                 "到中心",
                                 "12月",
                                 "工務組",
                                 "投資服務組",
                                 "10天內",
                                 "31天以上",
                                 "七日內答復率",
                                 "第四款",
                                 "答覆內容滿意度（第6題）",
                                 "非常滿意",
                                 "不滿意的理由",
                                 "處理時間太慢",
                                 "各題填答分布",
                                 "本年度共受理客訴案件40件"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
    const auto ink = test::inkPerPage(pdf, "annual-report.pdf");
    EXPECT_GE(ink.size(), 4u);
    EXPECT_LE(ink.size(), 14u);  // with the 40 cases listed and their 14 review forms
    for (std::size_t page = 0; page < ink.size(); ++page) EXPECT_GT(ink[page], 0.01) << "page " << page + 1;
}

}  // namespace
}  // namespace complaintd::documents
