// Fax OCR in the helper process (`complaintd --ocr-helper`, the real executable):
// a zh-TW fax reads the same as in the daemon's own process, and a helper that
// runs over its memory, CPU or time, crashes or answers nonsense is ended and
// reported, while the caller (this test, standing in for the daemon) goes on.
#include "daemon/ocr_helper.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "fax_fixtures.h"
#include "subprocess.h"
#include "syscall_filter.h"

namespace complaintd::daemon {
namespace {

namespace fixtures = complaintd::fax::fixtures;
using fax::DocumentFormat;
using fax::DocumentView;
using fixtures::FaxMode;
using fixtures::TiffCompression;

const std::vector<std::string> kHelper{COMPLAINTD_BINARY, "--ocr-helper"};
const std::atomic<bool> kGoOn{false};

std::string twoPageFax() {
    return fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, FaxMode::Fine),
                                fixtures::renderPage(fixtures::kComplaintPage2, FaxMode::Fine)},
                               TiffCompression::G4);
}

const OcrHelperFailure& failureOf(const HelperOcrResult& read) {
    if (const auto* result = std::get_if<fax::OcrResult>(&read)) {
        ADD_FAILURE() << "the helper gave a result: " << result->text;
        static const OcrHelperFailure none;
        return none;
    }
    return std::get<OcrHelperFailure>(read);
}

TEST(OcrHelper, ReadsAZhTwFaxLikeTheEngineInProcess) {
    const auto tiff = twoPageFax();
    const std::vector documents{DocumentView{tiff, DocumentFormat::Tiff}};
    const fax::OcrEngine engine;
    const auto inProcess = engine.recognise(documents);

    const OcrHelper helper({}, {}, kHelper);
    const auto read = helper.recognise(documents, kGoOn);
    ASSERT_TRUE(std::holds_alternative<fax::OcrResult>(read)) << std::get<OcrHelperFailure>(read).reason;
    const auto& isolated = std::get<fax::OcrResult>(read);
    EXPECT_EQ(isolated.text, inProcess.text);
    EXPECT_NE(isolated.text.find("路燈"), std::string::npos) << isolated.text;
    EXPECT_EQ(isolated.confidence, inProcess.confidence);
    ASSERT_EQ(isolated.pages.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(isolated.pages[i].number, inProcess.pages[i].number);
        EXPECT_EQ(isolated.pages[i].text, inProcess.pages[i].text);
        EXPECT_EQ(isolated.pages[i].confidence, inProcess.pages[i].confidence);
    }
    EXPECT_EQ(isolated.needsManualSummary, inProcess.needsManualSummary);
    EXPECT_EQ(isolated.reasons, inProcess.reasons);
    EXPECT_FALSE(isolated.interrupted);
}

TEST(OcrHelper, PageDefectsComeBackAsInProcess) {
    const std::string notATiff = "II*\0garbage";
    const std::vector documents{DocumentView{notATiff, DocumentFormat::Tiff},
                                DocumentView{"%PDF-1.4", DocumentFormat::Pdf}};
    const auto read = OcrHelper({}, {}, kHelper).recognise(documents, kGoOn);
    ASSERT_TRUE(std::holds_alternative<fax::OcrResult>(read)) << std::get<OcrHelperFailure>(read).reason;
    const auto& result = std::get<fax::OcrResult>(read);
    ASSERT_EQ(result.pages.size(), 2u);
    EXPECT_EQ(result.pages[0].defect, "not a readable TIFF");
    EXPECT_EQ(result.pages[1].defect, "not a readable PDF");
    EXPECT_TRUE(result.needsManualSummary);
}

// Too little address space for Tesseract's models: the helper ends, the daemon is untouched.
// (A page too large for the memory left makes Leptonica or Tesseract give up on the page
// instead: at 200 MB a 600 dpi page "could not be made black and white", a defect.)
TEST(OcrHelper, OverItsMemoryLimitTheHelperEndsNotTheDaemon) {
    const auto tiff = twoPageFax();
    OcrHelperLimits limits;
    limits.memoryMb = 128;
    const auto read =
        OcrHelper({}, limits, kHelper).recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}}, kGoOn);
    const auto& failure = failureOf(read);
    EXPECT_EQ(failure.cause, OcrHelperFailure::Cause::Document);
    EXPECT_EQ(failure.reason, "the page decoder exceeded its memory limit of 128 MB (fax.ocr_memory_mb)");
}

