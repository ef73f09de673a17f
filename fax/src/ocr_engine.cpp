#include "fax/ocr_engine.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>

#include <cstdint>
#include <filesystem>
#include <mutex>

#include "cases/error.h"
#include "document_pages.h"
#include "fax/ocr_text.h"

namespace complaintd::fax {
namespace {

void checkSettings(const OcrSettings& s) {
    const auto require = [](bool ok, const std::string& what) {
        if (!ok) throw ConfigError("OCR setting " + what);
    };
    const auto within = [](int value, OcrRange range) { return value >= range.minimum && value <= range.maximum; };
    const auto range = [](OcrRange r) { return std::to_string(r.minimum) + "-" + std::to_string(r.maximum); };
    require(within(s.pdfDpi, kOcrDpi), "pdfDpi must be " + range(kOcrDpi) + ", got " + std::to_string(s.pdfDpi));
    require(s.assumedDpi >= 50 && s.assumedDpi <= 1200, "assumedDpi must be 50-1200");
    require(within(s.lowConfidence, kOcrConfidence), "lowConfidence must be " + range(kOcrConfidence));
    require(within(s.maxPages, kOcrMaxPages), "maxPages must be " + range(kOcrMaxPages));
    require(s.maxPagePixels >= 1'000'000, "maxPagePixels must be at least 1000000");
    require(s.maxPageComponents >= 1'000, "maxPageComponents must be at least 1000");
    require(s.pageTimeout.count() > 0 && s.pageTimeout.count() <= INT32_MAX, "pageTimeout must be positive");
    std::string_view languages = s.languages;
    require(!languages.empty(), "languages must name at least one language");
    while (!languages.empty()) {
        const auto plus = std::min(languages.find('+'), languages.size());
        const std::string file = std::string(languages.substr(0, plus)) + ".traineddata";
        std::error_code error;
        require(std::filesystem::is_regular_file(std::filesystem::path(s.tessdataDir) / file, error),
                "languages: no " + file + " in " + s.tessdataDir + " (install tesseract-ocr-LANG)");
        languages.remove_prefix(std::min(plus + 1, languages.size()));
    }
}

bool stopRequested(void* stop, int /*words*/) { return static_cast<const std::stop_token*>(stop)->stop_requested(); }

std::string whyNotRead(const std::stop_token& stop, const tesseract::ETEXT_DESC& monitor, const OcrSettings& settings) {
    if (stop.stop_requested()) return "interrupted";
    if (monitor.deadline_exceeded()) return "not read within " + std::to_string(settings.pageTimeout.count()) + " ms";
    return "Tesseract could not read the page";
}

void summarise(OcrResult& result, const OcrSettings& settings) {
    long weighted = 0, length = 0;
    for (const auto& page : result.pages) {
        const std::string name = "page " + std::to_string(page.number) + ": ";
        if (!page.defect.empty()) result.reasons.push_back(name + page.defect);
        if (page.lowConfidence)
            result.reasons.push_back(name + "confidence " + std::to_string(page.confidence) + " below " +
                                     std::to_string(settings.lowConfidence));
        if (page.text.empty()) continue;
        if (!result.text.empty()) result.text += "\n\n";
        result.text += page.text;
        weighted += long(page.confidence) * long(page.text.size());
        length += long(page.text.size());
    }
    result.confidence = length > 0 ? int(weighted / length) : 0;
    if (result.pages.empty()) result.reasons.push_back("no pages");
    if (length == 0 && !result.pages.empty()) result.reasons.push_back("no text recognised");
    if (result.pagesNotRead > 0)
        result.reasons.push_back(std::to_string(result.pagesNotRead) + " pages after page " +
                                 std::to_string(settings.maxPages) + " not read");
    result.needsManualSummary = !result.reasons.empty();
}

}  // namespace

struct OcrEngine::Impl {
    std::mutex mutex;
    tesseract::TessBaseAPI api;

    OcrPage read(const PageImage& image, const OcrSettings& settings, std::stop_token& stop);
};

OcrPage OcrEngine::Impl::read(const PageImage& image, const OcrSettings& settings, std::stop_token& stop) {
    OcrPage page;
    api.SetImage(image.pix.get());
    api.SetSourceResolution(image.dpi);
    tesseract::ETEXT_DESC monitor;
    monitor.cancel = stopRequested;
    monitor.cancel_this = &stop;
    monitor.set_deadline_msecs(static_cast<int32_t>(settings.pageTimeout.count()));
    if (api.Recognize(&monitor) != 0) {
        page.defect = whyNotRead(stop, monitor, settings);
        api.Clear();
        return page;
    }
    const std::unique_ptr<char[]> text(api.GetUTF8Text());
    page.confidence = api.MeanTextConf();
    page.text = tidyOcrText(text ? text.get() : "");
    page.lowConfidence = !page.text.empty() && page.confidence < settings.lowConfidence;
    api.Clear();
    return page;
}

OcrEngine::OcrEngine(OcrSettings settings) : settings_(std::move(settings)), impl_(std::make_unique<Impl>()) {
    checkSettings(settings_);
    quietImageLibraries();
    if (impl_->api.Init(settings_.tessdataDir.c_str(), settings_.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
        throw ConfigError("OCR: Tesseract could not load " + settings_.languages + " from " + settings_.tessdataDir);
    impl_->api.SetPageSegMode(tesseract::PSM_AUTO);
    impl_->api.SetVariable("debug_file", "/dev/null");  // "Empty page!!" and the like; results say it
}

OcrEngine::~OcrEngine() = default;

OcrResult OcrEngine::recognise(std::span<const DocumentView> documents, std::stop_token stop) const {
    const std::lock_guard lock(impl_->mutex);
    OcrResult result;
    int number = 0;
    for (const auto& document : documents) {
        const DocumentPages pages(document, settings_);
        for (int index = 0; index < pages.count(); ++index) {
            if (number == settings_.maxPages) {
                result.pagesNotRead += pages.count() - index;
                break;
            }
            if (stop.stop_requested()) {
                result.interrupted = true;
                return result;
            }
            PageImage image = pages.decode(index);
            if (image.pix) image = cleanForOcr(std::move(image), settings_);
            OcrPage page;
            if (image.pix) {
                page = impl_->read(image, settings_, stop);
            } else {
                page.defect = image.defect;
            }
            page.number = ++number;
            result.pages.push_back(std::move(page));
        }
    }
    if (stop.stop_requested()) {
        result.interrupted = true;
        return result;
    }
    summarise(result, settings_);
    return result;
}

}  // namespace complaintd::fax
