// A fax bomb: a gateway mail whose PDF is a few hundred KB and takes poppler
// minutes of CPU to render (before, in the daemon's own OCR thread, with no
// limit: M10). The real complaintd --once reads it from the fax drop folder,
// followed by a normal fax. The page decoder runs in its helper process under
// fax.ocr_cpu_seconds: the helper is killed, the run ends normally, the bomb's
// case waits at the intake desk with the reason in its history, the next fax is
// read and routed, and a second run does not try the bomb again.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fax_fixtures.h"
#include "run_program.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

namespace fixtures = complaintd::fax::fixtures;

std::string hylaFaxMail(const std::string& id, const fixtures::MailPart& page) {
    return fixtures::buildMail({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                                {"To", "complaints-fax@shugu.example"},
                                {"Subject", "Facsimile received from +886 6 5050777"},
                                {"Message-ID", "<hylafax-" + id + "@fax.shugu.example>"}},
                               "Recv from +886 6 5050777\n        Sender: +886 6 5050777\n         Pages: 1\n"
                               "      Received: 2026:11:30 09:15:42\n",
                               {page});
}

Poco::JSON::Object::Ptr showCase(const std::string& config, const std::string& number) {
    const auto shown = runProgram(COMPLAINTCTL_BINARY, {"--config", config, "show", number, "--json"});
    EXPECT_EQ(shown.exitCode, 0) << shown.err;
    return Poco::JSON::Parser().parse(shown.out).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> caseNumbers(const std::string& config) {
    const auto listed = runProgram(COMPLAINTCTL_BINARY, {"--config", config, "list", "--json"});
    EXPECT_EQ(listed.exitCode, 0) << listed.err;
    const auto array = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
    std::vector<std::string> numbers;
    for (std::size_t i = 0; i < array->size(); ++i)
        numbers.push_back(array->getObject(i)->getValue<std::string>("number"));
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

std::string historyNotes(const Poco::JSON::Object::Ptr& c) {
    std::string notes;
    const auto history = c->getArray("history");
    for (std::size_t i = 0; i < history->size(); ++i)
        notes += history->getObject(i)->getValue<std::string>("note") + "\n";
    return notes;
}

TEST(FaxBomb, HelperIsKilledTheBombWaitsAtIntakeWithTheReasonAndTheNextFaxIsRead) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    TempDir dir;
    const auto faxDrop = dir.path() + "/fax-drop";
    std::filesystem::create_directories(faxDrop);
    const auto bomb = fixtures::writeRenderingBombPdf(20'000);  // ~190 s of CPU to render at 200 dpi
    std::ofstream(faxDrop + "/0001-bomb.eml") << hylaFaxMail("bomb", {"application/pdf", "fax0001.pdf", bomb});
    const auto tiff = fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Fine)},
                                          fixtures::TiffCompression::G4);
    std::ofstream(faxDrop + "/0002-fax.eml") << hylaFaxMail("normal", {"image/tiff", "fax0002.tif", tiff});
    const auto config = dir.path() + "/complaintd.conf";
    std::ofstream(config) << "state_dir = " << dir.path() << "/state\ndrop.enabled = no\n"
                          << "fax.drop_dir = " << faxDrop << "\nfax.ocr_cpu_seconds = 2\n";

    const auto started = std::chrono::steady_clock::now();
    const auto run = runProgram(COMPLAINTD_BINARY, {"--config", config, "--once"});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
    EXPECT_LT(took, std::chrono::seconds(60)) << "the bomb held up the run";
    const auto log = run.out + run.err;
    EXPECT_NE(log.find("ocr failed attempt=1 retry=no error=\"the page decoder exceeded its CPU time limit of 2 s"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("5050777"), std::string::npos) << "the fax number is personal data:\n" << log;

    const auto numbers = caseNumbers(config);
    ASSERT_EQ(numbers.size(), 2u);
    const auto bombCase = showCase(config, numbers[0]);
    EXPECT_EQ(bombCase->getValue<std::string>("unit"), "intake");
    EXPECT_EQ(bombCase->getValue<std::string>("status"), "received");
    EXPECT_NE(historyNotes(bombCase).find("OCR failed: the page decoder exceeded its CPU time limit of 2 s "
                                          "(fax.ocr_cpu_seconds)"),
              std::string::npos)
        << historyNotes(bombCase);

    const auto nextCase = showCase(config, numbers[1]);
    EXPECT_EQ(nextCase->getValue<std::string>("unit"), "public-works") << historyNotes(nextCase);
    EXPECT_NE(nextCase->getValue<std::string>("summary").find("路燈"), std::string::npos);

    // Not retried forever: the next run leaves the failed job alone.
    const auto again = runProgram(COMPLAINTD_BINARY, {"--config", config, "--once"});
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ((again.out + again.err).find("ocr failed"), std::string::npos) << again.out << again.err;
}

}  // namespace
}  // namespace complaintd::testing
