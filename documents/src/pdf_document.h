// Private: an A4 PDF drawn with cairo, text laid out by pango in the font the
// center's documents use ("AR PL UMing TW", a Ming face like printed
// government forms; cairo embeds the subset it uses, so the PDF prints the
// same anywhere). Text is always set as plain text, never pango markup, so
// a complainant's words cannot change the layout. Coordinates in points,
// origin top left.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <string>
#include <string_view>

namespace complaintd::documents::detail {

inline constexpr double kPageWidth = 595.276;  // A4, 210 mm
inline constexpr double kPageHeight = 841.89;  // A4, 297 mm
inline constexpr double kMargin = 62.0;        // about 22 mm: room for binding and the printer's edge
inline constexpr const char* kFontFamily = "AR PL UMing TW";

enum class Align { Left, Center, Right };
enum class Weight { Regular, Bold };
enum class PageNumbers { Hidden, Shown };

struct TextStyle {
    double size = 12;
    Weight weight = Weight::Regular;
    Align align = Align::Left;
    double lineGap = 0.35;  // extra space between lines, in ems: CJK text reads badly when set tight
};

struct Rgb {
    double r = 0, g = 0, b = 0;
};

class PdfDocument {
public:
    PdfDocument(std::string_view title, PageNumbers pageNumbers);
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    // Draws `text` wrapped to `width`, top left at (x, y), on the current page; returns its height.
    double text(double x, double y, double width, std::string_view text, const TextStyle& style);
    // The height `text` would take, and the width of its longest line, without drawing.
    double measureHeight(double width, std::string_view text, const TextStyle& style);
    double measureWidth(std::string_view text, const TextStyle& style);

    void line(double x1, double y1, double x2, double y2, double lineWidth = 0.8);
    void rectangle(double x, double y, double width, double height, double lineWidth = 0.8);
    void fillRectangle(double x, double y, double width, double height, Rgb color);
    void setColor(Rgb color);

    void newPage();
    int page() const { return page_; }
    // From the current page on: whether pages carry their number (a form put after a letter does not).
    void setPageNumbers(PageNumbers pageNumbers) { pageNumbers_ = pageNumbers; }
    cairo_t* context() { return cr_; }
    // The pango layout of `text` for callers that place lines themselves; owned by the document.
    PangoLayout* layout(double width, std::string_view text, const TextStyle& style);

    // Ends the last page and returns the PDF. Throws complaintd::Error when cairo failed at any point.
    std::string finish();

private:
    static cairo_status_t append(void* closure, const unsigned char* data, unsigned int length);
    void endPage();
    void check() const;

    std::string bytes_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    PangoLayout* layout_ = nullptr;
    PageNumbers pageNumbers_;
    int page_ = 1;
    bool finished_ = false;
};

// A column of text running down the pages: paragraphs are split between lines when a page fills. Inside
// a frame (a table of one column, as the paper forms are), the side borders follow the text and a page
// break closes the frame at the bottom of one page and reopens it at the top of the next.
class Flow {
public:
    Flow(PdfDocument& doc, double top = kMargin) : doc_(doc), y_(top) {}

    // The full width between the margins; draws the top rule. Text inside keeps `inset` from the right side.
    void openFrame(double inset);
    void rule();  // a rule across the frame: the border between two rows
    void closeFrame();

    // Draws `text` at `indent` from the left margin in the remaining width; returns nothing, moves down.
    void paragraph(std::string_view text, const TextStyle& style, double indent = 0);
    // A label and its text beside it, continuing under the text (a hanging indent): "主旨：" ... The text
    // starts `labelWidth` after the label's start, or right after the label when that is 0.
    void labelled(std::string_view label, std::string_view text, const TextStyle& style, double indent = 0,
                  double labelWidth = 0);
    void space(double points) { advance(y_ + points); }
    // Starts a new page unless `points` still fit on this one.
    void keep(double points);
    void pageBreak() { breakPage(); }
    double y() const { return y_; }
    void moveTo(double y) { y_ = y; }
    double bottom() const { return kPageHeight - kMargin; }
    double width() const { return kPageWidth - 2 * kMargin; }
    PdfDocument& doc() { return doc_; }

private:
    void advance(double to);  // moves down to `to`, drawing the frame's sides on the way
    void breakPage();

    PdfDocument& doc_;
    double y_;
    bool framed_ = false;
    double inset_ = 0;
};

}  // namespace complaintd::documents::detail
