#include "pdf_document.h"

#include <cairo-pdf.h>

#include <string>

#include "cases/error.h"

namespace complaintd::documents::detail {
namespace {

PangoFontDescription* fontFor(const TextStyle& style) {
    auto* font = pango_font_description_new();
    pango_font_description_set_family(font, kFontFamily);
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_font_description_set_weight(font, style.weight == Weight::Bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    return font;
}

PangoAlignment pangoAlignment(Align align) {
    switch (align) {
        case Align::Center:
            return PANGO_ALIGN_CENTER;
        case Align::Right:
            return PANGO_ALIGN_RIGHT;
        case Align::Left:
            break;
    }
    return PANGO_ALIGN_LEFT;
}

}  // namespace

PdfDocument::PdfDocument(std::string_view title, PageNumbers pageNumbers) : pageNumbers_(pageNumbers) {
    surface_ = cairo_pdf_surface_create_for_stream(&PdfDocument::append, this, kPageWidth, kPageHeight);
    cr_ = cairo_create(surface_);
    check();
    const std::string titleText(title);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, titleText.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "complaintd");
    layout_ = pango_cairo_create_layout(cr_);
}

PdfDocument::~PdfDocument() {
    if (layout_) g_object_unref(layout_);
    if (cr_) cairo_destroy(cr_);
    if (surface_) cairo_surface_destroy(surface_);
}

cairo_status_t PdfDocument::append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<PdfDocument*>(closure)->bytes_.append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void PdfDocument::check() const {
    const auto status = cr_ ? cairo_status(cr_) : cairo_surface_status(surface_);
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error(std::string("cannot draw the PDF: ") + cairo_status_to_string(status));
}

PangoLayout* PdfDocument::layout(double width, std::string_view text, const TextStyle& style) {
    auto* font = fontFor(style);
    pango_layout_set_font_description(layout_, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout_, static_cast<int>(width * PANGO_SCALE));
    // Chinese breaks between any two characters; WORD_CHAR keeps Latin words whole where it can.
    pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout_, pangoAlignment(style.align));
    pango_layout_set_spacing(layout_, static_cast<int>(style.lineGap * style.size * PANGO_SCALE));
    pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
    return layout_;
}

double PdfDocument::text(double x, double y, double width, std::string_view text, const TextStyle& style) {
    auto* l = layout(width, text, style);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
}

double PdfDocument::measureHeight(double width, std::string_view text, const TextStyle& style) {
    int w = 0, h = 0;
    pango_layout_get_size(layout(width, text, style), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
}

double PdfDocument::measureWidth(std::string_view text, const TextStyle& style) {
    auto* l = layout(kPageWidth * 4, text, style);
    PangoRectangle ink{}, logical{};
    pango_layout_get_pixel_extents(l, &ink, &logical);
    return logical.width;
}

void PdfDocument::line(double x1, double y1, double x2, double y2, double lineWidth) {
    cairo_set_line_width(cr_, lineWidth);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
}

void PdfDocument::rectangle(double x, double y, double width, double height, double lineWidth) {
    cairo_set_line_width(cr_, lineWidth);
    cairo_rectangle(cr_, x, y, width, height);
    cairo_stroke(cr_);
}

void PdfDocument::fillRectangle(double x, double y, double width, double height, Rgb color) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_rectangle(cr_, x, y, width, height);
    cairo_fill(cr_);
    cairo_restore(cr_);
}

void PdfDocument::setColor(Rgb color) { cairo_set_source_rgb(cr_, color.r, color.g, color.b); }

void PdfDocument::endPage() {
    if (pageNumbers_ == PageNumbers::Shown) {
        setColor({});
        const TextStyle style{9, Weight::Regular, Align::Center};
        text(kMargin, kPageHeight - kMargin / 2 - 6, kPageWidth - 2 * kMargin, "第 " + std::to_string(page_) + " 頁",
             style);
    }
    cairo_show_page(cr_);
}

void PdfDocument::newPage() {
    endPage();
    ++page_;
    check();
}

std::string PdfDocument::finish() {
    if (!finished_) {
        endPage();
        cairo_surface_finish(surface_);
        finished_ = true;
    }
    check();
    const auto status = cairo_surface_status(surface_);
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error(std::string("cannot write the PDF: ") + cairo_status_to_string(status));
    return bytes_;
}

void Flow::keep(double points) {
    if (y_ + points > bottom()) breakPage();
}

void Flow::breakPage() {
    if (framed_) doc_.line(kMargin, y_, kMargin + width(), y_);
    doc_.newPage();
    y_ = kMargin;
    if (framed_) doc_.line(kMargin, y_, kMargin + width(), y_);
}

void Flow::advance(double to) {
    if (framed_ && to > y_) {
        doc_.line(kMargin, y_, kMargin, to);
        doc_.line(kMargin + width(), y_, kMargin + width(), to);
    }
    y_ = to;
}

void Flow::openFrame(double inset) {
    framed_ = true;
    inset_ = inset;
    rule();
}

void Flow::rule() { doc_.line(kMargin, y_, kMargin + width(), y_); }

void Flow::closeFrame() {
    rule();
    framed_ = false;
    inset_ = 0;
}

void Flow::paragraph(std::string_view text, const TextStyle& style, double indent) {
    // A copy: a page break draws the page number with the document's own layout.
    auto* layout = pango_layout_copy(doc_.layout(width() - indent - inset_, text, style));
    auto* iter = pango_layout_get_iter(layout);
    // Line by line, so that a long reply continues on the next page instead of running off this one.
    double consumed = 0;  // layout y of the first line still to draw on this page
    double pageTop = y_;
    do {
        PangoRectangle logical{};
        pango_layout_iter_get_line_extents(iter, nullptr, &logical);
        const double lineTop = static_cast<double>(logical.y) / PANGO_SCALE;
        const double lineBottom = lineTop + static_cast<double>(logical.height) / PANGO_SCALE;
        if (pageTop + (lineBottom - consumed) > bottom() && (lineTop > consumed || pageTop > kMargin)) {
            breakPage();
            pageTop = kMargin;
            consumed = lineTop;
        }
        const double baseline = static_cast<double>(pango_layout_iter_get_baseline(iter)) / PANGO_SCALE;
        cairo_move_to(doc_.context(), kMargin + indent + static_cast<double>(logical.x) / PANGO_SCALE,
                      pageTop + baseline - consumed);
        pango_cairo_show_layout_line(doc_.context(), pango_layout_iter_get_line_readonly(iter));
        advance(pageTop + lineBottom - consumed);
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    g_object_unref(layout);
}

void Flow::labelled(std::string_view label, std::string_view text, const TextStyle& style, double indent,
                    double labelWidth) {
    if (labelWidth <= 0) labelWidth = doc_.measureWidth(label, style);
    keep(style.size * 1.6);
    doc_.text(kMargin + indent, y_, labelWidth + 1, label, style);
    paragraph(text, style, indent + labelWidth);
}

}  // namespace complaintd::documents::detail
