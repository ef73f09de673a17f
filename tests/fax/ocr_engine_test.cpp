// OCR of generated fax pages, wrapped in the gateways' mails and read back
// through the parser and gateway recognition, as the fax channel will.
#include "fax/ocr_engine.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "cases/error.h"
#include "fax_fixtures.h"

namespace complaintd::fax {
namespace {

using fixtures::FaxMode;
using fixtures::TiffCompression;

// Character accuracy measured on these fixtures with Tesseract 5.3.0 and the
// Debian chi_tra/eng models (docs/fax.md); the thresholds leave some room.
constexpr double kFineFaxAccuracy = 0.82;      // measured 0.87 (page 1 alone) and 0.93 (both pages)
constexpr double kPdfFaxAccuracy = 0.80;       // measured 0.86
constexpr double kScannedPdfAccuracy = 0.88;   // measured 0.95
constexpr double kStandardFaxAccuracy = 0.40;  // measured 0.49: standard mode loses strokes of small CJK text

const std::string kBothPages = std::string(fixtures::kComplaintPage1) + "\n" + std::string(fixtures::kComplaintPage2);

GatewaySet shippedGateways() {
    std::ifstream in(COMPLAINTD_SOURCE_DIR "/fax/gateways.conf");
    return GatewaySet::parse(std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()},
                             "fax/gateways.conf");
}

// The mail parsed and recognised, its documents read: what the fax job will do.
struct ReadFax {
    parsers::ParsedMessage message;
    FaxInfo info;
    OcrResult ocr;
};

ReadFax readFax(const std::string& raw, const OcrEngine& engine) {
    ReadFax fax;
    auto parsed = parsers::parseMessage(raw);
    if (auto* failure = std::get_if<parsers::ParseFailure>(&parsed)) ADD_FAILURE() << failure->reason;
    fax.message = std::get<parsers::ParsedMessage>(std::move(parsed));
    fax.info = recogniseFax(fax.message, shippedGateways());
    std::vector<DocumentView> views;
    for (const auto& document : fax.info.documents)
        views.push_back({fax.message.attachments.at(document.attachment).data, document.format});
    fax.ocr = engine.recognise(views);
    return fax;
}

std::string mailWith(std::vector<std::pair<std::string, std::string>> headers, std::string_view body,
                     fixtures::MailPart part) {
    return fixtures::buildMail(headers, body, {std::move(part)});
}

double accuracy(std::string_view truth, const OcrResult& ocr) {
    const double value = fixtures::characterAccuracy(truth, ocr.text);
    ::testing::Test::RecordProperty("character_accuracy", std::to_string(value));
    std::cout << "character accuracy " << value << ", confidence " << ocr.confidence << "\n" << ocr.text << "\n";
    return value;
}

TEST(OcrEngine, ReadsAG4HylaFaxOfTwoPages) {
    const OcrEngine engine;
    const std::string tiff = fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine),
                                                  fixtures::renderPage(fixtures::kComplaintPage2, FaxMode::Fine)},
                                                 TiffCompression::G4);
    const ReadFax fax = readFax(
        mailWith({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                  {"Subject", "Facsimile received from +886 6 5050777"}},
                 "        Sender: +886 6 5050777\n         Pages: 2\n", {"image/tiff", "fax000000012.tif", tiff}),
        engine);
    EXPECT_EQ(fax.info.number, "06-5050777");
    EXPECT_EQ(fax.info.pages, 2);
    ASSERT_EQ(fax.ocr.pages.size(), 2u);
    EXPECT_NE(fax.ocr.text.find("路燈"), std::string::npos);
    EXPECT_NE(fax.ocr.text.find("修理"), std::string::npos);
    EXPECT_NE(fax.ocr.pages[1].text.find("排水溝"), std::string::npos);
    EXPECT_GE(accuracy(kBothPages, fax.ocr), kFineFaxAccuracy);
    EXPECT_FALSE(fax.ocr.needsManualSummary) << fax.ocr.reasons.front();
    EXPECT_GE(fax.ocr.pages[0].confidence, 70);
}

