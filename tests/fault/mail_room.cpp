#include "mail_room.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "parsers/mime_parser.h"
#include "test_mail.h"

namespace complaintd::fault {
namespace {

struct Topic {
    const char* subject;
    const char* body;
};

constexpr Topic kTopics[] = {
    {"路燈不亮", "紫楝路的路燈已經壞了三天，晚上很暗。"},
    {"水溝堵塞", "側溝堵塞，下雨就積水，請派人清理。"},
    {"夜間噪音", "隔壁工廠夜間噪音很大，影響睡眠。"},
    {"道路坑洞", "園區東側道路有一個大坑洞，機車經過很危險。"},
    {"垃圾未清", "園區北門的垃圾已經一週沒有清運，味道很重。"},
};

constexpr const char* kNames[] = {"王小明", "陳美玲", "林志強", "張雅婷", "黃建國"};

int decodeStatus(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

std::vector<Complaint> makeComplaints(const std::string& prefix, int count) {
    std::vector<Complaint> complaints;
    for (int i = 0; i < count; ++i) {
        Complaint c;
        char number[16];
        std::snprintf(number, sizeof number, "%04d", i);  // fixed width: no token is a prefix of another
        c.token = prefix + "-m" + number;
        c.messageId = "fault-" + c.token + "@example.org";
        c.address = "fault-" + c.token + "@example.org";
        const auto& topic = kTopics[i % std::size(kTopics)];
        const std::string subject = std::string(topic.subject) + "（查詢碼 " + c.token + "）";
        const std::string body = std::string(topic.body) + "\r\n查詢碼 " + c.token + "\r\n";
        const std::string name = kNames[i % std::size(kNames)];
        c.raw = i % 2 == 0 ? testing::big5Complaint(c.messageId, subject, body, name, c.address)
                           : testing::utf8Mail(c.messageId, subject, body, name + " <" + c.address + ">");
        complaints.push_back(std::move(c));
    }
    return complaints;
}

// ---------------------------------------------------------------------------------------

Daemon::Daemon(const std::string& binary, const std::vector<std::string>& args, int output, const Limits& limits) {
    std::vector<std::string> argv{binary};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& arg : argv) cargv.push_back(arg.data());
    cargv.push_back(nullptr);
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devNull < 0) throw std::runtime_error(std::string("cannot open /dev/null: ") + std::strerror(errno));
    pid_ = ::fork();
    if (pid_ == 0) {
        // Only async-signal-safe calls from here to exec.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::dup2(devNull, 0);
        ::dup2(output, 1);
        ::dup2(output, 2);
        ::close_range(3, ~0U, 0);
        if (limits.fileSize) {
            const rlimit limit{*limits.fileSize, *limits.fileSize};
            ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(126);
        }
        if (limits.uid) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(*limits.uid) != 0 || ::setuid(*limits.uid) != 0) ::_exit(126);
        }
        ::execv(cargv[0], cargv.data());
        ::_exit(127);
    }
    const int forkErrno = errno;
    ::close(devNull);
    if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(forkErrno));
}

Daemon::~Daemon() {
    if (status_) return;
    ::kill(pid_, SIGKILL);
    wait();
}

void Daemon::signal(int number) {
    if (!status_) ::kill(pid_, number);
}

int Daemon::wait() {
    if (status_) return *status_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = decodeStatus(status);
    return *status_;
}

std::optional<int> Daemon::waitFor(std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!status_) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            status_ = decodeStatus(status);
            break;
        }
        if (SteadyClock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(10ms);
    }
    return status_;
}

// ---------------------------------------------------------------------------------------

MailRoom::MailRoom(const Options& options, const std::string& extraConfig)
    : binary_(options.complaintd),
      dovecot_(dir_.path() + "/dovecot", testing::DovecotOptions{.extraConfig = options.dovecotExtraConfig}),
      smtp_(dir_.path() + "/smtp"),
      stateDir_(dir_.path() + "/state") {
    if (options.keep) dir_.keep();
    const auto passwordFile = path() + "/imap-password";
    std::ofstream(passwordFile) << dovecot_.password() << "\n";
    std::ofstream(configPath()) << "state_dir = " << stateDir_ << "\n"
                                << "database = " << databasePath() << "\n"
                                << "poll_interval = 1\n"
                                << "drop.enabled = no\n"
                                << "fax.drop_enabled = no\n"
                                << "imap.url = " << dovecot_.url() << "\n"
                                << "imap.user = " << dovecot_.user() << "\n"
                                << "imap.password_file = " << passwordFile << "\n"
                                << "imap.starttls = off\n"
                                << "imap.timeout = 10\n"
                                << "smtp.url = " << smtp_.url() << "\n"
                                << "smtp.starttls = off\n"
                                << "smtp.timeout = 10\n"
                                << "outbox.retry_initial = 1\n"
                                << "outbox.retry_max = 4\n"
                                // Hundreds of senders of one domain in minutes: every one is acknowledged.
                                << "mail.auto_letters_per_domain_hour = 1000000\n"
                                << "mail.auto_letters_per_hour = 1000000\n"
                                << extraConfig;
    imap().createFolder("Processed");
}

