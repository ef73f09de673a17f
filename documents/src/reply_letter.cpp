#include "documents/reply_letter.h"

#include <array>

#include "letter_pages.h"
#include "pdf_document.h"

namespace complaintd::documents {
namespace {

using detail::Align;
using detail::Flow;
using detail::TextStyle;
using detail::Weight;

// Sizes as the 文書處理手冊 sets them: the office's name largest, 主旨 and 說明 in 16 and 14 pt.
const TextStyle kOffice{20, Weight::Bold, Align::Center};
const TextStyle kHeader{12, Weight::Regular, Align::Left, 0.25};
const TextStyle kSubject{16, Weight::Regular, Align::Left, 0.3};
const TextStyle kBody{14, Weight::Regular, Align::Left, 0.3};
const TextStyle kSignature{20, Weight::Bold, Align::Left};

std::string complainantTitle(const cases::Case& c) {
    if (!c.complainant.name.empty()) return cases::salutationOf(c.complainant.name);
    if (!c.complainant.organisation.empty()) return c.complainant.organisation;
    return "陳情人";
}

// 說明一: which of the complainant's messages this letter answers, in the words letters use for each channel.
std::string answeredMessage(const cases::Case& c) {
    const auto date = cases::formatRocDate(cases::localDate(c.receivedAt));
    switch (c.channel) {
        case cases::Channel::Email:
            return "復臺端" + date + "電子郵件。";
        case cases::Channel::Fax:
            return "復臺端" + date + "傳真。";
        case cases::Channel::Letter:
            return "復臺端" + date + "來函。";
        case cases::Channel::Phone:
            return "依據臺端" + date + "電話陳情辦理。";
        case cases::Channel::InPerson:
            return "依據臺端" + date + "親至本中心陳情辦理。";
    }
    return "";
}

// The contact block, right of centre under the office's name.
void contactBlock(Flow& flow, const CenterContact& center) {
    std::vector<std::string> lines{"地址：" + center.address};
    if (!center.contactPerson.empty()) lines.push_back("聯絡人：" + center.contactPerson);
    if (!center.phone.empty()) lines.push_back("電話：" + center.phone);
    if (!center.fax.empty()) lines.push_back("傳真：" + center.fax);
    if (!center.email.empty()) lines.push_back("電子信箱：" + center.email);
    for (const auto& line : lines) flow.paragraph(line, kHeader, flow.width() * 0.52);
}

void headerFields(Flow& flow, const ReplyLetter& letter) {
    if (!letter.recipientAddress.empty()) flow.paragraph(letter.recipientAddress, kHeader);
    flow.space(6);
    flow.labelled("受文者：", letter.recipient, kSubject);
    flow.space(6);
    flow.paragraph("發文日期：中華民國" + cases::formatRocDate(letter.date), kHeader);
    flow.paragraph("發文字號：" + (letter.documentNumber.empty() ? "案件編號" + letter.caseNumber.toString()
                                                                 : letter.documentNumber),
                   kHeader);
    flow.paragraph("速別：普通件", kHeader);
    flow.paragraph(std::string("密等及解密條件或保密期限：") + (letter.confidential ? "密（本案結案後解密）" : "普通"),
                   kHeader);
    std::string attachments;
    for (const auto& a : letter.attachments) attachments += (attachments.empty() ? "" : "、") + a;
    flow.labelled("附件：", attachments.empty() ? "無" : attachments, kHeader);
    if (!letter.documentNumber.empty()) flow.paragraph("案件編號：" + letter.caseNumber.toString(), kHeader);
}

void body(Flow& flow, const ReplyLetter& letter) {
    flow.space(14);
    flow.labelled("主旨：", letter.subject, kSubject);
    if (letter.explanations.empty()) return;
    flow.space(8);
    flow.keep(kBody.size * 4);
    flow.paragraph("說明：", kSubject);
    const double numberWidth = kBody.size * 2;  // "一、" and "十一、" alike: the text keeps one left edge
    for (std::size_t i = 0; i < letter.explanations.size(); ++i) {
        const auto label = chineseNumeral(static_cast<int>(i) + 1) + "、";
        // The numbers stand under "明" of 說明, as the 文書處理手冊 shows them.
        flow.labelled(label, letter.explanations[i], kBody, kSubject.size * 2,
                      std::max(numberWidth, flow.doc().measureWidth(label, kBody)));
        flow.space(3);
    }
}

void closing(Flow& flow, const ReplyLetter& letter) {
    flow.space(14);
    flow.keep(kHeader.size * 3 + kSignature.size * 4);
    flow.labelled("正本：", letter.recipient, kHeader);
    if (!letter.copyTo.empty()) flow.labelled("副本：", letter.copyTo, kHeader);
    flow.space(30);
    const auto& signature = letter.center.signatory.empty() ? letter.center.name : letter.center.signatory;
    flow.paragraph(signature, kSignature, flow.width() * 0.45);
}

// "(06) 505-0000" stays on one line: a phone number broken at its space is misread.
std::string unbreakable(std::string text) {
    for (std::size_t pos = 0; (pos = text.find(' ', pos)) != std::string::npos;) text.replace(pos, 1, "\u00A0");
    return text;
}

}  // namespace

std::string chineseNumeral(int number) {
    static constexpr std::array<const char*, 10> kDigits{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (number < 1 || number > 99) return std::to_string(number);
    if (number < 10) return kDigits[number];
    const int tens = number / 10, units = number % 10;
    return std::string(tens > 1 ? kDigits[tens] : "") + "十" + (units ? kDigits[units] : "");
}

ReplyLetter replyLetterFor(const cases::Case& c, std::string_view replyText, cases::Date date,
                           const CenterContact& center, std::string_view unitName) {
    ReplyLetter letter;
    letter.center = center;
    letter.recipient = complainantTitle(c);
    letter.recipientAddress = c.complainant.address;
    letter.caseNumber = c.number;
    letter.date = date;
    letter.confidential = c.confidential;
    letter.subject = "有關臺端於" + cases::formatRocDate(cases::localDate(c.receivedAt)) + "陳情「" + c.subject +
                     "」一案（案件編號" + c.number.toString() + "），復如說明，請查照。";
    letter.explanations.push_back(answeredMessage(c));
    letter.explanations.emplace_back(replyText);
    // A letter that came by post cannot be answered by replying to it: it names the center's e-mail.
    const std::string otherWay = !c.complainant.email.empty() ? "，或直接回覆電子郵件"
                                 : center.email.empty()       ? ""
                                                              : "，或以電子郵件寄至" + center.email;
    letter.explanations.push_back("隨函檢附「客訴案件處理情形調查表」1份，敬請撥冗填寫後逕寄回本中心（地址：" +
                                  center.address + "）" + otherWay + "，俾供本中心改進服務之參考。");
    std::string ask = "本案如仍有疑義，請洽本中心" + std::string(unitName);
    if (!center.phone.empty()) ask += "（電話：" + unbreakable(center.phone) + "）";
    letter.explanations.push_back(ask + "。");
    letter.attachments.push_back("客訴案件處理情形調查表1份");
    letter.copyTo = "本中心" + std::string(unitName);
    return letter;
}

std::string renderReplyLetterPdf(const ReplyLetter& letter) {
    detail::PdfDocument doc(letter.center.name + "函 " + letter.caseNumber.toString(), detail::PageNumbers::Shown);
    detail::drawReplyLetter(doc, letter);
    return doc.finish();
}

void detail::drawReplyLetter(PdfDocument& doc, const ReplyLetter& letter) {
    Flow flow(doc);
    flow.paragraph("檔　　號：", kHeader);
    flow.paragraph("保存年限：", kHeader);
    flow.space(10);
    flow.paragraph(letter.center.name + "　函", kOffice);
    flow.space(10);
    contactBlock(flow, letter.center);
    flow.space(8);
    headerFields(flow, letter);
    body(flow, letter);
    closing(flow, letter);
}

}  // namespace complaintd::documents