TEST(OcrEngine, ReadsThePdfOfAFaxService) {
    const OcrEngine engine;
    const std::string pdf = fixtures::writePdf({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine)});
    const ReadFax fax = readFax(mailWith({{"From", "Fax Service <noreply@faxmail.example.com>"},
                                          {"Subject", "Fax from +886-6-5050777 (1 page)"}},
                                         "You have received a new fax.\n", {"application/pdf", "fax.pdf", pdf}),
                                engine);
    EXPECT_EQ(fax.info.kind, GatewayKind::FaxService);
    EXPECT_EQ(fax.info.number, "06-5050777");
    EXPECT_EQ(fax.info.pages, 1);
    ASSERT_EQ(fax.ocr.pages.size(), 1u);
    EXPECT_NE(fax.ocr.text.find("路燈"), std::string::npos);
    EXPECT_NE(fax.ocr.text.find("修理"), std::string::npos);
    EXPECT_GE(accuracy(fixtures::kComplaintPage1, fax.ocr), kPdfFaxAccuracy);
    EXPECT_FALSE(fax.ocr.needsManualSummary);
}

TEST(OcrEngine, ReadsAGrayScanToMailPdf) {
    const OcrEngine engine;
    const std::string pdf =
        fixtures::writePdf({fixtures::renderPage(fixtures::kComplaintPage1, 300, 300, fixtures::Tone::Gray, 12)});
    const ReadFax fax = readFax(mailWith({{"From", "scanner@shugu.example"}, {"Subject", "Scanned from a copier"}}, "",
                                         {"application/pdf", "Scan_0001.pdf", pdf}),
                                engine);
    EXPECT_EQ(fax.info.kind, GatewayKind::ScanToMail);
    EXPECT_TRUE(fax.info.number.empty());
    EXPECT_NE(fax.ocr.text.find("路燈"), std::string::npos);
    EXPECT_GE(accuracy(fixtures::kComplaintPage1, fax.ocr), kScannedPdfAccuracy);
}

TEST(OcrEngine, ReadsStandardResolutionG3FromAnInternetFaxButFlagsIt) {
    const OcrEngine engine;
    const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Standard)}, TiffCompression::G3);
    const ReadFax fax = readFax(mailWith({{"From", "FAX=+88665050777@fax-gw.shugu.example"}}, "",
                                         {"image/tiff; application=faxbw", "ATT00001.tif", tiff}),
                                engine);
    EXPECT_EQ(fax.info.kind, GatewayKind::InternetFax);
    EXPECT_EQ(fax.info.number, "06-5050777");
    ASSERT_EQ(fax.ocr.pages.size(), 1u);
    EXPECT_NE(fax.ocr.text.find("路燈"), std::string::npos);  // pixels stretched to square: the glyphs are read
    EXPECT_GE(accuracy(fixtures::kComplaintPage1, fax.ocr), kStandardFaxAccuracy);
    EXPECT_TRUE(fax.ocr.pages[0].lowConfidence);
    EXPECT_TRUE(fax.ocr.needsManualSummary);
}

TEST(OcrEngine, ReadsAFineG3Tiff) {
    const OcrEngine engine;
    const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine)}, TiffCompression::G3);
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    EXPECT_NE(ocr.text.find("修理"), std::string::npos);
    EXPECT_GE(accuracy(fixtures::kComplaintPage1, ocr), kFineFaxAccuracy);
}

TEST(OcrEngine, BlankPageNeedsAManualSummary) {
    const OcrEngine engine;
    const std::string tiff = fixtures::writeTiff({fixtures::blankPage(FaxMode::Fine)}, TiffCompression::G4);
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    ASSERT_EQ(ocr.pages.size(), 1u);
    EXPECT_TRUE(ocr.pages[0].text.empty());
    EXPECT_TRUE(ocr.needsManualSummary);
    EXPECT_EQ(ocr.reasons, std::vector<std::string>{"no text recognised"});
}

TEST(OcrEngine, NoisePageIsRefusedQuicklyAndNeedsAManualSummary) {
    const OcrEngine engine;
    const std::string tiff = fixtures::writeTiff({fixtures::noisePage(FaxMode::Fine, 20)}, TiffCompression::G4);
    const auto start = std::chrono::steady_clock::now();
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    ASSERT_EQ(ocr.pages.size(), 1u);
    EXPECT_EQ(ocr.pages[0].defect.rfind("too noisy to read", 0), 0u) << ocr.pages[0].defect;
    EXPECT_TRUE(ocr.needsManualSummary);
}

