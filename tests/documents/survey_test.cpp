#include "documents/survey.h"

#include <gtest/gtest.h>

#include "documents/survey_answers.h"
#include "documents/survey_form.h"
#include "fixtures.h"

namespace complaintd::documents {
namespace {

std::vector<std::string> labelsOf(std::string_view questionId) {
    std::vector<std::string> labels;
    for (const auto& c : findQuestion(questionId)->choices) labels.push_back(c.label);
    return labels;
}

TEST(Survey, HasEveryQuestionOfTheFormInItsOrder) {
    std::vector<std::string> ids;
    for (const auto& q : surveyQuestions()) ids.push_back(q.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "3-1", "4", "5", "6", "6-1", "7", "8", "8-1", "9-sex",
                                             "9-age", "9-education", "9-occupation", "suggestions"}));
}

TEST(Survey, ChoicesAreWordedAsTheSeedForm) {
    EXPECT_EQ(labelsOf("6"), (std::vector<std::string>{"非常滿意", "滿意", "尚可", "不滿意", "非常不滿意", "沒意見",
                                                       "不知道", "其他"}));
    EXPECT_EQ(labelsOf("3"), (std::vector<std::string>{"10天內", "11－20天", "21－30天", "31天以上", "忘記了"}));
    EXPECT_EQ(labelsOf("2"), (std::vector<std::string>{"來函", "電話", "傳真", "EMAIL", "親臨", "其他"}));
    EXPECT_EQ(labelsOf("5"), (std::vector<std::string>{"完全解決", "部分解決", "完全沒有解決", "只是提出建議供參考",
                                                       "不知道", "其他"}));
    EXPECT_EQ(labelsOf("6-1").at(3), "內容係例稿，欠缺誠意");
    EXPECT_EQ(labelsOf("8-1").at(1), "處理結果與期望相差太遠");
    EXPECT_EQ(labelsOf("9-occupation").at(5), "自由業（醫師、律師、會計師等）");
    EXPECT_EQ(findQuestion("6")->text, "請問您對於有關機關的答覆內容滿意嗎？（答不滿意或非常不滿者，請續答6-1題）");
}

TEST(Survey, MultipleChoiceOnlyWhereTheFormSaysSo) {
    for (const auto& q : surveyQuestions()) {
        const bool multiple = q.id == "6-1" || q.id == "8-1";
        EXPECT_EQ(q.kind == AnswerKind::MultipleChoice, multiple) << q.id;
    }
    EXPECT_EQ(findQuestion("1")->kind, AnswerKind::Text);
    EXPECT_EQ(findQuestion("suggestions")->kind, AnswerKind::Text);
}

TEST(Survey, FindsChoicesByIdLabelOrAliasWhateverTheWidth) {
    const auto& q3 = *findQuestion("3");
    EXPECT_EQ(findChoice(q3, "11-20")->id, "11-20");
    EXPECT_EQ(findChoice(q3, "１１－２０天")->id, "11-20");
    EXPECT_EQ(findChoice(*findQuestion("2"), "E-mail")->id, "email");
    EXPECT_EQ(findChoice(*findQuestion("9-occupation"), "自由業")->id, "professional");
    EXPECT_EQ(findChoice(q3, "兩週"), nullptr);
    EXPECT_EQ(findQuestion("10"), nullptr);
}

TEST(Survey, ChannelChoiceFollowsTheCase) {
    EXPECT_EQ(surveyChannelChoice(cases::Channel::InPerson), "in-person");
    EXPECT_EQ(findChoice(*findQuestion("2"), surveyChannelChoice(cases::Channel::Letter))->label, "來函");
}

TEST(SurveyText, IsPrefilledWithTheCaseAndMarksTheChannel) {
    const auto form = test::streetLightForm();
    EXPECT_NE(form.find("客訴案件處理情形調查表"), std::string::npos);
    EXPECT_NE(form.find("115年11月30日"), std::string::npos);
    EXPECT_NE(form.find("客訴案件編號：115-001"), std::string::npos);
    EXPECT_NE(form.find("客訴事由：紫楝路路燈不亮"), std::string::npos);
    EXPECT_NE(form.find("（V）EMAIL"), std::string::npos);
    EXPECT_NE(form.find("（ ）非常滿意"), std::string::npos);
    EXPECT_NE(form.find("台南縣新市鄉紫楝路21號"), std::string::npos);
    EXPECT_NE(form.find("V、X、✓、v 或 ○"), std::string::npos);
}

