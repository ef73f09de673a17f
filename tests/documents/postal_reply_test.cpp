// The reply for the post: letter, survey and address slips in one PDF, read back with poppler.
#include "documents/postal_reply.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "pdf_check.h"

namespace complaintd::documents {
namespace {

std::string compact(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\n') out += c;
    return out;
}

TEST(PostalReply, OnePdfHoldsTheLetterTheSurveyAndBothAddresses) {
    auto c = test::streetLightCase();
    c.channel = cases::Channel::Phone;
    c.complainant.email.clear();
    CenterContact center;
    center.phone = "(06) 505-0000";
    center.fax = "(06) 505-0001";
    auto letter = replyLetterFor(c, "已於12月2日完成更換。", std::chrono::year{2026} / 12 / 3, center, "工務組");
    letter.documentNumber = "樹谷服字第11500007號";
    auto survey = surveyPrefillFor(c);
    survey.centerFax = center.fax;
    const auto pdf = renderPostalReplyPdf(letter, survey);
    ASSERT_TRUE(pdf.starts_with("%PDF"));
    EXPECT_EQ(test::pageCount(pdf, "postal-reply.pdf"), 3);
    const auto text = test::pdfText(pdf, "postal-reply.pdf");
    const auto pageBreak = text.find('\f');
    ASSERT_NE(pageBreak, std::string::npos);
    const auto letterPage = compact(text.substr(0, pageBreak));
    EXPECT_NE(letterPage.find("發文字號：樹谷服字第11500007號"), std::string::npos) << letterPage;
    EXPECT_NE(letterPage.find("依據臺端115年11月30日電話陳情辦理"), std::string::npos) << letterPage;
    EXPECT_NE(letterPage.find("傳真：(06)505-0001"), std::string::npos) << letterPage;
    const auto rest = compact(text.substr(pageBreak));
    EXPECT_NE(rest.find("客訴案件處理情形調查表"), std::string::npos);
    EXPECT_NE(rest.find("收件人（本函信封）"), std::string::npos) << rest;
    EXPECT_NE(rest.find("744臺南市新市區中山路100號"), std::string::npos) << rest;
    EXPECT_NE(rest.find("王小明君收"), std::string::npos) << rest;
    EXPECT_NE(rest.find("回寄地址"), std::string::npos) << rest;
    EXPECT_NE(rest.find("台南縣新市鄉紫楝路21號"), std::string::npos) << rest;
    const auto fonts = test::pdfFonts(pdf, "postal-reply.pdf");
    EXPECT_NE(fonts.find("UMing"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find(" no "), std::string::npos) << "a font is not embedded:\n" << fonts;
}

}  // namespace
}  // namespace complaintd::documents