// A 600 KB PDF that takes poppler minutes to render (M10: no time limit covers rendering).
TEST(OcrHelper, RenderingBombIsEndedByTheCpuLimit) {
    const auto pdf = fixtures::writeRenderingBombPdf(20'000);
    OcrHelperLimits limits;
    limits.cpu = std::chrono::seconds(1);
    const auto started = std::chrono::steady_clock::now();
    const auto read =
        OcrHelper({}, limits, kHelper).recognise(std::vector{DocumentView{pdf, DocumentFormat::Pdf}}, kGoOn);
    EXPECT_EQ(failureOf(read).reason, "the page decoder exceeded its CPU time limit of 1 s (fax.ocr_cpu_seconds)");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(OcrHelper, CpuLimitEndsTheHelper) {
    const std::string page1(fixtures::kComplaintPage1), page2(fixtures::kComplaintPage2);
    const std::string full = page1 + "\n" + page2 + "\n" + page1 + "\n" + page2;
    std::vector<fixtures::Bitmap> pages;
    for (int i = 0; i < 4; ++i) pages.push_back(fixtures::renderPage(full, FaxMode::Fine, fixtures::Tone::Bilevel, 12));
    const auto tiff = fixtures::writeTiff(pages, TiffCompression::G4);
    OcrHelperLimits limits;
    limits.cpu = std::chrono::seconds(1);
    const auto read =
        OcrHelper({}, limits, kHelper).recognise(std::vector{DocumentView{tiff, DocumentFormat::Tiff}}, kGoOn);
    const auto& failure = failureOf(read);
    EXPECT_EQ(failure.cause, OcrHelperFailure::Cause::Document);
    EXPECT_EQ(failure.reason, "the page decoder exceeded its CPU time limit of 1 s (fax.ocr_cpu_seconds)");
}

TEST(OcrHelper, WallClockTimeoutKillsTheHelpersProcessGroup) {
    OcrHelperLimits limits;
    limits.wall = std::chrono::seconds(1);
    const auto started = std::chrono::steady_clock::now();
    // A child of the helper in its group is killed with it: the pipe's end would otherwise stay open.
    const auto read = OcrHelper({}, limits, {"/bin/sh", "-c", "sleep 30 & sleep 30"}).recognise({}, kGoOn);
    EXPECT_EQ(failureOf(read).reason, "the page decoder did not finish within 1 s (fax.ocr_timeout)");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(OcrHelper, CrashIsReportedWithItsSignal) {
    const auto read = OcrHelper({}, {}, {"/bin/sh", "-c", "cat >/dev/null; kill -SEGV $$"}).recognise({}, kGoOn);
    EXPECT_EQ(failureOf(read).reason, "the page decoder crashed (signal 11, SIGSEGV)");
    EXPECT_EQ(failureOf(read).cause, OcrHelperFailure::Cause::Document);
}

TEST(OcrHelper, NonsenseAnswerIsAFailureNotAResult) {
    const auto read =
        OcrHelper({}, {}, {"/bin/sh", "-c", "cat >/dev/null; echo '[[[[[[[[[[1]]]]]]]]]]'"}).recognise({}, kGoOn);
    EXPECT_TRUE(failureOf(read).reason.starts_with("the page decoder's answer could not be used: "))
        << failureOf(read).reason;
    const auto many = OcrHelper({}, {}, {"/bin/sh", "-c", "cat >/dev/null; exec yes"}).recognise({}, kGoOn);
    EXPECT_EQ(failureOf(many).reason, "the page decoder answered with more than 16 MiB");
}

TEST(OcrHelper, AHelperThatCannotStartIsTheMachinesProblem) {
    const auto read = OcrHelper({}, {}, {"/nonexistent/complaintd", "--ocr-helper"}).recognise({}, kGoOn);
    EXPECT_EQ(failureOf(read).cause, OcrHelperFailure::Cause::Machine) << failureOf(read).reason;
}

TEST(OcrHelper, StoppingKillsTheHelperAndLeavesTheJobPending) {
    std::atomic<bool> stopping{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stopping = true;
    });
    const auto started = std::chrono::steady_clock::now();
    const auto read = OcrHelper({}, {}, {"/bin/sh", "-c", "sleep 30"}).recognise({}, stopping);
    stopper.join();
    ASSERT_TRUE(std::holds_alternative<fax::OcrResult>(read));
    EXPECT_TRUE(std::get<fax::OcrResult>(read).interrupted);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

// What the child gets: no descriptor of ours, no blocked signal, the limits.
TEST(Subprocess, ChildHasCleanSignalsNoInheritedDescriptorsAndItsLimits) {
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
    const auto pipeWas = std::signal(SIGPIPE, SIG_IGN);  // as under systemd (IgnoreSIGPIPE=yes)
    const int leaked = ::open("/dev/null", O_RDONLY);    // without O_CLOEXEC, as a careless library would
    ChildRequest request;
    request.argv = {"/bin/sh", "-c",
                    "ls /proc/self/fd; grep -E '^Sig(Blk|Ign)' /proc/self/status; "
                    "grep -E '^Max (cpu time|file size|address space|open files|core)' /proc/self/limits; cat"};
    request.input = "input arrives\n";
    // Without LD_PRELOAD: a preloaded library (faketime, when the suite runs at another date) opens
    // descriptors of its own after exec, which are not inherited ones.
    request.environment = {"PATH=/usr/bin:/bin"};
    request.limits = {
        {RLIMIT_CPU, 7}, {RLIMIT_AS, rlim_t(900) << 20}, {RLIMIT_FSIZE, 0}, {RLIMIT_NOFILE, 32}, {RLIMIT_CORE, 0}};
    const auto child = runChild(request);
    ::close(leaked);
    std::signal(SIGPIPE, pipeWas);
    pthread_sigmask(SIG_UNBLOCK, &blocked, nullptr);
    ASSERT_TRUE(child.succeeded()) << child.problem;
    EXPECT_NE(child.output.find("0\n1\n2\n3\n"), std::string::npos) << child.output;  // 3: ls's own directory
    EXPECT_EQ(child.output.find("\n4\n"), std::string::npos) << child.output;
    EXPECT_NE(child.output.find("SigBlk:\t0000000000000000"), std::string::npos) << child.output;
    EXPECT_NE(child.output.find("SigIgn:\t0000000000000000"), std::string::npos) << child.output;
    EXPECT_NE(child.output.find("Max cpu time              7                    8"), std::string::npos) << child.output;
    EXPECT_NE(child.output.find("Max file size             0                    0"), std::string::npos);
    EXPECT_NE(child.output.find("Max open files            32                   32"), std::string::npos);
    EXPECT_NE(child.output.find("Max address space         943718400            943718400"), std::string::npos);
    EXPECT_NE(child.output.find("Max core file size        0                    0"), std::string::npos);
    EXPECT_NE(child.output.find("input arrives"), std::string::npos);
}

// What a decoder exploit in the helper could still do, tried in a child with the filter on.
TEST(HelperSyscallFilter, RefusesNetworkProgramsProcessesAndWritesButReadsAndThreads) {
    const std::string scratch = ::testing::TempDir() + "complaintd-filter-probe";
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!installHelperSyscallFilter()) ::_exit(100);
        int failed = 0;
        auto refused = [](int result) { return result == -1 && errno == EPERM; };
        if (!refused(::socket(AF_INET, SOCK_STREAM, 0))) failed |= 1;
        if (!refused(::open(scratch.c_str(), O_WRONLY | O_CREAT, 0600))) failed |= 2;
        if (!refused(::open("/etc/hostname", O_RDWR))) failed |= 4;
        if (::open("/etc/hostname", O_RDONLY) < 0 || ::open("/etc", O_RDONLY | O_DIRECTORY) < 0) failed |= 8;
        if (!refused(::fork())) failed |= 16;
        const char* argv[] = {"/bin/true", nullptr};
        if (!refused(::execv(argv[0], const_cast<char* const*>(argv)))) failed |= 32;
        if (!refused(::kill(::getppid(), 0))) failed |= 64;
        int fromThread = 0;
        std::thread([&] { fromThread = 1; }).join();
        if (fromThread != 1) failed |= 128;
        ::_exit(failed);
    }
    ASSERT_GT(pid, 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "the probe was killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "bits: 1 socket, 2 create, 4 open rw, 8 open ro, 16 fork, 32 exec, "
                                         "64 kill, 128 thread, 100 not installed";
    EXPECT_FALSE(std::filesystem::exists(scratch));
}

}  // namespace
}  // namespace complaintd::daemon
