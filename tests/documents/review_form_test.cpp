#include "documents/review_form.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "pdf_check.h"

namespace complaintd::documents {
namespace {

std::string compact(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    return out;
}

// The street-light case answered on day 10 (after the 7-day target) and closed; the complainant
// returned the survey: dissatisfied because it took too long.
ReportedCase answeredLate() {
    ReportedCase r;
    r.caseFile = test::streetLightCase();
    r.unitName = "工務組";
    r.repliedOn = std::chrono::year{2026} / 12 / 10;
    r.closedOn = std::chrono::year{2026} / 12 / 12;
    r.reopenCount = 1;
    auto survey = emptyAnswers();
    for (const auto* set : {"3=le10", "5=部分解決", "6=不滿意", "6-1=處理時間太慢、其他：路燈還是常壞"})
        setAnswer(survey, set);
    setAnswer(survey, "suggestions", "希望增設路燈");
    r.survey = survey;
    return r;
}

TEST(ReviewAnalysis, SurveyAnalysisSaysWhatTheComplainantAnswered) {
    const auto text = surveyAnalysis(answeredLate().survey);
    for (const auto* expected :
         {"調查表已回收（部分填答）", "答覆內容滿意度：不滿意", "問題解決情形：部分解決", "收到正式答覆時間：10天內",
          "不滿意理由：處理時間太慢、其他（路燈還是常壞）", "其他建議：希望增設路燈", "依作業說明應續辦"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST(ReviewAnalysis, NoSurveyOrAnUnreadableOneIsSaid) {
    EXPECT_EQ(surveyAnalysis(std::nullopt), "尚未收到客訴案件處理情形調查表。");
    EXPECT_NE(surveyAnalysis(emptyAnswers()).find("無法判讀"), std::string::npos);
}

TEST(ReviewAnalysis, HandlingAnalysisWeighsTheDeadlines) {
    const auto text = handlingAnalysis(answeredLate());
    for (const auto* expected :
         {"本案於115年11月30日以電子郵件受理", "類別為「行政上權益之維護」", "分文工務組辦理",
          "預定結案日期為115年12月7日", "法定處理期限為115年12月30日", "於115年12月10日函復，距收文10日",
          "逾預定結案日期，惟於法定處理期限內答復", "已於115年12月12日結案", "曾續辦1次"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST(ReviewAnalysis, FiledCaseNamesItsReason) {
    ReportedCase r;
    r.caseFile = test::streetLightCase();
    r.filedReason = cases::FilingReason::AlreadyAnswered;
    const auto text = handlingAnalysis(r);
    EXPECT_NE(text.find("註記第2款"), std::string::npos) << text;
    EXPECT_EQ(text.find("尚未函復"), std::string::npos) << text;
}

TEST(ReviewForm, TextHasEveryPartOfTheForm) {
    const auto text = renderReviewText(reviewFormFor(answeredLate()));
    for (const auto* expected :
         {"附表三", "樹谷園區服務中心-客訴案件檢討分析表", "客訴案件檢討分析", "客訴編號：115-001",
          "客訴時間：中華民國115年11月30日 9時15分", "客訴事由：紫楝路路燈不亮（工務組）",
          "滿意度調查檢討分析：(詳閱客訴案件處理情形調查表)", "案件處理分析：", "長官.主管及各單位意見及建議：",
          "批准：", "主管：", "承辦："})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
}

TEST(ReviewForm, PdfIsOnePageTableWithRoomForOpinions) {
    const auto pdf = renderReviewPdf(reviewFormFor(answeredLate()));
    const auto text = compact(test::pdfText(pdf, "review.pdf"));
    for (const auto* expected : {"附表三", "客訴案件檢討分析表", "客訴編號：115-001", "客訴時間：中華民國115年11月30日",
                                 "滿意度調查檢討分析", "答覆內容滿意度：不滿意", "案件處理分析：", "逾預定結案日期",
                                 "長官.主管及各單位意見及建議", "批准：", "主管：", "承辦："})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    EXPECT_EQ(test::pageCount(pdf, "review.pdf"), 1);
    const auto ink = test::inkPerPage(pdf, "review.pdf");
    ASSERT_EQ(ink.size(), 1u);
    EXPECT_GT(ink[0], 0.01);
}

TEST(ReviewForm, LongOpinionKeepsTheTableAcrossPages) {
    auto form = reviewFormFor(answeredLate());
    for (int i = 1; i <= 50; ++i)
        form.managementOpinion += "意見" + std::to_string(i) + "：請工務組檢討路燈巡檢頻率並回報。\n";
    const auto pdf = renderReviewPdf(form);
    EXPECT_EQ(test::pageCount(pdf, "review-long.pdf"), 2);
    const auto text = compact(test::pdfText(pdf, "review-long.pdf"));
    EXPECT_NE(text.find("意見50："), std::string::npos);
    EXPECT_NE(text.find("承辦："), std::string::npos);
    for (double ink : test::inkPerPage(pdf, "review-long.pdf")) EXPECT_GT(ink, 0.005);
}

TEST(ReportedCase, FormatsTheTimeOfAComplaint) {
    EXPECT_EQ(formatRocDateTime(cases::parseIso8601("2026-11-30T23:05:00+08:00")), "中華民國115年11月30日 23時5分");
    EXPECT_EQ(formatRocDateTime(cases::parseIso8601("2026-11-30T16:30:00Z")), "中華民國115年12月1日 0時30分");
}

TEST(ReportedCase, IsAnsweredOnTheFirstReplyAndCountsEachReopening) {
    cases::CaseRecord r;
    r.fields.receivedAt = cases::parseIso8601("2026-11-30T09:00:00+08:00");
    r.fields.status = cases::CaseStatus::Closed;
    const auto event = [](const char* at, cases::CaseStatus to) {
        cases::CaseEvent e;
        e.at = cases::parseIso8601(at);
        e.kind = cases::EventKind::Status;
        e.toStatus = to;
        return e;
    };
    r.history = {event("2026-12-04T10:00:00+08:00", cases::CaseStatus::Replied),
                 event("2026-12-08T10:00:00+08:00", cases::CaseStatus::Reopened),
                 event("2026-12-10T10:00:00+08:00", cases::CaseStatus::Replied)};
    r.closedAt = cases::parseIso8601("2026-12-11T10:00:00+08:00");
    const auto d = reportedCase(r, "工務組");
    EXPECT_EQ(d.unitName, "工務組");
    EXPECT_EQ(d.repliedOn, (cases::Date{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{4}}));
    EXPECT_EQ(d.reopenCount, 1);
    EXPECT_EQ(d.closedOn, (cases::Date{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{11}}));
    EXPECT_FALSE(d.referred);
}

TEST(ReportedCase, AReferralIsAnsweredTheDayItOpened) {
    cases::CaseRecord r;
    r.fields.receivedAt = cases::parseIso8601("2026-11-30T23:30:00+08:00");
    r.fields.status = cases::CaseStatus::Referred;
    r.referral = "nhi";
    const auto d = reportedCase(r, "總收文");
    EXPECT_TRUE(d.referred);
    EXPECT_EQ(d.repliedOn, (cases::Date{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{30}}));
}

}  // namespace
}  // namespace complaintd::documents
