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
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

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
    EXPECT_EQ(bombCase->getValue<std::string>("summary"), "（傳真無法自動辨識，請閱讀所附頁面）")
        << "no longer \"being recognised\"";
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

// The pid of the daemon's OCR helper once it runs, or 0 after `wait`.
pid_t ocrHelperOf(pid_t daemon, std::chrono::seconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const auto name = entry.path().filename().string();
            if (name.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream stat(entry.path() / "stat");
            std::string pid, comm, state;
            pid_t parent = 0;
            stat >> pid >> comm >> state >> parent;
            std::string cmdline;
            std::getline(std::ifstream(entry.path() / "cmdline"), cmdline);
            if (parent == daemon && cmdline.find("--ocr-helper") != std::string::npos) return std::stoi(name);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

// While the helper chews on the bomb, SIGHUP reloads at once (M3: the OCR thread held the
// center book's lock for the whole backlog) and SIGTERM stops the daemon at once, killing the
// helper; the job stays pending for the next start.
TEST(FaxBomb, ReloadAndStopDoNotWaitForTheHelper) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    TempDir dir;
    const auto faxDrop = dir.path() + "/fax-drop";
    std::filesystem::create_directories(faxDrop);
    std::ofstream(faxDrop + "/0001-bomb.eml")
        << hylaFaxMail("bomb", {"application/pdf", "fax0001.pdf", fixtures::writeRenderingBombPdf(20'000)});
    const auto config = dir.path() + "/complaintd.conf";
    std::ofstream(config) << "state_dir = " << dir.path() << "/state\ndrop.enabled = no\n"
                          << "fax.drop_dir = " << faxDrop << "\npoll_interval = 300\n";
    Poco::Pipe errPipe;
    auto daemon = Poco::Process::launch(COMPLAINTD_BINARY, {"--config", config}, nullptr, nullptr, &errPipe);
    const std::shared_ptr<void> stopDaemon(nullptr, [&](void*) {
        if (Poco::Process::isRunning(daemon)) ::kill(daemon.id(), SIGKILL);
    });
    Poco::PipeInputStream errStream(errPipe);
    auto waitForLog = [&](const std::string& text) {
        std::string line, seen;
        while (std::getline(errStream, line) && line.find(text) == std::string::npos) seen += line + "\n";
        EXPECT_FALSE(errStream.eof()) << "no \"" << text << "\" in:\n" << seen;
    };
    waitForLog("ocr=pending");
    const pid_t helper = ocrHelperOf(daemon.id(), std::chrono::seconds(20));
    ASSERT_NE(helper, 0) << "no OCR helper started";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // well into the rendering

    auto started = std::chrono::steady_clock::now();
    ::kill(daemon.id(), SIGHUP);
    waitForLog("reloaded");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "the reload waited for OCR";

    started = std::chrono::steady_clock::now();
    ::kill(daemon.id(), SIGTERM);
    std::string rest;
    Poco::StreamCopier::copyToString(errStream, rest);
    EXPECT_EQ(daemon.wait(), 0) << rest;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "the stop waited for OCR";
    EXPECT_NE(::kill(helper, 0), 0) << "the helper outlived the daemon";
    EXPECT_EQ(rest.find("ocr failed"), std::string::npos) << rest;

    const auto numbers = caseNumbers(config);
    ASSERT_EQ(numbers.size(), 1u);
    const auto bombCase = showCase(config, numbers[0]);
    EXPECT_EQ(bombCase->getValue<std::string>("unit"), "intake");
    EXPECT_EQ(historyNotes(bombCase).find("OCR failed"), std::string::npos) << "a stop is not a failure";
}

}  // namespace
}  // namespace complaintd::testing
