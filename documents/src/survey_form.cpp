#include <string>

#include "documents/survey.h"
#include "documents/survey_form.h"
#include "survey_layout.h"
#include "text_match.h"

// The line breaking shared with the PDF (survey_layout.h), then the mail form.
namespace complaintd::documents::detail {
namespace {

std::size_t columnsOf(char32_t cp) { return cp >= 0x1100 ? 2 : 1; }

bool isDigitAt(std::string_view text, std::size_t pos) {
    std::size_t length = 0;
    const auto folded = foldWidth(text.substr(pos, std::min<std::size_t>(4, text.size() - pos)));
    const auto cp = folded.empty() ? U' ' : codePointAt(folded, 0, length);
    return cp >= '0' && cp <= '9';
}

}  // namespace

std::size_t columnsOf(std::string_view text) {
    std::size_t columns = 0;
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length)
        columns += columnsOf(codePointAt(text, pos, length));
    return columns;
}

std::vector<std::string> choiceLines(const Question& q, std::string_view markedChoiceId, std::size_t columns,
                                     BoxStyle style) {
    const bool print = style == BoxStyle::Print;
    std::vector<std::string> lines(1);
    for (const auto& c : q.choices) {
        std::string piece =
            (c.id == markedChoiceId ? (print ? "（Ｖ）" : "（V）") : (print ? "（　）" : "（ ）")) + c.label;
        if (c.takesText) piece += print ? "：＿＿＿＿＿＿" : "：＿＿＿＿";
        if (print && !lines.back().empty()) piece = "　" + piece;
        if (!lines.back().empty() && columnsOf(lines.back()) + columnsOf(piece) > columns) {
            lines.emplace_back();
            if (print) piece.erase(0, std::string_view("　").size());  // no space at the start of a line
        }
        lines.back() += piece;
    }
    return lines;
}

std::vector<std::string> wrapQuestion(std::string_view text, std::size_t columns) {
    std::vector<std::string> lines;
    while (columnsOf(text) > columns) {
        // The last break that fits: after "？" if there is one, otherwise at the column limit.
        std::size_t pos = 0, length = 0, used = 0, cut = 0, question = 0;
        while (pos < text.size()) {
            const auto cp = codePointAt(text, pos, length);
            if (used + columnsOf(cp) > columns) break;
            used += columnsOf(cp);
            pos += length;
            cut = pos;
            if (cp == U'？') question = pos;
        }
        if (question > 0) cut = question;
        while (cut > 1 && isDigitAt(text, cut)) {
            do --cut;  // back to the start of the previous code point
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80);
        }
        lines.emplace_back(text.substr(0, cut));
        text.remove_prefix(cut);
    }
    if (!text.empty() || lines.empty()) lines.emplace_back(text);
    return lines;
}

}  // namespace complaintd::documents::detail

namespace complaintd::documents {
namespace {

// Display columns per line of the mail form (a CJK character takes two): clients do not wrap such lines.
constexpr std::size_t kColumns = 72;

void appendQuestion(std::string& out, const Question& q, const SurveyPrefill& prefill) {
    const std::string indent = "   ";
    if (!q.heading.empty()) out += "9. " + q.heading + "\n";
    if (q.id == "1") {
        out += "1. " + q.text + "：" + cases::formatRocDate(prefill.receivedOn) + "\n";
        out += indent + "客訴案件編號：" + prefill.caseNumber.toString() + "\n";
        out += indent + "客訴事由：" + prefill.subject + "\n\n";
        return;
    }
    if (q.id == "suggestions") {
        out += q.text + "：\n\n\n";
        return;
    }
    const auto marked = q.id == "2" ? surveyChannelChoice(prefill.channel) : std::string();
    if (isNumbered(q)) {
        const auto wording = detail::wrapQuestion(q.label + ". " + q.text, kColumns);
        for (std::size_t i = 0; i < wording.size(); ++i) out += (i == 0 ? "" : indent) + wording[i] + "\n";
        for (const auto& line : detail::choiceLines(q, marked, kColumns - indent.size(), detail::BoxStyle::Mail))
            out += indent + line + "\n";
        out += "\n";
        return;
    }
    // The parts of 9 start their choices on the line of their name, as the paper form does.
    const auto head = indent + q.label;
    const auto lines = detail::choiceLines(q, marked, kColumns - detail::columnsOf(head), detail::BoxStyle::Mail);
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += (i == 0 ? head : std::string(detail::columnsOf(head), ' ')) + lines[i] + "\n";
    if (q.id == "9-occupation") out += "\n";
}

}  // namespace

SurveyPrefill surveyPrefillFor(const cases::Case& c) {
    SurveyPrefill prefill;
    prefill.caseNumber = c.number;
    prefill.receivedOn = cases::localDate(c.receivedAt);
    prefill.subject = c.subject;
    prefill.channel = c.channel;
    return prefill;
}

std::string renderSurveyText(const SurveyPrefill& prefill) {
    std::string out;
    out += prefill.centerName + "－客訴案件處理情形調查表（附表二）\n\n";
    // No line of the instructions starts with a number, and no box in them holds a mark: the reply
    // parser must not take them for an answer.
    out += "填答方式：請直接回覆本郵件，在所選答案前的（ ）內\n";
    out += "填入 V、X、✓、v 或 ○；或在題號後直接寫出答案\n";
    out += "（例如：6. 滿意）。註明可複選的題目可勾選多項。\n";
    out += "請保留題號及選項文字，以便本中心正確讀取您的答案。\n\n";
    for (const auto& q : surveyQuestions()) appendQuestion(out, q, prefill);
    out += "本表填妥後，請直接回覆本郵件";
    if (!prefill.centerFax.empty()) out += "、傳真至 " + prefill.centerFax;
    out += "，\n或逕寄回" + prefill.centerName + "\n";
    out += "地址：" + prefill.returnAddress + "－" + prefill.centerName + "\n";
    if (!prefill.replyEmail.empty()) out += "電子信箱：" + prefill.replyEmail + "\n";
    return out;
}

}  // namespace complaintd::documents