MailRoom::~MailRoom() = default;

std::vector<unsigned> MailRoom::append(const std::vector<Complaint>& complaints) {
    auto client = imap();
    std::vector<unsigned> uids;
    for (const auto& c : complaints) uids.push_back(client.append("INBOX", c.raw));
    return uids;
}

std::size_t MailRoom::inboxCount() const { return imap().uids("INBOX").size(); }
std::size_t MailRoom::processedCount() const { return imap().uids("Processed").size(); }

std::unique_ptr<Daemon> MailRoom::startDaemon() const {
    const int log = ::open(daemonLogPath().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) throw std::runtime_error("cannot open " + daemonLogPath() + ": " + std::strerror(errno));
    auto daemon = std::make_unique<Daemon>(binary_, std::vector<std::string>{"--config", configPath()}, log);
    ::close(log);
    return daemon;
}

// The log goes through a pipe: RLIMIT_FSIZE would stop writes to a log file too.
int MailRoom::runOnce(const Limits& limits, std::chrono::seconds timeout) const {
    int pipe[2];
    if (::pipe2(pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    Daemon daemon(binary_, {"--config", configPath(), "--once"}, pipe[1], limits);
    ::close(pipe[1]);
    std::ofstream log(daemonLogPath(), std::ios::binary | std::ios::app);
    const auto deadline = SteadyClock::now() + timeout;
    for (char buffer[4096];;) {
        pollfd readable{pipe[0], POLLIN, 0};
        if (::poll(&readable, 1, 100) > 0) {
            const auto n = ::read(pipe[0], buffer, sizeof buffer);
            if (n <= 0) break;  // the end: complaintd exited (or closed its stderr)
            log.write(buffer, n);
        }
        if (SteadyClock::now() > deadline) break;
    }
    ::close(pipe[0]);
    if (const auto code = daemon.waitFor(SteadyClock::now() < deadline ? timeout : 1s)) return *code;
    throw std::runtime_error("complaintd --once still running after " + std::to_string(timeout.count()) + " s in " +
                             path());
}

std::string MailRoom::daemonLog() const {
    std::ifstream in(daemonLogPath(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string MailRoom::daemonLogSince(std::size_t offset) const {
    std::ifstream in(daemonLogPath(), std::ios::binary);
    in.seekg(std::streamoff(offset));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t MailRoom::daemonLogSize() const {
    std::error_code error;
    const auto size = std::filesystem::file_size(daemonLogPath(), error);
    return error ? 0 : std::size_t(size);
}

void MailRoom::waitForLogLines(std::size_t offset, int lines, std::chrono::milliseconds timeout) const {
    const auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
        const auto log = daemonLogSince(offset);
        if (std::count(log.begin(), log.end(), '\n') >= lines) return;
        std::this_thread::sleep_for(1ms);
    }
}

// The letters to complainants, whose once-only sending the trials check; the notices to the units
// go through the same outbox and are not counted here.
std::vector<Letter> MailRoom::letters() const {
    static const std::regex kTag(R"(\[(\d{3}-\d{3,})\])");
    std::vector<Letter> letters;
    for (const auto& mail : smtp_.complainantMails()) {
        Letter letter;
        letter.recipient = mail.rcptTo.empty() ? "" : mail.rcptTo.front();
        const auto result = parsers::parseMessage(mail.data);
        if (const auto* parsed = std::get_if<parsers::ParsedMessage>(&result)) {
            letter.subject = parsed->subject;
            letter.inReplyTo = parsed->inReplyTo;
            letter.messageId = parsed->messageId;
            std::smatch match;
            if (std::regex_search(letter.subject, match, kTag)) letter.caseNumber = match[1];
        }
        letters.push_back(std::move(letter));
    }
    return letters;
}

std::size_t distinctCases(const std::vector<Letter>& letters) {
    std::set<std::string> numbers;
    for (const auto& letter : letters)
        if (!letter.caseNumber.empty()) numbers.insert(letter.caseNumber);
    return numbers.size();
}

bool MailRoom::waitUntilDone(std::size_t cases, std::chrono::seconds timeout) const {
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        try {
            if (inboxCount() == 0 && distinctCases(letters()) >= cases) break;
        } catch (const std::exception&) {
            // Dovecot may be restarting; ask again.
        }
        if (SteadyClock::now() > deadline) return false;
        std::this_thread::sleep_for(200ms);
    }
    std::this_thread::sleep_for(1s);
    return true;
}

}  // namespace complaintd::fault
