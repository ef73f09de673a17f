// Optical character recognition of fax pages with Tesseract (LSTM models,
// Traditional Chinese and English by default): multi-page TIFFs, G3 and G4
// fax compression included, and PDFs, whose pages poppler renders first.
// The text feeds the case summary and the routing rules; the confidence says
// whether a person has to write the summary instead.
//
// Computation only: no network, no clock, no log; it reads Tesseract's
// language files. The documents are untrusted: pages are decoded one at a time,
// a page larger than maxPagePixels is not decoded, at most maxPages are read,
// and each page has a time limit. A page that cannot be decoded or read is a
// defect on that page, never an exception or a crash.
//
// Thread safety: one Tesseract instance per engine; calls on one engine run one
// after the other. Use one engine per worker for parallel work. Tesseract
// itself uses OpenMP threads, which made it 2.5-3 times slower on two busy
// cores: run the process with OMP_THREAD_LIMIT=1 (docs/fax.md). Constructing
// an engine silences poppler's and Leptonica's messages on stderr for the
// whole process; what they complain about comes back as page defects.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "fax/fax_recognition.h"

namespace complaintd::fax {

// The ranges OcrEngine accepts (ConfigError otherwise); complaintd's fax.* keys declare the same.
struct OcrRange {
    int minimum;
    int maximum;
};
inline constexpr OcrRange kOcrDpi{50, 600};        // OcrSettings::pdfDpi
inline constexpr OcrRange kOcrConfidence{0, 100};  // OcrSettings::lowConfidence
inline constexpr OcrRange kOcrMaxPages{1, 1000};   // OcrSettings::maxPages

struct OcrSettings {
    std::string languages = "chi_tra+eng";  // Tesseract language names joined by '+'
    std::string tessdataDir = "/usr/share/tesseract-ocr/5/tessdata";
    int pdfDpi = 200;                        // resolution PDF pages are rendered at (fax fine mode is 204x196)
    int assumedDpi = 200;                    // for a TIFF that states no resolution
    int lowConfidence = 70;                  // a page with text and a mean word confidence below this needs a person
    int maxPages = 20;                       // pages of a fax read at most; the rest are counted, not read
    std::size_t maxPagePixels = 40'000'000;  // A4 at 600 dpi is 35 million
    int maxPageComponents = 15'000;          // more marks than this: noise (a full A4 page of 12 pt text: ~2000)
    std::chrono::milliseconds pageTimeout{30'000};
};

struct OcrPage {
    int number = 0;              // 1-based, counted across the fax's documents
    std::string text;            // UTF-8, tidied (ocr_text.h); empty for a blank page
    int confidence = 0;          // Tesseract's mean word confidence, 0-100
    bool lowConfidence = false;  // has text, but confidence < OcrSettings::lowConfidence
    std::string defect;          // English: why the page could not be read; empty when it was
};

struct OcrResult {
    std::vector<OcrPage> pages;
    std::string text;      // the pages' text, a blank line between pages
    int confidence = 0;    // over pages with text, weighted by their length
    int pagesNotRead = 0;  // pages beyond maxPages, counted but not read
    bool needsManualSummary = false;
    std::vector<std::string> reasons;  // English, why a person has to summarise: "page 2: confidence 41"
    bool interrupted = false;          // stop was requested: incomplete, do it again later
};

// One document of a fax: the bytes of an attachment and its format.
struct DocumentView {
    std::string_view data;
    DocumentFormat format = DocumentFormat::Tiff;
};

class OcrEngine {
public:
    // Loads the languages. Throws ConfigError when a language file is missing
    // from tessdataDir or Tesseract cannot load it, or a setting is out of range.
    explicit OcrEngine(OcrSettings settings = {});
    ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    // Reads the pages of the documents in order. `stop` is checked between
    // words and pages; when it is requested the result is marked interrupted.
    OcrResult recognise(std::span<const DocumentView> documents, std::stop_token stop = {}) const;

    const OcrSettings& settings() const { return settings_; }

private:
    struct Impl;
    OcrSettings settings_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace complaintd::fax
