#include "fax_fixtures.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <tiffio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>

namespace complaintd::fax::fixtures {

const std::string_view kComplaintPage1 =
    "主旨：紫楝路路燈不亮\n"
    "敬啟者：\n"
    "紫楝路路燈不亮，晚上很危險，請派員修理。\n"
    "路燈在紫楝路與南科三路口附近，\n"
    "已經一個星期沒有亮了。\n"
    "聯絡人：陳大文\n"
    "聯絡電話 06-5050123\n"
    "傳真 06-5050777";

const std::string_view kComplaintPage2 =
    "另外，園區東側的排水溝堵塞，\n"
    "下雨時路面積水，機車容易滑倒，\n"
    "也請一併派員清理。\n"
    "謝謝。\n"
    "樹谷園區廠商 陳大文 敬上\n"
    "Shugu Precision Co., Ltd.\n"
    "E-mail: chen.dawen@example.com.tw";

namespace {

constexpr double kA4WidthPt = 595.28;
constexpr double kA4HeightPt = 841.89;
constexpr double kMarginPt = 72.0;

struct CairoSurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using Cairo = std::unique_ptr<cairo_t, CairoDeleter>;

int dpiOf(FaxMode mode) { return mode == FaxMode::Fine ? 196 : 98; }

Bitmap whitePage(int xDpi, int yDpi) {
    Bitmap page;
    page.xDpi = xDpi;
    page.yDpi = yDpi;
    page.width = int(kA4WidthPt / 72.0 * xDpi);
    page.height = int(kA4HeightPt / 72.0 * yDpi);
    page.gray.assign(std::size_t(page.width) * page.height, 255);
    return page;
}

void drawText(cairo_t* cr, std::string_view text, double pointSize) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72.0);  // user units are points
    pango_layout_context_changed(layout);
    PangoFontDescription* font = pango_font_description_from_string("AR PL UMing TW");
    pango_font_description_set_size(font, int(pointSize * PANGO_SCALE));
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, int((kA4WidthPt - 2 * kMarginPt) * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(layout, int(pointSize * 0.5 * PANGO_SCALE));
    pango_layout_set_text(layout, text.data(), int(text.size()));
    cairo_move_to(cr, kMarginPt, kMarginPt);
    cairo_set_source_rgb(cr, 0, 0, 0);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(font);
    g_object_unref(layout);
}

Bitmap renderSquare(std::string_view text, int dpi, Tone tone, double pointSize) {
    Bitmap page = whitePage(dpi, dpi);
    Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, page.width, page.height));
    Cairo cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_scale(cr.get(), dpi / 72.0, dpi / 72.0);
    drawText(cr.get(), text, pointSize);
    cairo_surface_flush(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int y = 0; y < page.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + std::size_t(y) * stride);
        for (int x = 0; x < page.width; ++x) {
            const auto gray = std::uint8_t(row[x] & 0xFF);  // black text on white: the channels are equal
            page.gray[std::size_t(y) * page.width + x] = tone == Tone::Gray ? gray : (gray < 128 ? 0 : 255);
        }
    }
    return page;
}

std::string readAndRemove(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    return data;
}

void writeTiffPage(TIFF* tiff, const Bitmap& page, int index, int count, TiffCompression compression) {
    TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, page.width);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, page.height);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, page.height);
    TIFFSetField(tiff, TIFFTAG_XRESOLUTION, float(page.xDpi));
    TIFFSetField(tiff, TIFFTAG_YRESOLUTION, float(page.yDpi));
    TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tiff, TIFFTAG_PAGENUMBER, index, count);
    TIFFSetField(tiff, TIFFTAG_DATETIME, "2026:11:30 09:15:42");
    if (compression == TiffCompression::G4) {
        TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
        TIFFSetField(tiff, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
        TIFFSetField(tiff, TIFFTAG_GROUP4OPTIONS, 0);
    } else {
        TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3);
        TIFFSetField(tiff, TIFFTAG_FILLORDER, FILLORDER_LSB2MSB);
        TIFFSetField(tiff, TIFFTAG_GROUP3OPTIONS, 0);  // 1-D modified Huffman
    }
    std::vector<std::uint8_t> row(std::size_t(page.width + 7) / 8);
    for (int y = 0; y < page.height; ++y) {
        std::fill(row.begin(), row.end(), 0);
        for (int x = 0; x < page.width; ++x)
            if (page.gray[std::size_t(y) * page.width + x] < 128) row[x / 8] |= std::uint8_t(0x80 >> (x % 8));
        if (TIFFWriteScanline(tiff, row.data(), y, 0) < 0) throw std::runtime_error("TIFFWriteScanline failed");
    }
    TIFFWriteDirectory(tiff);
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::u32string codePoints(std::string_view text) {
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        char32_t c = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        i += length;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0x3000) continue;
        if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width form to its ASCII twin
        out += c;
    }
    return out;
}

std::string encodeHeader(const std::string& value) {
    if (std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return value;
    return "=?UTF-8?B?" + base64(value) + "?=";
}

}  // namespace

