#include "fax/fax_recognition.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "fax_fixtures.h"

namespace complaintd::fax {
namespace {

using namespace std::chrono;
using fixtures::MailPart;

GatewaySet shippedGateways() {
    std::ifstream in(COMPLAINTD_SOURCE_DIR "/fax/gateways.conf");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return GatewaySet::parse(text, "fax/gateways.conf");
}

const std::string& twoPageG4() {
    static const std::string tiff =
        fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Fine),
                             fixtures::renderPage(fixtures::kComplaintPage2, fixtures::FaxMode::Fine)},
                            fixtures::TiffCompression::G4);
    return tiff;
}

const std::string& onePagePdf() {
    static const std::string pdf =
        fixtures::writePdf({fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Fine)});
    return pdf;
}

parsers::ParsedMessage parse(const std::string& raw) {
    auto result = parsers::parseMessage(raw);
    if (auto* failure = std::get_if<parsers::ParseFailure>(&result)) ADD_FAILURE() << failure->reason;
    return std::get<parsers::ParsedMessage>(std::move(result));
}

FaxInfo recognise(const std::string& raw) { return recogniseFax(parse(raw), shippedGateways()); }

bool hasDefect(const FaxInfo& info, std::string_view text) {
    for (const auto& defect : info.defects)
        if (defect.find(text) != std::string::npos) return true;
    return false;
}

// What HylaFAX's bin/faxrcvd sends: faxinfo's output in the body.
std::string hylaFaxMail(std::string_view sender, std::string_view callId, const MailPart& document) {
    const std::string body =
        "recvq/fax000000012.tif (ftp://fax.shugu.example:4559/recvq/fax000000012.tif):\n"
        "                Sender: " +
        std::string(sender) +
        "\n"
        "                 Pages: 2\n"
        "               Quality: Fine\n"
        "                  Page: ISO A4\n"
        "              Received: 2026:11:30 09:15:42\n"
        "         TimeToRecv: 0:01:12\n"
        "            SignalRate: 14400 bit/s\n"
        "            DataFormat: 2-D MMR\n"
        "         ErrCorrect: Yes\n"
        "               CallID1: " +
        std::string(callId) +
        "\n"
        "ReceivedOn: ttyS0\n"
        "    CommID: c000000024\n";
    return fixtures::buildMail({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                                {"To", "complaints-fax@shugu.example"},
                                {"Subject", "Facsimile received from " + std::string(sender)},
                                {"Message-ID", "<hylafax-24@fax.shugu.example>"}},
                               body, {document});
}

TEST(FaxRecognition, HylaFaxTiffGivesNumberPagesAndTime) {
    const FaxInfo info =
        recognise(hylaFaxMail("+886 6 5050777", "065050777", {"image/tiff", "fax000000012.tif", twoPageG4()}));
    EXPECT_EQ(info.gateway, "hylafax");
    EXPECT_EQ(info.kind, GatewayKind::HylaFax);
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_EQ(info.numberAsWritten, "+886 6 5050777");
    EXPECT_EQ(info.pages, 2);
    ASSERT_TRUE(info.received);
    EXPECT_EQ(*info.received, sys_days{2026y / November / 30} + 1h + 15min + 42s);  // 09:15:42 in Taiwan
    ASSERT_EQ(info.documents.size(), 1u);
    EXPECT_EQ(info.documents[0].format, DocumentFormat::Tiff);
    EXPECT_EQ(info.documents[0].pages, 2);
    EXPECT_TRUE(info.defects.empty()) << info.defects.front();
}

TEST(FaxRecognition, HylaFaxPdfIsFoundByItsBytes) {
    const FaxInfo info =
        recognise(hylaFaxMail("06 5050777", "", {"application/pdf", "fax000000012.pdf", onePagePdf()}));
    EXPECT_EQ(info.number, "06-5050777");
    ASSERT_EQ(info.documents.size(), 1u);
    EXPECT_EQ(info.documents[0].format, DocumentFormat::Pdf);
    EXPECT_EQ(info.pages, 2);  // as stated; a PDF's pages are counted when it is rendered
}

TEST(FaxRecognition, HylaFaxSenderThatIsANameFallsBackToCallerId) {
    const FaxInfo info = recognise(hylaFaxMail("SHUGU PRECISION", "065050777", {"image/tiff", "f.tif", twoPageG4()}));
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_EQ(info.numberAsWritten, "065050777");
}

TEST(FaxRecognition, HylaFaxPostScriptIsADefect) {
    const FaxInfo info =
        recognise(hylaFaxMail("06 5050777", "", {"application/postscript", "f.ps", "%!PS-Adobe-3.0\n"}));
    EXPECT_TRUE(info.documents.empty());
    EXPECT_TRUE(hasDefect(info, "PostScript"));
    EXPECT_TRUE(hasDefect(info, "no TIFF or PDF attachment"));
}

TEST(FaxRecognition, PagesStatedAndCountedDifferingIsADefect) {
    const std::string onePage =
        fixtures::writeTiff({fixtures::blankPage(fixtures::FaxMode::Fine)}, fixtures::TiffCompression::G4);
    const FaxInfo info = recognise(hylaFaxMail("06 5050777", "", {"image/tiff", "f.tif", onePage}));
    EXPECT_EQ(info.pages, 2);
    EXPECT_TRUE(hasDefect(info, "the gateway states 2 pages, the attachments hold 1"));
}

