// OCR speed and accuracy on generated fax pages: the complaint of the fax
// tests, as a G4 fax in fine mode, a G3 fax in standard mode, a fax service's
// PDF and a copier's gray scan. Prints seconds per page (target: 5 or less)
// and character accuracy (1 - edit distance / length, whitespace ignored).
//
//   fax_ocr_bench [LANGUAGES] [RUNS]      e.g. fax_ocr_bench chi_tra+eng 3
//
// Tesseract uses OpenMP; run with OMP_THREAD_LIMIT=1 to measure what the
// service does with one thread per OCR job.
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "fax/ocr_engine.h"
#include "fax_fixtures.h"

namespace {

using namespace complaintd::fax;
namespace fx = complaintd::fax::fixtures;

struct Fixture {
    std::string name;
    std::string data;
    DocumentFormat format;
    std::string truth;
};

std::vector<Fixture> makeFixtures() {
    const std::string page1(fx::kComplaintPage1), page2(fx::kComplaintPage2);
    const std::string full = page1 + "\n" + page2 + "\n" + page1 + "\n" + page2;  // 30 lines fill an A4 page
    return {
        {"G4 TIFF, fine 204x196, 2 pages",
         fx::writeTiff({fx::renderPage(page1, fx::FaxMode::Fine), fx::renderPage(page2, fx::FaxMode::Fine)},
                       fx::TiffCompression::G4),
         DocumentFormat::Tiff, page1 + "\n" + page2},
        {"G4 TIFF, fine, a full page of 12 pt",
         fx::writeTiff({fx::renderPage(full, fx::FaxMode::Fine, fx::Tone::Bilevel, 12)}, fx::TiffCompression::G4),
         DocumentFormat::Tiff, full},
        {"G3 TIFF-F, standard 204x98, 1 page",
         fx::writeTiff({fx::renderPage(page1, fx::FaxMode::Standard)}, fx::TiffCompression::G3), DocumentFormat::Tiff,
         page1},
        {"PDF of a fine fax, 1 page", fx::writePdf({fx::renderPage(page1, fx::FaxMode::Fine)}), DocumentFormat::Pdf,
         page1},
        {"PDF of a 300 dpi gray scan, 1 page", fx::writePdf({fx::renderPage(page1, 300, 300, fx::Tone::Gray, 12)}),
         DocumentFormat::Pdf, page1},
    };
}

}  // namespace

int main(int argc, char** argv) {
    OcrSettings settings;
    if (argc > 1) settings.languages = argv[1];
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    const char* threads = std::getenv("OMP_THREAD_LIMIT");
    std::cout << "languages " << settings.languages << ", OMP_THREAD_LIMIT=" << (threads ? threads : "(unset)") << ", "
              << runs << " runs, best and mean\n\n";
    const OcrEngine engine(settings);
    std::cout << std::left << std::setw(38) << "fixture" << std::right << std::setw(10) << "s/page" << std::setw(10)
              << "mean" << std::setw(10) << "accuracy" << std::setw(12) << "confidence"
              << "\n";
    for (const auto& fixture : makeFixtures()) {
        double best = 1e9, total = 0;
        OcrResult result;
        for (int run = 0; run < runs; ++run) {
            const auto start = std::chrono::steady_clock::now();
            result = engine.recognise(std::vector{DocumentView{fixture.data, fixture.format}});
            const double perPage = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                                   double(std::max<std::size_t>(1, result.pages.size()));
            best = std::min(best, perPage);
            total += perPage;
        }
        std::cout << std::left << std::setw(38) << fixture.name << std::right << std::fixed << std::setprecision(2)
                  << std::setw(10) << best << std::setw(10) << total / runs << std::setprecision(3) << std::setw(10)
                  << fx::characterAccuracy(fixture.truth, result.text) << std::setw(12) << result.confidence
                  << (result.needsManualSummary ? "  manual summary" : "") << "\n";
    }
    return 0;
}
