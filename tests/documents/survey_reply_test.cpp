#include "documents/survey_reply.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"

namespace complaintd::documents {
namespace {

using test::gmailQuoted;
using test::markChoice;
using test::streetLightForm;

// The street-light form filled in completely: 11-20 days, not several agencies, partly solved, satisfied.
std::string filledForm(std::string_view mark = "V") {
    auto form = streetLightForm();
    for (const auto& [anchor, label] : std::vector<std::pair<std::string, std::string>>{{"3.", "11－20天"},
                                                                                        {"4.", "否"},
                                                                                        {"5.", "部分解決"},
                                                                                        {"6.", "滿意"},
                                                                                        {"7.", "否"},
                                                                                        {"8.", "否"},
                                                                                        {"性別", "男"},
                                                                                        {"年齡", "40-49歲"},
                                                                                        {"教育程度", "專科"},
                                                                                        {"職業", "一般企業職員"}})
        form = markChoice(form, anchor, label, mark);
    return form;
}

std::vector<std::string> chosen(const SurveyAnswers& a, std::string_view id) { return a.find(id)->choiceIds; }

TEST(SurveyReply, GmailQuotedFormMarkedInPlace) {
    const auto reply =
        "您好，問卷填好了。\n\nOn Thu, Dec 3, 2026 at 10:02 AM 樹谷園區服務中心 <complaints@shugu.example> "
        "wrote:\n" +
        gmailQuoted(filledForm());
    const auto a = parseSurveyReply(reply);
    EXPECT_EQ(a.status, FormStatus::Complete);
    EXPECT_EQ(a.chosen("2"), "email");
    EXPECT_EQ(a.chosen("3"), "11-20");
    EXPECT_EQ(a.chosen("5"), "partly");
    EXPECT_EQ(a.chosen("6"), "satisfied");
    EXPECT_EQ(a.chosen("9-occupation"), "employee");
    EXPECT_EQ(a.find("6-1")->state, AnswerState::Unanswered);
    ASSERT_TRUE(a.caseNumber);
    EXPECT_EQ(a.caseNumber->toString(), "115-001");
    EXPECT_FALSE(isDissatisfied(a));
}

TEST(SurveyReply, NestedQuotesAndEveryKindOfMark) {
    for (const auto* mark : {"V", "v", "X", "x", "O", "✓", "✔", "○", "Ｖ", " V ", "√", "☑", "✗"}) {
        const auto a = parseSurveyReply(gmailQuoted(gmailQuoted(filledForm(mark)), ">"));
        EXPECT_EQ(a.status, FormStatus::Complete) << mark;
        EXPECT_EQ(a.chosen("6"), "satisfied") << mark;
    }
}

TEST(SurveyReply, AsciiParenthesesAroundTheMark) {
    auto form = streetLightForm();
    const auto at = form.find("（ ）不滿意");
    form.replace(at, std::string_view("（ ）").size(), "(v)");
    const auto a = parseSurveyReply(form);
    EXPECT_EQ(a.chosen("6"), "dissatisfied");
    EXPECT_TRUE(isDissatisfied(a));
}

TEST(SurveyReply, OutlookHeaderBlockBelowTheAnswer) {
    const auto reply =
        "已填寫，請查收。\r\n\r\n-----Original Message-----\r\nFrom: 樹谷園區服務中心 "
        "<complaints@shugu.example>\r\nSent: Thursday, December 3, 2026 10:02 AM\r\nTo: "
        "wang@example.org\r\nSubject: [115-001] 樹谷園區服務中心函復：紫楝路路燈不亮\r\n\r\n" +
        markChoice(markChoice(streetLightForm(), "6.", "非常不滿意"), "6-1.", "處理時間太慢");
    const auto a = parseSurveyReply(reply);
    EXPECT_EQ(a.chosen("6"), "very-dissatisfied");
    EXPECT_EQ(chosen(a, "6-1"), std::vector<std::string>{"too-slow"});
    EXPECT_EQ(a.status, FormStatus::Partial);
    EXPECT_TRUE(isDissatisfied(a));
}

TEST(SurveyReply, ChineseOutlookHeaderAndOtherText) {
    auto form = markChoice(streetLightForm(), "5.", "其他");
    form.replace(form.find("（V）其他：＿＿＿＿"), std::string_view("（V）其他：＿＿＿＿").size(),
                 "（V）其他：等台電處理");
    const auto reply =
        "寄件者: 樹谷園區服務中心 <complaints@shugu.example>\n寄件日期: 2026年12月3日 上午 10:02\n"
        "主旨: [115-001] 函復\n\n" +
        form;
    const auto a = parseSurveyReply(reply);
    EXPECT_EQ(a.chosen("5"), "other");
    EXPECT_EQ(a.find("5")->text, "等台電處理");
}

TEST(SurveyReply, TopPostedTypedAnswersOverTheQuotedForm) {
    const auto reply =
        "3. 11-20天\n4：否\n5. 完全沒有解決\n6、不滿意\n6-1. 問題未解決、處理時間太慢\n"
        "性別：女\n其他建議：希望路燈能定期巡檢\n\n"
        "On Thu, Dec 3, 2026 at 10:02 AM 樹谷園區服務中心 wrote:\n" +
        gmailQuoted(streetLightForm());
    const auto a = parseSurveyReply(reply);
    EXPECT_EQ(a.chosen("3"), "11-20");
    EXPECT_EQ(a.chosen("4"), "no");
    EXPECT_EQ(a.chosen("5"), "not-solved");
    EXPECT_EQ(a.chosen("6"), "dissatisfied");
    EXPECT_EQ(chosen(a, "6-1"), (std::vector<std::string>{"not-solved", "too-slow"}));
    EXPECT_EQ(a.chosen("9-sex"), "female");
    EXPECT_EQ(a.find("suggestions")->text, "希望路燈能定期巡檢");
    EXPECT_EQ(a.status, FormStatus::Partial);  // 7, 8 and the rest of 9 left out
    EXPECT_TRUE(isDissatisfied(a));
}

TEST(SurveyReply, FormRetypedByHandInTheSeedsStyle) {
    const std::string reply =
        "１.請問您提出客訴的時間：115年11月30日\n客訴案件編號：１１５－００１\n"
        "２.（Ｖ）EMAIL\n３.請問您多久後收到正式答覆？（Ｖ）10天內\n"
        "４. 否\n５. 完全解決\n６．非常滿意\n７.(○)否\n８ 否\n"
        "９.基本資料\n性別（ ）女 （✓）男\n年齡 50-59歲\n教育程度：大學及以上\n職業：軍公教\n"
        "其他建議：\n謝謝你們很快就修好了\n\n王小明 敬上\n";
    const auto a = parseSurveyReply(reply);
    EXPECT_EQ(a.chosen("2"), "email");
    EXPECT_EQ(a.chosen("3"), "le10");
    EXPECT_EQ(a.chosen("6"), "very-satisfied");
    EXPECT_EQ(a.chosen("7"), "no");
    EXPECT_EQ(a.chosen("8"), "no");
    EXPECT_EQ(a.chosen("9-sex"), "male");
    EXPECT_EQ(a.chosen("9-age"), "50-59");
    EXPECT_EQ(a.chosen("9-education"), "university");
    EXPECT_EQ(a.chosen("9-occupation"), "public-servant");
    EXPECT_EQ(a.find("suggestions")->text, "謝謝你們很快就修好了");
    ASSERT_TRUE(a.caseNumber);
    EXPECT_EQ(a.caseNumber->toString(), "115-001");
    EXPECT_EQ(a.status, FormStatus::Complete);
}

TEST(SurveyReply, PartlyFilledIsPartial) {
    const auto a = parseSurveyReply(gmailQuoted(markChoice(streetLightForm(), "6.", "尚可")));
    EXPECT_EQ(a.status, FormStatus::Partial);
    EXPECT_EQ(a.chosen("6"), "fair");
    EXPECT_EQ(a.find("3")->state, AnswerState::Unanswered);
}

TEST(SurveyReply, TwoMarksOnASingleChoiceQuestionAreUnreadable) {
    const auto form = markChoice(markChoice(filledForm(), "6.", "不滿意"), "7.", "是");
    const auto a = parseSurveyReply(gmailQuoted(form));
    EXPECT_EQ(a.find("6")->state, AnswerState::Unreadable);
    EXPECT_NE(a.find("6")->problem.find("2 marks"), std::string::npos) << a.find("6")->problem;
    EXPECT_TRUE(a.find("6")->choiceIds.empty());
    EXPECT_EQ(a.find("7")->state, AnswerState::Unreadable);
    EXPECT_EQ(a.chosen("5"), "partly");  // the other questions are still read
    EXPECT_EQ(a.status, FormStatus::Partial);
    EXPECT_FALSE(isDissatisfied(a));  // never guessed from an unreadable answer
}

TEST(SurveyReply, TypedAnswerContradictingTheMarkedFormIsUnreadable) {
    const auto reply = "6. 非常滿意\n\nOn Thu, Dec 3, 2026 wrote:\n" + gmailQuoted(filledForm());
    EXPECT_EQ(parseSurveyReply(reply).find("6")->state, AnswerState::Unreadable);
}

TEST(SurveyReply, SeveralMarksOnAMultipleChoiceQuestion) {
    auto form = markChoice(markChoice(streetLightForm(), "6.", "非常不滿意"), "6-1.", "處理態度不佳");
    form = markChoice(markChoice(form, "6-1.", "相關機關推諉責任", "X"), "6-1.", "其他", "✓");
    const auto a = parseSurveyReply(form);
    EXPECT_EQ(chosen(a, "6-1"), (std::vector<std::string>{"attitude", "passing-buck", "other"}));
}

TEST(SurveyReply, TypedAnswerNamingNoChoiceIsUnreadable) {
    const auto a = parseSurveyReply("6. 還可以吧\n5. 部分解決\n");
    EXPECT_EQ(a.find("6")->state, AnswerState::Unreadable);
    EXPECT_EQ(a.chosen("5"), "partly");
}

TEST(SurveyReply, UntouchedFormOrNoFormIsUnreadable) {
    EXPECT_EQ(parseSurveyReply(gmailQuoted(streetLightForm())).status, FormStatus::Unreadable);
    EXPECT_EQ(parseSurveyReply("謝謝，路燈已經修好了。\n").status, FormStatus::Unreadable);
    EXPECT_EQ(parseSurveyReply("").status, FormStatus::Unreadable);
}

TEST(SurveyReply, InstructionsAreNotTakenForAnswers) {
    // The person typed an answer above the instructions without any mail header in between.
    const auto a = parseSurveyReply("6. 不滿意\n6-1. 處理時間太慢\n" + gmailQuoted(streetLightForm()));
    EXPECT_EQ(a.chosen("6"), "dissatisfied");
}

TEST(SurveyReply, ProseAroundTheFormDoesNotAnswer) {
    const auto a = parseSurveyReply("年齡不方便透露。\n職業訓練的問題下次再談。\n" + gmailQuoted(filledForm()));
    EXPECT_EQ(a.chosen("9-occupation"), "employee");
    EXPECT_EQ(a.status, FormStatus::Complete);
}

TEST(SurveyReply, SurvivesBinaryGarbage) {
    std::string garbage;
    for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 131) % 256);
    const auto a = parseSurveyReply(garbage + "（V）\n6.（\xE2）(" + garbage);
    EXPECT_EQ(a.answers.size(), surveyQuestions().size());
}

TEST(SurveyReply, KeepsSixteenTextAnswersOfAQuestionAtMost) {
    std::string reply;
    for (int i = 0; i < 5000; ++i) reply += "1. 去年" + std::to_string(i) + "月\n";
    const auto a = parseSurveyReply(reply);
    const auto& text = a.find("1")->text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 15);
    EXPECT_TRUE(text.starts_with("去年0月\n去年1月\n"));
}

TEST(SurveyReply, ATextAnswerContainedInAnotherIsKeptOnce) {
    const std::string longer = "1. " + std::string(5000, 'a') + "b\n";
    const std::string shorter = "1. " + std::string(4000, 'a') + "\n";
    EXPECT_EQ(parseSurveyReply(longer + shorter).find("1")->text, std::string(5000, 'a') + "b");
    EXPECT_EQ(parseSurveyReply("1. aab\n1. ab\n1. abb\n").find("1")->text, "aab\nabb");
}

}  // namespace
}  // namespace complaintd::documents