TEST(SurveyText, ListsEveryChoiceOfEveryQuestionInABox) {
    const auto form = test::streetLightForm();
    for (const auto& q : surveyQuestions())
        for (const auto& c : q.choices)
            if (q.id != "2") {
                EXPECT_NE(form.find("（ ）" + c.label), std::string::npos) << q.id << " " << c.label;
            }
}

TEST(SurveyText, NoLineIsWiderThanAMailClientShows) {
    const auto form = test::streetLightForm();
    std::size_t start = 0;
    while (start < form.size()) {
        auto end = form.find('\n', start);
        if (end == std::string::npos) end = form.size();
        const auto line = form.substr(start, end - start);
        std::size_t columns = 0;
        for (unsigned char ch : line) columns += (ch < 0x80) ? 1 : ((ch & 0xC0) == 0xC0 ? 2 : 0);
        EXPECT_LE(columns, 78u) << line;
        start = end + 1;
    }
}

TEST(SurveyAnswers, StaffEntryTakesIdsOrLabels) {
    auto answers = emptyAnswers();
    EXPECT_EQ(setAnswer(answers, "3=11-20"), std::nullopt);
    EXPECT_EQ(setAnswer(answers, "6", "滿意"), std::nullopt);
    EXPECT_EQ(setAnswer(answers, "6-1", "處理時間太慢,問題未解決"), std::nullopt);
    EXPECT_EQ(setAnswer(answers, "5=其他：還在觀察"), std::nullopt);
    EXPECT_EQ(answers.chosen("3"), "11-20");
    EXPECT_EQ(answers.chosen("6"), "satisfied");
    EXPECT_EQ(answers.find("6-1")->choiceIds, (std::vector<std::string>{"not-solved", "too-slow"}));
    EXPECT_EQ(answers.find("5")->text, "還在觀察");
    EXPECT_EQ(answers.status, FormStatus::Partial);
}

TEST(SurveyAnswers, StaffEntryRefusesWhatIsNotAChoice) {
    auto answers = emptyAnswers();
    const auto unknownChoice = setAnswer(answers, "6=還可以吧");
    ASSERT_TRUE(unknownChoice);
    EXPECT_NE(unknownChoice->find("satisfied (滿意)"), std::string::npos) << *unknownChoice;
    EXPECT_TRUE(setAnswer(answers, "12=是"));
    EXPECT_TRUE(setAnswer(answers, "6=滿意、不滿意"));  // single choice
    EXPECT_TRUE(setAnswer(answers, "6"));
    EXPECT_EQ(answers.find("6")->state, AnswerState::Unanswered);
}

TEST(SurveyAnswers, CompleteWhenEveryQuestionThatAppliesIsAnswered) {
    auto answers = emptyAnswers();
    for (const auto* set : {"2=email", "3=le10", "4=否", "5=完全解決", "6=非常滿意", "7=否", "8=否", "9-sex=女",
                            "9-age=30-39歲", "9-education=大學及以上", "9-occupation=企業主"})
        ASSERT_EQ(setAnswer(answers, set), std::nullopt) << set;
    EXPECT_EQ(answers.status, FormStatus::Complete);  // 3-1, 6-1 and 8-1 do not apply
    setAnswer(answers, "6=不滿意");
    EXPECT_EQ(answers.status, FormStatus::Partial);  // now 6-1 applies
    setAnswer(answers, "6-1=處理態度不佳");
    EXPECT_EQ(answers.status, FormStatus::Complete);
}

TEST(SurveyAnswers, DissatisfiedOnQuestionSixOrNothingSolved) {
    auto answers = emptyAnswers();
    EXPECT_FALSE(isDissatisfied(answers));
    setAnswer(answers, "6=尚可");
    EXPECT_FALSE(isDissatisfied(answers));
    setAnswer(answers, "6=非常不滿意");
    EXPECT_TRUE(isDissatisfied(answers));
    setAnswer(answers, "6=滿意");
    setAnswer(answers, "5=完全沒有解決");
    EXPECT_TRUE(isDissatisfied(answers));
}

}  // namespace
}  // namespace complaintd::documents