// Renders with square pixels at xDpi, then keeps the rows a scanner of yDpi
// lines per inch would see: pango lays glyphs out badly under a non-uniform scale.
Bitmap renderPage(std::string_view text, int xDpi, int yDpi, Tone tone, double pointSize) {
    const Bitmap square = renderSquare(text, xDpi, tone, pointSize);
    if (yDpi == xDpi) return square;
    Bitmap page = whitePage(xDpi, yDpi);
    for (int y = 0; y < page.height; ++y) {
        const int from = std::min(square.height - 1, int(std::int64_t(y) * xDpi / yDpi));
        std::copy_n(square.gray.begin() + std::ptrdiff_t(from) * square.width, page.width,
                    page.gray.begin() + std::ptrdiff_t(y) * page.width);
    }
    return page;
}

Bitmap renderPage(std::string_view text, FaxMode mode, Tone tone, double pointSize) {
    return renderPage(text, 204, dpiOf(mode), tone, pointSize);
}

Bitmap blankPage(FaxMode mode) { return whitePage(204, dpiOf(mode)); }

Bitmap noisePage(FaxMode mode, int percent, std::uint32_t seed) {
    Bitmap page = whitePage(204, dpiOf(mode));
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> hundred(0, 99);
    for (auto& pixel : page.gray)
        if (hundred(random) < percent) pixel = 0;
    return page;
}

std::string writeTiff(const std::vector<Bitmap>& pages, TiffCompression compression) {
    std::string name = (std::filesystem::temp_directory_path() / "complaintd-fax-XXXXXX").string();
    const int fd = mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    TIFF* tiff = TIFFOpen(name.c_str(), "w");
    if (!tiff) throw std::runtime_error("TIFFOpen failed");
    for (std::size_t i = 0; i < pages.size(); ++i)
        writeTiffPage(tiff, pages[i], int(i), int(pages.size()), compression);
    TIFFClose(tiff);
    return readAndRemove(name);
}

std::string writePdf(const std::vector<Bitmap>& pages) {
    std::string pdf;
    Surface surface(cairo_pdf_surface_create_for_stream(appendToString, &pdf, kA4WidthPt, kA4HeightPt));
    Cairo cr(cairo_create(surface.get()));
    for (const auto& page : pages) {
        Surface image(cairo_image_surface_create(CAIRO_FORMAT_RGB24, page.width, page.height));
        cairo_surface_flush(image.get());
        unsigned char* data = cairo_image_surface_get_data(image.get());
        const int stride = cairo_image_surface_get_stride(image.get());
        for (int y = 0; y < page.height; ++y) {
            auto* row = reinterpret_cast<std::uint32_t*>(data + std::size_t(y) * stride);
            for (int x = 0; x < page.width; ++x) {
                const std::uint32_t g = page.gray[std::size_t(y) * page.width + x];
                row[x] = (g << 16) | (g << 8) | g;
            }
        }
        cairo_surface_mark_dirty(image.get());
        cairo_save(cr.get());
        cairo_scale(cr.get(), 72.0 / page.xDpi, 72.0 / page.yDpi);
        cairo_set_source_surface(cr.get(), image.get(), 0, 0);
        cairo_paint(cr.get());
        cairo_restore(cr.get());
        cairo_show_page(cr.get());
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    return pdf;
}

std::string writeRenderingBombPdf(int fills) {
    std::string content = "q 0.5 g\n";
    for (int i = 0; i < fills; ++i) content += "0 0 m 595 842 l 0 842 l h f\n";
    content += "Q\n";
    const std::vector<std::string> objects{
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
    };
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const auto xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const auto offset : offsets) {
        char entry[32];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

std::string base64(std::string_view data) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(data[i])) << 16;
        if (i + 1 < data.size()) n |= std::uint32_t(static_cast<unsigned char>(data[i + 1])) << 8;
        if (i + 2 < data.size()) n |= std::uint32_t(static_cast<unsigned char>(data[i + 2]));
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
}

std::string buildMail(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body,
                      const std::vector<MailPart>& attachments) {
    const std::string boundary = "=_complaintd_fax_fixture";
    std::string mail;
    for (const auto& [name, value] : headers) mail += name + ": " + encodeHeader(value) + "\r\n";
    mail += "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    mail += "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    for (char c : body) mail += c == '\n' ? std::string("\r\n") : std::string(1, c);
    mail += "\r\n";
    for (const auto& part : attachments) {
        mail += "--" + boundary + "\r\nContent-Type: " + part.contentType + "; name=\"" + part.filename +
                "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" +
                part.filename + "\"\r\n\r\n";
        const std::string encoded = base64(part.data);
        for (std::size_t i = 0; i < encoded.size(); i += 76) mail += encoded.substr(i, 76) + "\r\n";
    }
    mail += "--" + boundary + "--\r\n";
    return mail;
}

double characterAccuracy(std::string_view truth, std::string_view ocr) {
    const std::u32string a = codePoints(truth), b = codePoints(ocr);
    if (a.empty()) return b.empty() ? 1.0 : 0.0;
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(previous, current);
    }
    return std::max(0.0, 1.0 - double(previous[b.size()]) / double(a.size()));
}

}  // namespace complaintd::fax::fixtures
