// The unit's MemoryMax= and TasksMax= (issue 12) hold the daemon on the largest message it accepts,
// with headroom: without them a hostile or unlucky mail could take the machine's memory, and with
// them set too low the kernel would kill the service on a message it is meant to take. Real
// complaintd, Dovecot and aiosmtpd; the limits are read from systemd/complaintd.service.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>

#include "mail_desk.h"
#include "running_daemon.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

constexpr std::size_t kMessageBytes = 26214400;  // limits.message_bytes, the default
constexpr long kOcrHelperMegabytes = 1024;       // fax.ocr_memory_mb, the default

// KEY=VALUE of the unit's [Service] section; "" when the key is not set.
std::string unitValue(const std::string& key) {
    std::ifstream unit(std::string(COMPLAINTD_SOURCE_DIR) + "/systemd/complaintd.service");
    for (std::string line; std::getline(unit, line);)
        if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
    return "";
}

long megabytes(const std::string& value) {
    std::smatch m;
    if (!std::regex_match(value, m, std::regex(R"((\d+)([KMG]?))"))) return 0;
    const long n = std::stol(m[1]);
    return m[2] == "G" ? n * 1024 : m[2] == "K" ? n / 1024 : m[2] == "M" ? n : n / (1024 * 1024);
}

// A complaint just under limits.message_bytes: a short text and one large attachment of noise
// (incompressible, base64 in 76-character lines).
std::string largestComplaint() {
    std::mt19937 rng(12);
    std::string noise(18'500'000, '\0');
    for (auto& c : noise) c = char(rng());
    auto encoded = base64(noise);
    std::string wrapped;
    wrapped.reserve(encoded.size() + encoded.size() / 38);
    for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
    return "From: Wang Xiaoming <big@example.org>\r\nTo: complaints@shugu.example\r\n"
           "Subject: =?UTF-8?B?" +
           base64("路燈不亮，附照片") +
           "?=\r\nMessage-ID: <largest@example.org>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
           "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n紫楝路路燈壞了，照片如附件。\r\n"
           "--b1\r\nContent-Type: image/jpeg; name=\"photo.jpg\"\r\nContent-Transfer-Encoding: base64\r\n"
           "Content-Disposition: attachment; filename=\"photo.jpg\"\r\n\r\n" +
           wrapped + "--b1--\r\n";
}

// complaintd --config CONFIG --once: its exit code and its peak resident memory in MB.
std::pair<int, long> runOnceMeasured(const std::string& config) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int devNull = ::open("/dev/null", O_WRONLY);
        ::dup2(devNull, STDOUT_FILENO);
        ::dup2(devNull, STDERR_FILENO);
        ::execl(COMPLAINTD_BINARY, COMPLAINTD_BINARY, "--config", config.c_str(), "--once", nullptr);
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), usage.ru_maxrss / 1024};
}

int threadsOf(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("Threads:")) return std::stoi(line.substr(8));
    return 0;
}

TEST(UnitLimitsFaultTest, MemoryMaxHoldsTheOcrHelperAndTwiceTheDaemonsPeakOnTheLargestMessage) {
    const long memoryMax = megabytes(unitValue("MemoryMax"));
    ASSERT_GT(memoryMax, 0) << "systemd/complaintd.service sets no MemoryMax=";
    MailDesk desk;
    const auto complaint = largestComplaint();
    ASSERT_LT(complaint.size(), kMessageBytes);
    ASSERT_GT(complaint.size(), kMessageBytes * 9 / 10);
    ImapTestClient(desk.dovecot()).append("INBOX", complaint);

    const auto [exitCode, peak] = runOnceMeasured(desk.config());
    ASSERT_EQ(exitCode, 0);
    ASSERT_EQ(desk.ctlJsonArray({"list"})->size(), 1u) << "the largest message allowed gets its case";
    std::cerr << "complaintd --once on a " << complaint.size() << "-byte complaint: peak RSS " << peak
              << " MB; MemoryMax=" << memoryMax << " MB\n";
    EXPECT_GE(memoryMax, kOcrHelperMegabytes + 2 * peak)
        << "the cgroup must hold an OCR helper at fax.ocr_memory_mb beside twice the daemon's peak";
}

TEST(UnitLimitsFaultTest, TasksMaxHoldsTheServiceWaitingOnEveryFolderWithRoomForTheOcrHelper) {
    const auto tasksMax = unitValue("TasksMax");
    ASSERT_FALSE(tasksMax.empty()) << "systemd/complaintd.service sets no TasksMax=";
    MailDesk desk;
    // Both IMAP folders (complaints and faxes) waiting in IDLE: the most threads the service keeps.
    std::ofstream(desk.config(), std::ios::app) << "fax.imap_folder = Faxes\n";
    ImapTestClient(desk.dovecot()).createFolder("Faxes");
    RunningDaemon daemon({"--config", desk.config()});
    daemon.waitForLog("waiting for mail (IDLE)");
    if (::testing::Test::HasFailure()) return;
    const int threads = threadsOf(daemon.pid());
    std::cerr << "complaintd waiting on two folders: " << threads << " threads; TasksMax=" << tasksMax << "\n";
    // The OCR helper is one more task; DNS lookups and a reload add one each, briefly.
    EXPECT_GE(std::stoi(tasksMax), 4 * (threads + 1));
}

}  // namespace
}  // namespace complaintd::testing
