// The formal reply letter (函復) that answers a case once the unit's reply is
// signed off, laid out as a Taiwanese government letter (函): the center's
// name and contact block, 受文者, 發文日期 in the ROC calendar, 發文字號, 速別,
// 密等, 附件, then 主旨 and the numbered 說明, 正本/副本, and the signature.
// It goes out as a PDF attachment with the satisfaction survey. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"
#include "documents/survey_form.h"

namespace complaintd::documents {

// The center as its letters name it.
struct CenterContact {
    std::string name = kCenterName;
    std::string address = kCenterAddress;
    std::string phone;
    std::string fax;
    std::string email;
    std::string contactPerson;  // 聯絡人: the handler or the unit
    std::string signatory;      // the closing signature, e.g. "主任　林○○"; empty: the center's name
};

struct ReplyLetter {
    CenterContact center;
    std::string recipient;         // 受文者: "王小明 君", "樹谷科技股份有限公司"
    std::string recipientAddress;  // printed above 受文者 where an envelope window shows it; may be empty
    cases::CaseNumber caseNumber;
    cases::Date date{};          // 發文日期
    std::string documentNumber;  // 發文字號 ("樹谷字第1150001號"); empty: "案件編號115-001" is printed instead
    bool confidential = false;              // 密件: printed in 密等
    std::string subject;                    // 主旨, one paragraph
    std::vector<std::string> explanations;  // 說明, numbered 一、二、三、; a paragraph may hold line breaks
    std::vector<std::string> attachments;   // 附件
    std::string copyTo;                     // 副本; empty: none
};

// The usual letter for a case: 主旨 naming the date and subject of the complaint and its case number;
// 說明 saying which message is answered, then `replyText`, then the enclosed survey and whom to ask.
// `unitName` is the handling unit's zh-TW name.
ReplyLetter replyLetterFor(const cases::Case& c, std::string_view replyText, cases::Date date,
                           const CenterContact& center, std::string_view unitName);

// The letter as an A4 PDF (more pages when the reply is long). Throws complaintd::Error when cairo fails.
std::string renderReplyLetterPdf(const ReplyLetter& letter);

// 一, 二, … 九十九: the numbering of 說明 and report sections. Numbers outside 1..99 as digits.
std::string chineseNumeral(int number);

}  // namespace complaintd::documents
