#include "documents/reply_letter.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "pdf_check.h"

namespace complaintd::documents {
namespace {

CenterContact fixtureCenter() {
    CenterContact center;
    center.phone = "(06) 505-0000";
    center.fax = "(06) 505-0001";
    center.email = "complaints@shugu.example";
    center.contactPerson = "李承辦";
    return center;
}

const char* const kReply =
    "經本中心工務組於115年12月1日派員現場勘查，紫楝路第12號路燈確因燈具老化故障，已於同年12月2日完成更換，"
    "恢復正常照明。\n日後如發現路燈故障，歡迎隨時通報本中心，本中心將儘速派員處理。";

ReplyLetter fixtureLetter() {
    return replyLetterFor(test::streetLightCase(), kReply, std::chrono::year{2026} / 12 / 3, fixtureCenter(), "工務組");
}

std::string compact(std::string text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    return out;
}

TEST(ReplyLetter, ComposesSubjectAndNumberedExplanationsForTheCase) {
    const auto letter = fixtureLetter();
    EXPECT_EQ(letter.recipient, "王小明 君");
    EXPECT_EQ(letter.subject,
              "有關臺端於115年11月30日陳情「紫楝路路燈不亮」一案（案件編號115-001），復如說明，請查照。");
    ASSERT_EQ(letter.explanations.size(), 4u);
    EXPECT_EQ(letter.explanations[0], "復臺端115年11月30日電子郵件。");
    EXPECT_EQ(letter.explanations[1], kReply);
    EXPECT_NE(letter.explanations[2].find("客訴案件處理情形調查表"), std::string::npos);
    EXPECT_NE(letter.explanations[2].find("台南縣新市鄉紫楝路21號"), std::string::npos);
    EXPECT_EQ(letter.copyTo, "本中心工務組");
}

TEST(ReplyLetter, PhoneComplaintIsAnsweredByReference) {
    auto c = test::streetLightCase();
    c.channel = cases::Channel::Phone;
    c.complainant.name.clear();
    c.complainant.organisation = "樹谷科技股份有限公司";
    const auto letter = replyLetterFor(c, "已處理。", std::chrono::year{2026} / 12 / 3, fixtureCenter(), "工務組");
    EXPECT_EQ(letter.explanations[0], "依據臺端115年11月30日電話陳情辦理。");
    EXPECT_EQ(letter.recipient, "樹谷科技股份有限公司");
}

TEST(ReplyLetter, PdfReadsAsAnOfficialLetter) {
    const auto pdf = renderReplyLetterPdf(fixtureLetter());
    const auto text = compact(test::pdfText(pdf, "reply-letter.pdf"));
    for (const auto* expected :
         {"樹谷園區服務中心函", "地址：台南縣新市鄉紫楝路21號", "聯絡人：李承辦", "電子信箱：complaints@shugu.example",
          "受文者：王小明君", "發文日期：中華民國115年12月3日", "發文字號：案件編號115-001", "速別：普通件",
          "附件：客訴案件處理情形調查表1份", "主旨：有關臺端於115年11月30日陳情「紫楝路路燈不亮」一案", "說明：",
          "一、復臺端115年11月30日電子郵件。", "二、經本中心工務組", "恢復正常照明。", "四、本案如仍有疑義",
          "正本：王小明君", "副本：本中心工務組"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    const auto ink = test::inkPerPage(pdf, "reply-letter.pdf");
    ASSERT_EQ(ink.size(), 1u);
    EXPECT_GT(ink[0], 0.01);
}

TEST(ReplyLetter, ConfidentialCaseIsMarked) {
    auto c = test::streetLightCase();
    c.confidential = true;
    const auto letter = replyLetterFor(c, "已處理。", std::chrono::year{2026} / 12 / 3, fixtureCenter(), "工務組");
    EXPECT_NE(compact(test::pdfText(renderReplyLetterPdf(letter), "confidential.pdf")).find("保密期限：密"),
              std::string::npos);
}

TEST(ReplyLetter, LongReplyContinuesOnTheNextPage) {
    std::string longReply;
    for (int i = 1; i <= 40; ++i)
        longReply += "第" + std::to_string(i) + "點：本中心已會同相關單位辦理現場勘查並研擬改善措施。\n";
    const auto letter =
        replyLetterFor(test::streetLightCase(), longReply, std::chrono::year{2026} / 12 / 3, fixtureCenter(), "工務組");
    const auto pdf = renderReplyLetterPdf(letter);
    EXPECT_GE(test::pageCount(pdf, "long-letter.pdf"), 2);
    const auto text = compact(test::pdfText(pdf, "long-letter.pdf"));
    EXPECT_NE(text.find("第40點"), std::string::npos);
    EXPECT_NE(text.find("第2頁"), std::string::npos);
    for (double ink : test::inkPerPage(pdf, "long-letter.pdf")) EXPECT_GT(ink, 0.005);
}

TEST(ChineseNumeral, CountsAsLettersNumberTheirParagraphs) {
    EXPECT_EQ(chineseNumeral(1), "一");
    EXPECT_EQ(chineseNumeral(10), "十");
    EXPECT_EQ(chineseNumeral(11), "十一");
    EXPECT_EQ(chineseNumeral(20), "二十");
    EXPECT_EQ(chineseNumeral(99), "九十九");
    EXPECT_EQ(chineseNumeral(100), "100");
}

}  // namespace
}  // namespace complaintd::documents
