#include "documents/postal_reply.h"

#include "letter_pages.h"
#include "pdf_document.h"

namespace complaintd::documents {
namespace {

using detail::Align;
using detail::TextStyle;
using detail::Weight;

const TextStyle kNote{10, Weight::Regular, Align::Left, 0.3};
const TextStyle kAddress{16, Weight::Regular, Align::Left, 0.4};
const TextStyle kAddressee{20, Weight::Bold, Align::Left, 0.3};

// One block in a dashed frame, cut along the frame: a caption, then the lines of the address.
double addressBlock(detail::PdfDocument& doc, double top, const std::string& caption, const std::string& address,
                    const std::string& addressee, const std::string& under) {
    const double x = detail::kMargin, width = detail::kPageWidth - 2 * detail::kMargin, pad = 18;
    double y = top + pad;
    y += doc.text(x + pad, y, width - 2 * pad, caption, kNote) + 10;
    y += doc.text(x + pad, y, width - 2 * pad, address, kAddress) + 8;
    y += doc.text(x + pad, y, width - 2 * pad, addressee, kAddressee) + 8;
    if (!under.empty()) y += doc.text(x + pad, y, width - 2 * pad, under, kNote);
    y += pad;
    const double dashes[] = {6, 4};
    cairo_set_dash(doc.context(), dashes, 2, 0);
    doc.rectangle(x, top, width, y - top, 0.6);
    cairo_set_dash(doc.context(), nullptr, 0, 0);
    return y;
}

void addressSheet(detail::PdfDocument& doc, const ReplyLetter& letter, const SurveyPrefill& survey) {
    double y = detail::kMargin;
    y += doc.text(detail::kMargin, y, detail::kPageWidth - 2 * detail::kMargin,
                  "郵寄用地址條（沿虛線剪下）　案件編號 " + letter.caseNumber.toString(), kNote) +
         14;
    y = addressBlock(doc, y, "收件人（本函信封）", letter.recipientAddress, letter.recipient + "　收",
                     "寄件人：" + letter.center.name + "　" + letter.center.address) +
        40;
    addressBlock(doc, y, "回寄地址（請貼於寄回調查表之信封）", survey.returnAddress, survey.centerName + "　收",
                 "內附：客訴案件處理情形調查表（案件編號 " + survey.caseNumber.toString() + "）");
}

}  // namespace

std::string renderPostalReplyPdf(const ReplyLetter& letter, const SurveyPrefill& survey) {
    detail::PdfDocument doc(letter.center.name + "函 " + letter.caseNumber.toString() + "（郵寄）",
                            detail::PageNumbers::Shown);
    detail::drawReplyLetter(doc, letter);
    doc.newPage();
    // The form and the address slips are not pages of the letter: no numbers on them.
    doc.setPageNumbers(detail::PageNumbers::Hidden);
    detail::drawSurvey(doc, survey);
    doc.newPage();
    addressSheet(doc, letter, survey);
    return doc.finish();
}

}  // namespace complaintd::documents
