#include <gtest/gtest.h>

#include "documents/survey.h"
#include "documents/survey_form.h"
#include "fixtures.h"
#include "pdf_check.h"

namespace complaintd::documents {
namespace {

// pdftotext gives a line per printed line and keeps the characters; white space may differ.
std::string withoutSpaces(std::string text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ' || text[i] == '\n' || text[i] == '\f') continue;
        if (text.compare(i, 3, "\xE3\x80\x80") == 0) {  // ideographic space
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

class SurveyPdf : public ::testing::Test {
protected:
    static void SetUpTestSuite() { pdf_ = new std::string(renderSurveyPdf(test::streetLightPrefill())); }
    static void TearDownTestSuite() { delete pdf_; }
    static std::string* pdf_;
};
std::string* SurveyPdf::pdf_ = nullptr;

TEST_F(SurveyPdf, IsOneA4PageWithTheFontEmbedded) {
    EXPECT_TRUE(pdf_->starts_with("%PDF-"));
    EXPECT_EQ(test::pageCount(*pdf_, "survey.pdf"), 1);
    const auto fonts = test::pdfFonts(*pdf_, "survey.pdf");
    EXPECT_NE(fonts.find("UMing"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find(" no "), std::string::npos) << "a font is not embedded:\n" << fonts;
}

TEST_F(SurveyPdf, CarriesTheCaseEveryQuestionAndTheReturnAddress) {
    const auto text = withoutSpaces(test::pdfText(*pdf_, "survey.pdf"));
    for (const auto* expected :
         {"附表二", "樹谷園區服務中心-客訴案件處理情形調查表", "115年11月30日", "115-001", "紫楝路路燈不亮",
          "（Ｖ）EMAIL", "本表填妥後，務請逕寄回樹谷園區服務中心", "台南縣新市鄉紫楝路21號", "其他建議"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
    for (const auto& q : surveyQuestions()) {
        EXPECT_NE(text.find(withoutSpaces(q.text)), std::string::npos) << q.id;
        for (const auto& c : q.choices) EXPECT_NE(text.find(withoutSpaces(c.label)), std::string::npos) << c.label;
    }
}

TEST_F(SurveyPdf, EveryChoiceHasABox) {
    const auto text = withoutSpaces(test::pdfText(*pdf_, "survey.pdf"));
    std::size_t boxes = 0, choices = 0;
    for (auto at = text.find("（）"); at != std::string::npos; at = text.find("（）", at + 1)) ++boxes;
    for (const auto& q : surveyQuestions()) choices += q.choices.size();
    EXPECT_EQ(boxes + 1, choices);  // all but the pre-marked channel
}

TEST_F(SurveyPdf, PageIsInkedButNotBlack) {
    const auto ink = test::inkPerPage(*pdf_, "survey.pdf");
    ASSERT_EQ(ink.size(), 1u);
    EXPECT_GT(ink[0], 0.02);
    EXPECT_LT(ink[0], 0.30);
}

TEST(SurveyPdfFitting, LongSubjectStillFitsOneSheet) {
    auto prefill = test::streetLightPrefill();
    prefill.subject.clear();
    for (int i = 0; i < 6; ++i) prefill.subject += "紫楝路與中山路口的路燈及號誌自上週起時常熄滅，";
    prefill.centerFax = "(06) 505-0001";
    const auto pdf = renderSurveyPdf(prefill);
    EXPECT_EQ(test::pageCount(pdf, "survey-long-subject.pdf"), 1);
    EXPECT_NE(withoutSpaces(test::pdfText(pdf, "survey-long-subject.pdf")).find("號誌自上週起時常熄滅，紫楝路"),
              std::string::npos);
}

}  // namespace
}  // namespace complaintd::documents