TEST(OcrEngine, NoisyTextHasLowConfidence) {
    const OcrEngine engine;
    fixtures::Bitmap page = fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine);
    const fixtures::Bitmap noise = fixtures::noisePage(FaxMode::Fine, 6, 7);
    for (std::size_t i = 0; i < page.gray.size(); ++i)
        if (noise.gray[i] == 0) page.gray[i] = std::uint8_t(255 - page.gray[i]);
    const std::string tiff = fixtures::writeTiff({page}, TiffCompression::G4);
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    ASSERT_EQ(ocr.pages.size(), 1u);
    EXPECT_TRUE(ocr.pages[0].lowConfidence) << ocr.pages[0].confidence;
    EXPECT_TRUE(ocr.needsManualSummary);
}

TEST(OcrEngine, UndecodableDocumentsArePageDefects) {
    const OcrEngine engine;
    const std::string tiff = fixtures::writeTiff({fixtures::blankPage(FaxMode::Fine)}, TiffCompression::G4);
    const std::string truncated = tiff.substr(0, tiff.size() / 2);
    const std::vector<DocumentView> documents{{std::string_view("II*\0garbage", 11), DocumentFormat::Tiff},
                                              {truncated, DocumentFormat::Tiff},
                                              {"%PDF-1.4 not really", DocumentFormat::Pdf},
                                              {"", DocumentFormat::Pdf}};
    const OcrResult ocr = engine.recognise(documents);
    ASSERT_EQ(ocr.pages.size(), 4u);
    for (const auto& page : ocr.pages) EXPECT_FALSE(page.defect.empty()) << page.number;
    EXPECT_EQ(ocr.pages[0].defect, "not a readable TIFF");
    EXPECT_EQ(ocr.pages[2].defect, "not a readable PDF");
    EXPECT_TRUE(ocr.needsManualSummary);
}

TEST(OcrEngine, ReadsAtMostMaxPages) {
    OcrSettings settings;
    settings.maxPages = 1;
    const OcrEngine engine(settings);
    const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine),
                             fixtures::blankPage(FaxMode::Fine), fixtures::blankPage(FaxMode::Fine)},
                            TiffCompression::G4);
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    EXPECT_EQ(ocr.pages.size(), 1u);
    EXPECT_EQ(ocr.pagesNotRead, 2);
    EXPECT_TRUE(ocr.needsManualSummary);
    EXPECT_EQ(ocr.reasons.back(), "2 pages after page 1 not read");
}

TEST(OcrEngine, PageOverItsTimeLimitIsADefect) {
    OcrSettings settings;
    settings.pageTimeout = std::chrono::milliseconds(1);
    const OcrEngine engine(settings);
    const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine)}, TiffCompression::G4);
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}});
    ASSERT_EQ(ocr.pages.size(), 1u);
    EXPECT_EQ(ocr.pages[0].defect, "not read within 1 ms");
    EXPECT_TRUE(ocr.needsManualSummary);
}

TEST(OcrEngine, StopRequestedMeansInterrupted) {
    const OcrEngine engine;
    const std::string tiff = fixtures::writeTiff({fixtures::blankPage(FaxMode::Fine)}, TiffCompression::G4);
    std::stop_source stop;
    stop.request_stop();
    const OcrResult ocr = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}}, stop.get_token());
    EXPECT_TRUE(ocr.interrupted);
    EXPECT_TRUE(ocr.pages.empty());
}

TEST(OcrEngine, OneEngineServesTwoThreadsInTurn) {
    const OcrEngine engine;
    const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage("紫楝路路燈不亮，請派員修理。", FaxMode::Fine)}, TiffCompression::G4);
    OcrResult first, second;
    std::thread a([&] { first = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}}); });
    std::thread b([&] { second = engine.recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}}); });
    a.join();
    b.join();
    EXPECT_EQ(first.text, second.text);
    EXPECT_NE(first.text.find("路燈"), std::string::npos);
}

TEST(OcrEngine, MissingLanguageOrBadSettingIsAConfigError) {
    OcrSettings settings;
    settings.languages = "chi_tra+klingon";
    try {
        const OcrEngine engine(settings);
        ADD_FAILURE() << "no ConfigError";
    } catch (const ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("no klingon.traineddata in"), std::string::npos) << error.what();
    }
    settings = {};
    settings.pdfDpi = 5000;
    EXPECT_THROW(OcrEngine{settings}, ConfigError);
}

}  // namespace
}  // namespace complaintd::fax
