// The pages of one fax document as images for Tesseract, decoded one at a
// time: TIFF directories through Leptonica (libtiff: G3, G4, uncompressed,
// LZW, ...), PDF pages rendered by poppler. Non-square fax pixels (standard
// mode, 204x98 dpi) are stretched to square ones, since Tesseract's models
// expect undistorted glyphs; specks are removed.
#pragma once

#include <memory>
#include <string>

#include "fax/ocr_engine.h"

struct Pix;
namespace poppler {
class document;
}

namespace complaintd::fax {

struct PixDeleter {
    void operator()(Pix* pix) const;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

struct PageImage {
    PixPtr pix;  // null when the page could not be decoded
    int dpi = 0;
    std::string defect;  // why it could not, for staff
};

class DocumentPages {
public:
    DocumentPages(DocumentView document, const OcrSettings& settings);
    ~DocumentPages();
    DocumentPages(const DocumentPages&) = delete;
    DocumentPages& operator=(const DocumentPages&) = delete;

    // At least 1: a document that cannot be opened has one page whose defect says why.
    int count() const { return count_; }
    PageImage decode(int index) const;

private:
    PageImage decodeTiff(int index) const;
    PageImage decodePdf(int index) const;

    DocumentView document_;
    const OcrSettings& settings_;
    int count_ = 1;
    std::string openDefect_;
    std::unique_ptr<poppler::document> pdf_;
};

// The page in black and white without specks (components smaller than 3x3
// pixels: fax line noise), which is what Tesseract reads best and fastest. A
// page with more than maxPageComponents left is noise, not text: Tesseract's
// layout analysis would take minutes on it, so it becomes a defect instead.
PageImage cleanForOcr(PageImage image, const OcrSettings& settings);

// Silences poppler's and Leptonica's messages on stderr, process-wide, once:
// what they complain about comes back as page defects.
void quietImageLibraries();

}  // namespace complaintd::fax