TEST(FaxRecognition, FaxServiceStatesPagesInTheSubject) {
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "Fax Service <noreply@faxmail.example.com>"}, {"Subject", "Fax from +886-6-5050777 (2 pages)"}},
        "You have received a new fax.\nReceived: 2026-11-30 09:15:42\n",
        {{"application/pdf", "fax.pdf", onePagePdf()}}));
    EXPECT_EQ(info.gateway, "fax-service");
    EXPECT_EQ(info.kind, GatewayKind::FaxService);
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_EQ(info.pages, 2);
    EXPECT_EQ(info.received, sys_days{2026y / November / 30} + 1h + 15min + 42s);
}

TEST(FaxRecognition, ChineseFaxServiceWithRocDate) {
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "傳真服務 <fax@service.example.tw>"}, {"Subject", "傳真通知：來自 06-5050777 共 2 頁"}},
        "您有一份新傳真。\n傳真號碼：06-5050777\n頁數：2\n接收時間：115/11/30 09:15\n",
        {{"application/pdf", "傳真.pdf", onePagePdf()}}));
    EXPECT_EQ(info.gateway, "fax-service-zh");
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_EQ(info.pages, 2);
    EXPECT_EQ(info.received, sys_days{2026y / November / 30} + 1h + 15min);
}

TEST(FaxRecognition, InternetFaxTakesTheNumberFromTheFaxAddress) {
    const std::string tiff = fixtures::writeTiff(
        {fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Standard)}, fixtures::TiffCompression::G3);
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "FAX=+88665050777@fax-gw.shugu.example"}, {"Subject", "Internet fax"}},
        "This is an Internet fax message.\n", {{"image/tiff; application=faxbw", "ATT00001.tif", tiff}}));
    EXPECT_EQ(info.gateway, "internet-fax");
    EXPECT_EQ(info.kind, GatewayKind::InternetFax);
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_EQ(info.pages, 1);  // counted in the TIFF
    EXPECT_TRUE(info.defects.empty());
}

TEST(FaxRecognition, InternetFaxWithSubaddress) {
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "\"FAX=+886223456789/T33S=12@gw.example\" <FAX=+886223456789/T33S=12@gw.example>"}}, "",
        {{"image/tiff", "p.tif", twoPageG4()}}));
    EXPECT_EQ(info.number, "02-2345-6789");
}

TEST(FaxRecognition, ScanToMailHasNoNumber) {
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "scanner@shugu.example"}, {"Subject", "Scanned from a Xerox Multifunction Printer"}},
        "Please open the attached document.\n", {{"application/pdf", "Scan_0001.pdf", onePagePdf()}}));
    EXPECT_EQ(info.gateway, "scan-to-mail");
    EXPECT_EQ(info.kind, GatewayKind::ScanToMail);
    EXPECT_TRUE(info.number.empty());
    EXPECT_TRUE(info.defects.empty());
    ASSERT_EQ(info.documents.size(), 1u);
}

TEST(FaxRecognition, UnknownFormatIsStillAFax) {
    const FaxInfo info = recognise(fixtures::buildMail(
        {{"From", "someone@example.org"}, {"Subject", "請處理"}}, "",
        {{"application/octet-stream", "page", twoPageG4()}, {"text/plain", "notes.txt", "not a page"}}));
    EXPECT_TRUE(info.gateway.empty());
    EXPECT_EQ(info.kind, GatewayKind::Unknown);
    EXPECT_TRUE(info.number.empty());
    ASSERT_EQ(info.documents.size(), 1u);
    EXPECT_EQ(info.documents[0].attachment, 0u);
    EXPECT_EQ(info.pages, 2);
}

TEST(FaxRecognition, NoPagesIsADefect) {
    const FaxInfo info = recognise(fixtures::buildMail({{"Subject", "Fax from 06 5050777"}}, "hello", {}));
    EXPECT_EQ(info.number, "06-5050777");
    EXPECT_TRUE(hasDefect(info, "no TIFF or PDF attachment"));
}

TEST(FaxRecognition, UnreadableTimeIsADefect) {
    const FaxInfo info =
        recognise(fixtures::buildMail({{"Subject", "Fax from 06 5050777"}}, "Received: yesterday at noon\n",
                                      {{"application/pdf", "f.pdf", onePagePdf()}}));
    EXPECT_FALSE(info.received);
    EXPECT_TRUE(hasDefect(info, "receive time `yesterday at noon` matches no time_format"));
}

TEST(FaxRecognition, DocumentFormatByBytesThenTypeThenName) {
    EXPECT_EQ(documentFormat(std::string("II*\0rest", 8), "application/octet-stream", ""), DocumentFormat::Tiff);
    EXPECT_EQ(documentFormat(std::string("MM\0*rest", 8), "", ""), DocumentFormat::Tiff);
    EXPECT_EQ(documentFormat("%PDF-1.4\n", "image/tiff", ""), DocumentFormat::Pdf);
    EXPECT_EQ(documentFormat("damaged", "image/tiff", ""), DocumentFormat::Tiff);
    EXPECT_EQ(documentFormat("damaged", "application/octet-stream", "FAX.PDF"), DocumentFormat::Pdf);
    EXPECT_FALSE(documentFormat("GIF89a", "image/gif", "x.gif"));
}

TEST(FaxRecognition, CountsTiffPagesSafely) {
    EXPECT_EQ(countTiffPages(twoPageG4()), 2);
    EXPECT_FALSE(countTiffPages(twoPageG4().substr(0, 100)));
    EXPECT_FALSE(countTiffPages("II*"));
    // a directory whose next offset points back at itself
    const std::string loop("II*\0\x08\0\0\0\0\0\x08\0\0\0", 14);
    EXPECT_FALSE(countTiffPages(loop));
}

}  // namespace
}  // namespace complaintd::fax
