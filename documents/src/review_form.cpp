#include "documents/review_form.h"

#include "pdf_document.h"

namespace complaintd::documents {
namespace {

using detail::Align;
using detail::Flow;
using detail::TextStyle;
using detail::Weight;

const TextStyle kTitle{16, Weight::Bold, Align::Center};
const TextStyle kHeading{14, Weight::Bold, Align::Center};
const TextStyle kLabel{13, Weight::Regular, Align::Left, 0.3};
const TextStyle kBody{12, Weight::Regular, Align::Left, 0.4};
constexpr double kPad = 8;             // inside each row of the table
constexpr double kOpinionSpace = 190;  // room to write management's opinion by hand
constexpr double kSignOffHeight = 70;  // room for three seals

// The labels are those of the paper form; the text version and the PDF share them.
constexpr const char* kFormTitle = "-客訴案件檢討分析表";
constexpr const char* kSurveyLabel = "滿意度調查檢討分析：(詳閱客訴案件處理情形調查表)";
constexpr const char* kHandlingLabel = "案件處理分析：";
constexpr const char* kOpinionLabel = "長官.主管及各單位意見及建議：";

std::string subjectLine(const ReviewForm& form) {
    return form.unitName.empty() ? form.subject : form.subject + "（" + form.unitName + "）";
}

// One row of the table: its label, then its text indented below, then the border to the next row.
void row(Flow& flow, const std::string& label, const std::string& text, double minimumHeight = 0) {
    flow.keep(kLabel.size * 3 + minimumHeight);
    const double top = flow.y();
    flow.space(kPad);
    flow.paragraph(label, kLabel, kPad);
    if (!text.empty()) {
        flow.space(4);
        flow.paragraph(text, kBody, kPad + kBody.size * 2);
    }
    flow.space(kPad);
    if (flow.y() - top < minimumHeight) flow.space(minimumHeight - (flow.y() - top));
    flow.rule();
}

// 批准 | 主管 | 承辦: three cells with room for the seals, as the procedure signs off every form.
void signOffRow(Flow& flow) {
    flow.keep(kSignOffHeight);
    auto& doc = flow.doc();
    const double top = flow.y(), cell = flow.width() / 3;
    const char* roles[] = {"批准", "主管", "承辦"};
    for (int i = 0; i < 3; ++i) {
        const double x = detail::kMargin + cell * i;
        if (i > 0) doc.line(x, top, x, top + kSignOffHeight);
        doc.text(x + kPad, top + kPad, cell - 2 * kPad, roles[i] + std::string("："), kLabel);
    }
    flow.space(kSignOffHeight);
}

}  // namespace

std::string renderReviewPdf(const ReviewForm& form) {
    detail::PdfDocument doc(form.centerName + "客訴案件檢討分析表 " + form.caseNumber.toString(),
                            detail::PageNumbers::Shown);
    Flow flow(doc);
    flow.paragraph("附表三", kBody);
    flow.paragraph(form.centerName + kFormTitle, kTitle);
    flow.space(12);
    flow.openFrame(kPad);
    flow.space(kPad);
    flow.paragraph("客訴案件檢討分析", kHeading);
    flow.space(kPad);
    flow.rule();
    flow.space(kPad);
    flow.paragraph("客訴編號：" + form.caseNumber.toString(), kLabel, kPad);
    flow.space(4);
    flow.paragraph("客訴時間：" + formatRocDateTime(form.receivedAt), kLabel, kPad);
    if (!form.subject.empty()) {
        flow.space(4);
        flow.labelled("客訴事由：", subjectLine(form), kLabel, kPad);
    }
    flow.space(kPad);
    flow.rule();
    row(flow, kSurveyLabel, form.surveyAnalysis);
    row(flow, kHandlingLabel, form.handlingAnalysis);
    row(flow, kOpinionLabel, form.managementOpinion, form.managementOpinion.empty() ? kOpinionSpace : 0);
    signOffRow(flow);
    flow.closeFrame();
    return doc.finish();
}

std::string renderReviewText(const ReviewForm& form) {
    std::string out = "附表三\n" + form.centerName + kFormTitle + "\n\n";
    out += "客訴案件檢討分析\n";
    out += "客訴編號：" + form.caseNumber.toString() + "\n";
    out += "客訴時間：" + formatRocDateTime(form.receivedAt) + "\n";
    if (!form.subject.empty()) out += "客訴事由：" + subjectLine(form) + "\n";
    out += "\n" + std::string(kSurveyLabel) + "\n" + form.surveyAnalysis + "\n\n";
    out += std::string(kHandlingLabel) + "\n" + form.handlingAnalysis + "\n\n";
    out +=
        std::string(kOpinionLabel) + "\n" + (form.managementOpinion.empty() ? "\n\n" : form.managementOpinion + "\n");
    out += "\n批准：　　　　　　　主管：　　　　　　　承辦：\n";
    return out;
}

}  // namespace complaintd::documents
