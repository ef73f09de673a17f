// Test support for the fax library: zh-TW complaint pages rendered with
// cairo/pango in AR PL UMing TW (fonts-arphic-uming) at fax resolution,
// written as G4 or G3 TIFF (libtiff) and as PDF (cairo), wrapped in the mail
// of each gateway format; and the character accuracy of OCR text. Nothing
// binary is committed: every fixture is made when a test or benchmark runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace complaintd::fax::fixtures {

// The two pages of the complaint the fixtures carry, as rendered (lines).
extern const std::string_view kComplaintPage1;
extern const std::string_view kComplaintPage2;

// A page image: 8-bit gray, 0 black, 255 white, row by row.
struct Bitmap {
    int width = 0;
    int height = 0;
    int xDpi = 0;
    int yDpi = 0;
    std::vector<std::uint8_t> gray;
};

// Fax modes: fine is 204x196 dpi, standard 204x98 (pixels twice as tall as wide).
enum class FaxMode { Fine, Standard };
// Black and white like a fax machine, or gray like a copier's scan.
enum class Tone { Bilevel, Gray };

// An A4 page with `text` in AR PL UMing TW at `pointSize`, 25 mm margins.
Bitmap renderPage(std::string_view text, FaxMode mode, Tone tone = Tone::Bilevel, double pointSize = 14);
Bitmap renderPage(std::string_view text, int xDpi, int yDpi, Tone tone, double pointSize);
Bitmap blankPage(FaxMode mode);
// Salt and pepper: `percent` of the pixels black, placed by a fixed seed.
Bitmap noisePage(FaxMode mode, int percent, std::uint32_t seed = 1);

enum class TiffCompression {
    G4,  // CCITT T.6, what HylaFAX stores for 2-D MMR
    G3,  // CCITT T.4 1-D (MH), fill order LSB first: TIFF-F profile S of RFC 3949, as T.37 sends
};
// A multi-page 1-bit TIFF (bitmaps thresholded at 50%).
std::string writeTiff(const std::vector<Bitmap>& pages, TiffCompression compression);
// A PDF with one page per bitmap, the bitmap as an image filling the A4 page.
std::string writePdf(const std::vector<Bitmap>& pages);
// A hostile PDF: one A4 page that fills the whole page `fills` times. About 30 bytes a
// fill, and each costs poppler a full page of pixels: 2000 took 19 s of CPU at 200 dpi.
std::string writeRenderingBombPdf(int fills);

struct MailPart {
    std::string contentType;  // e.g. "image/tiff; application=faxbw"
    std::string filename;
    std::string data;
};
// A raw RFC 5322 message (CRLF): the headers (non-ASCII values RFC 2047
// encoded), a text/plain UTF-8 body and the parts as base64 attachments.
std::string buildMail(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body,
                      const std::vector<MailPart>& attachments);
std::string base64(std::string_view data);

// 1 - (edit distance / length of truth), over Unicode characters, ignoring
// whitespace and counting a full-width form and its ASCII twin (，and ,) as
// equal; 0 when OCR is worse than nothing.
double characterAccuracy(std::string_view truth, std::string_view ocr);

}  // namespace complaintd::fax::fixtures
