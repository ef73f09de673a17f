#include "document_pages.h"

#include <leptonica/allheaders.h>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <climits>
#include <cmath>
#include <mutex>

namespace complaintd::fax {
namespace {

const l_uint8* bytes(std::string_view data) { return reinterpret_cast<const l_uint8*>(data.data()); }

PageImage failed(std::string defect) { return {nullptr, 0, std::move(defect)}; }

// Stretches the axis of lower resolution so that pixels are square.
PageImage squarePixels(PixPtr pix, int assumedDpi) {
    int xres = pixGetXRes(pix.get()), yres = pixGetYRes(pix.get());
    if (xres <= 0 || yres <= 0) xres = yres = assumedDpi;
    const int dpi = std::max(xres, yres);
    if (std::abs(xres - yres) * 10 <= dpi) return {std::move(pix), xres, {}};  // 204x196 is square enough
    PixPtr scaled(pixScale(pix.get(), float(dpi) / float(xres), float(dpi) / float(yres)));
    if (!scaled) return failed("could not stretch the page to square pixels");
    pixSetResolution(scaled.get(), dpi, dpi);
    return {std::move(scaled), dpi, {}};
}

// poppler's gray image as a Leptonica 8-bit image.
PixPtr toPix(const poppler::image& image, int dpi) {
    PixPtr pix(pixCreate(image.width(), image.height(), 8));
    if (!pix) return nullptr;
    const int wpl = pixGetWpl(pix.get());
    l_uint32* data = pixGetData(pix.get());
    for (int y = 0; y < image.height(); ++y) {
        const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) + y * image.bytes_per_row();
        l_uint32* line = data + y * wpl;
        for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
    }
    pixSetResolution(pix.get(), dpi, dpi);
    return pix;
}

void ignorePopplerMessage(const std::string&, void*) {}
void ignoreLeptonicaMessage(const char*) {}

}  // namespace

void PixDeleter::operator()(Pix* pix) const { pixDestroy(&pix); }

void quietImageLibraries() {
    static std::once_flag once;
    std::call_once(once, [] {
        poppler::set_debug_error_function(ignorePopplerMessage, nullptr);
        setMsgSeverity(L_SEVERITY_NONE);
        leptSetStderrHandler(ignoreLeptonicaMessage);  // libtiff's complaints come through here
    });
}

PageImage cleanForOcr(PageImage image, const OcrSettings& settings) {
    Pix* pix = image.pix.get();
    const PixPtr binary(pixGetDepth(pix) == 1 ? pixClone(pix) : pixConvertTo1(pix, 128));
    if (!binary) return failed("page could not be made black and white");
    PixPtr clean(pixSelectBySize(binary.get(), 3, 3, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
    l_int32 components = 0;
    if (!clean || pixCountConnComp(clean.get(), 8, &components) != 0) return failed("page could not be cleaned");
    if (components > settings.maxPageComponents)
        return failed("too noisy to read (" + std::to_string(components) + " specks and strokes)");
    pixSetResolution(clean.get(), image.dpi, image.dpi);
    return {std::move(clean), image.dpi, {}};
}

DocumentPages::DocumentPages(DocumentView document, const OcrSettings& settings)
    : document_(document), settings_(settings) {
    if (document.format == DocumentFormat::Tiff) {
        if (const auto pages = countTiffPages(document.data)) {
            count_ = std::max(*pages, 1);
        } else {
            openDefect_ = "not a readable TIFF";
        }
        return;
    }
    if (document.data.size() > std::size_t(INT_MAX)) {
        openDefect_ = "PDF too large";
        return;
    }
    pdf_.reset(poppler::document::load_from_raw_data(document.data.data(), int(document.data.size())));
    if (!pdf_) {
        openDefect_ = "not a readable PDF";
    } else if (pdf_->is_locked()) {
        openDefect_ = "PDF is protected by a password";
    } else {
        count_ = std::max(pdf_->pages(), 1);
    }
}

DocumentPages::~DocumentPages() = default;

PageImage DocumentPages::decode(int index) const {
    if (!openDefect_.empty()) return failed(openDefect_);
    return document_.format == DocumentFormat::Tiff ? decodeTiff(index) : decodePdf(index);
}

PageImage DocumentPages::decodeTiff(int index) const {
    const auto& data = document_.data;
    l_int32 width = 0, height = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
    if (readHeaderMemTiff(bytes(data), data.size(), index, &width, &height, &bps, &spp, &res, &cmap, &format) != 0)
        return failed("TIFF page header could not be read");
    if (width <= 0 || height <= 0 || std::size_t(width) * std::size_t(height) > settings_.maxPagePixels)
        return failed("TIFF page of " + std::to_string(width) + "x" + std::to_string(height) + " pixels is too large");
    PixPtr pix(pixReadMemTiff(bytes(data), data.size(), index));
    if (!pix) return failed("TIFF page could not be decoded");
    return squarePixels(std::move(pix), settings_.assumedDpi);
}

PageImage DocumentPages::decodePdf(int index) const {
    const std::unique_ptr<poppler::page> page(pdf_->create_page(index));
    if (!page) return failed("PDF page could not be opened");
    const auto box = page->page_rect();
    const double scale = settings_.pdfDpi / 72.0;
    const double pixels = std::abs(box.width() * scale) * std::abs(box.height() * scale);
    if (!(pixels >= 1) || pixels > double(settings_.maxPagePixels))
        return failed("PDF page of " + std::to_string(int(box.width())) + "x" + std::to_string(int(box.height())) +
                      " points is too large or empty at " + std::to_string(settings_.pdfDpi) + " dpi");
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    const poppler::image image = renderer.render_page(page.get(), settings_.pdfDpi, settings_.pdfDpi);
    if (!image.is_valid() || image.format() != poppler::image::format_gray8)
        return failed("PDF page could not be rendered");
    PixPtr pix = toPix(image, settings_.pdfDpi);
    if (!pix) return failed("PDF page could not be converted");
    return {std::move(pix), settings_.pdfDpi, {}};
}

}  // namespace complaintd::fax
