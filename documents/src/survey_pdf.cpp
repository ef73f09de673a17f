#include <algorithm>

#include "documents/survey.h"
#include "documents/survey_form.h"
#include "letter_pages.h"
#include "pdf_document.h"
#include "survey_layout.h"

namespace complaintd::documents {
namespace {

using detail::Flow;
using detail::TextStyle;

// The type sizes of one rendering. 12 pt (小四) is what offices print forms in; a long subject may need
// a smaller size to keep the whole form on one A4 sheet, as the paper original is.
struct Layout {
    TextStyle body;
    TextStyle title;
    double indent;       // the question numbers' column; the wording and boxes start here
    double questionGap;  // between questions: groups each question with its boxes
};

Layout layoutAt(double size) {
    return {TextStyle{size, detail::Weight::Regular, detail::Align::Left, 0.3},
            TextStyle{size + 4, detail::Weight::Bold, detail::Align::Center}, size * 2.5, size * 0.42};
}

// "客訴案件編號：115-001" with the value on a rule, as the blanks of the paper form.
void filledField(Flow& flow, const Layout& l, const std::string& label, const std::string& value) {
    auto& doc = flow.doc();
    const double x = detail::kMargin + l.indent;
    const double labelWidth = doc.measureWidth(label, l.body);
    const double valueX = x + labelWidth + 6, valueWidth = detail::kMargin + flow.width() - valueX;
    const double height = std::max(doc.text(x, flow.y(), labelWidth + 1, label, l.body),
                                   doc.text(valueX, flow.y(), valueWidth, value, l.body));
    // Under the descenders: a rule through the characters would make them hard to read.
    doc.line(x + labelWidth, flow.y() + height + 1, detail::kMargin + flow.width(), flow.y() + height + 1, 0.5);
    flow.space(height + 4);
}

void ruledLines(Flow& flow, const Layout& l, int count) {
    for (int i = 0; i < count; ++i) {
        flow.space(l.body.size * 1.6);
        flow.doc().line(detail::kMargin, flow.y(), detail::kMargin + flow.width(), flow.y(), 0.5);
    }
    flow.space(6);
}

std::size_t columnsFor(const Layout& l, double width) {
    // Display columns that fit `width`: a CJK character is one em, an ASCII one about half.
    return static_cast<std::size_t>(width / l.body.size * 2) - 1;
}

void drawQuestion(Flow& flow, const Layout& l, const Question& q, const SurveyPrefill& prefill) {
    if (!q.heading.empty()) flow.labelled("9.", q.heading, l.body, 0, l.indent);
    if (q.id == "1") {
        flow.labelled("1.", q.text + "：" + cases::formatRocDate(prefill.receivedOn), l.body, 0, l.indent);
        filledField(flow, l, "客訴案件編號：", prefill.caseNumber.toString());
        filledField(flow, l, "客訴事由：", prefill.subject);
        flow.space(l.questionGap);
        return;
    }
    if (q.id == "suggestions") {
        flow.space(l.questionGap);
        flow.paragraph(q.text + "：", l.body);
        ruledLines(flow, l, 3);
        return;
    }
    const auto marked = q.id == "2" ? surveyChannelChoice(prefill.channel) : std::string();
    const auto style = detail::BoxStyle::Print;
    if (isNumbered(q)) {
        flow.labelled(q.label + ".", q.text, l.body, 0, l.indent);
        for (const auto& line : detail::choiceLines(q, marked, columnsFor(l, flow.width() - l.indent), style))
            flow.paragraph(line, l.body, l.indent);
        flow.space(l.questionGap);
        return;
    }
    // The parts of 9: the name, then the boxes beside it, continuing under the first box.
    const double labelWidth = flow.doc().measureWidth(q.label, l.body) + 2;
    const auto lines = detail::choiceLines(q, marked, columnsFor(l, flow.width() - l.indent - labelWidth), style);
    flow.doc().text(detail::kMargin + l.indent, flow.y(), labelWidth, q.label, l.body);
    for (const auto& line : lines) flow.paragraph(line, l.body, l.indent + labelWidth);
}

// The form from the top of the document's current page; returns the pages it took.
int drawForm(detail::PdfDocument& doc, const SurveyPrefill& prefill, const Layout& l) {
    const int first = doc.page();
    Flow flow(doc, detail::kMargin - 20);
    flow.paragraph("附表二", l.body);
    flow.paragraph(prefill.centerName + "-客訴案件處理情形調查表", l.title);
    flow.space(l.body.size);
    for (const auto& q : surveyQuestions()) drawQuestion(flow, l, q, prefill);
    flow.paragraph("本表填妥後，務請逕寄回" + prefill.centerName, l.body);
    flow.paragraph("地址：" + prefill.returnAddress + "-" + prefill.centerName, l.body);
    std::string other;
    if (!prefill.centerFax.empty()) other += "傳真：" + prefill.centerFax;
    if (!prefill.replyEmail.empty())
        other += (other.empty() ? "" : "　") + std::string("電子信箱：") + prefill.replyEmail;
    if (!other.empty()) flow.paragraph(other, l.body);
    return doc.page() - first + 1;
}

std::string title(const SurveyPrefill& prefill) {
    return prefill.centerName + "客訴案件處理情形調查表 " + prefill.caseNumber.toString();
}

// The largest size at which the form fits one sheet; below 10 pt it would not print legibly, so a
// subject longer than that allows goes on to a second page instead.
Layout fittingLayout(const SurveyPrefill& prefill) {
    for (double size : {12.0, 11.0}) {
        detail::PdfDocument trial(title(prefill), detail::PageNumbers::Hidden);
        if (drawForm(trial, prefill, layoutAt(size)) == 1) return layoutAt(size);
    }
    return layoutAt(10.0);
}

}  // namespace

std::string renderSurveyPdf(const SurveyPrefill& prefill) {
    detail::PdfDocument doc(title(prefill), detail::PageNumbers::Hidden);
    drawForm(doc, prefill, fittingLayout(prefill));
    return doc.finish();
}

void detail::drawSurvey(PdfDocument& doc, const SurveyPrefill& prefill) {
    drawForm(doc, prefill, fittingLayout(prefill));
}

}  // namespace complaintd::documents
