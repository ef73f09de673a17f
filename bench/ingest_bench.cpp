// Ingest figures for complaintd against a real Dovecot and a real SMTP server on 127.0.0.1,
// printed, not asserted (exit status 0 when a target is missed; 1 when a part could not run):
//  - throughput: N complaints APPENDed to Dovecot, then complaintd started and timed until its
//    database holds N cases each with an acknowledgement in the outbox (INBOX then empty);
//  - the same N mails ingested by bench/python_imap_ingester.py (imaplib + email + sqlite3),
//    timed the same way (process start to the last commit), for the ratio;
//  - latency from APPEND to the acknowledgement accepted by the SMTP server, with the daemon
//    running (IMAP IDLE when complaintd has the imap.idle key, else polling every second);
//  - peak RSS of complaintd --once reading a mail with a 10 MB attachment, and on an empty mailbox.
//
// usage: ingest_bench [--mails N] [--latency-mails K] [--attachment-mb M] [--timeout S]
//                     [--no-python] [--keep]
//
// Peak RSS is the child's ru_maxrss from wait4(). The child is fork()ed (not vfork()ed, which
// would pass on the bench's own high-water mark), so the figure is max(complaintd's peak, the
// bench's RSS at the fork); the latter is printed as the floor of the measurement.
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_mail.h"
#include "test_servers.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace ct = complaintd::testing;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
    int mails = 2000;
    int latencyMails = 50;
    int attachmentMb = 10;
    int timeoutSeconds = 600;
    bool python = true;
    bool keep = false;
};

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void progress(const std::string& line) { std::cerr << "ingest_bench: " << line << std::endl; }

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string lastLines(const fs::path& path, std::size_t count) {
    const std::string text = readFile(path);
    std::size_t start = text.size();
    for (std::size_t seen = 0; start > 0 && seen <= count; --start)
        if (text[start - 1] == '\n') ++seen;
    return "--- last lines of " + path.string() + " ---\n" + text.substr(start == 0 ? 0 : start + 1);
}

long residentKb(const char* field = "VmRSS:") {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field)) return std::atol(line.c_str() + std::strlen(field));
    return 0;
}

// ---------------------------------------------------------------------------------------
// Complaint mails: UTF-8 and Big5, plain and base64 with a small attachment, words the
// routing rules know (and one topic none knows: the intake desk). One sender per mail, as
// mail.auto_letters_per_day allows one acknowledgement per address a day.

struct Topic {
    const char* subject;
    const char* body;
};

constexpr Topic kTopics[] = {
    {"紫楝路路燈不亮", "紫楝路上的路燈已經三天不亮了，晚上騎車很危險，請盡快修理。"},
    {"工廠夜間噪音", "園區北側工廠每晚十點後仍有很大的噪音，吵得無法入睡。"},
    {"垃圾堆積有臭味", "南科路口的垃圾已堆積一週，天氣熱有臭味，請派人清運。"},
    {"道路坑洞", "中心路與環東路口的路面有大坑洞，機車經過很危險。"},
    {"下雨就積水", "側溝堵塞，每次下雨門口就積水，請派人清理。"},
    {"空氣有異味", "清晨常聞到刺鼻異味，懷疑有工廠夜間排放廢氣。"},
    {"廠房租約續約", "請問廠房租約到期後續約的流程與租金調整方式。"},
    {"承辦人員態度不佳", "上週到服務中心洽公，承辦人員態度不佳，還一再刁難要我補件。"},
    {"建議增設公車站", "建議在園區東門增設公車站，方便員工上下班通勤。"},
    {"詢問停車證", "請問員工停車證要到哪裡辦理？需要帶哪些文件？"},
};
constexpr const char* kNames[] = {"王小明", "陳美玲", "林志豪", "張淑芬", "李建宏", "黃雅婷"};

std::string wrappedBase64(const std::string& bytes) {
    const std::string encoded = ct::base64(bytes);
    std::string lines;
    lines.reserve(encoded.size() + encoded.size() / 38 + 2);
    for (std::size_t at = 0; at < encoded.size(); at += 76) lines.append(encoded, at, 76).append("\r\n");
    return lines;
}

std::string pseudoPdf(std::size_t size, unsigned seed) {
    std::string bytes = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    std::mt19937 random(seed);
    while (bytes.size() < size) bytes += static_cast<char>(random() & 0xff);
    return bytes;
}

// multipart/mixed: a base64 UTF-8 text part and a PDF attachment of `attachment` bytes.
std::string mailWithAttachment(const std::string& messageId, const std::string& subject, const std::string& body,
                               const std::string& from, std::size_t attachment) {
    const std::string boundary = "=_ingest_bench_" + std::to_string(attachment);
    std::string mail = "From: " + from + "\r\nTo: complaints@shugu.example\r\nSubject: =?UTF-8?B?" +
                       ct::base64(subject) + "?=\r\nDate: Tue, 01 Dec 2026 10:00:00 +0800\r\nMessage-ID: <" +
                       messageId + ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary +
                       "\"\r\n\r\n--" + boundary +
                       "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                       wrappedBase64(body) + "--" + boundary +
                       "\r\nContent-Type: application/pdf; name=\"photo.pdf\"\r\nContent-Disposition: attachment; "
                       "filename=\"photo.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mail += wrappedBase64(pseudoPdf(attachment, static_cast<unsigned>(attachment)));
    return mail + "--" + boundary + "--\r\n";
}

std::string messageIdOf(const std::string& tag, int index) {
    return tag + "-" + std::to_string(index) + "@example.org";
}

std::string complaintMail(const std::string& tag, int index) {
    const Topic& topic = kTopics[index % std::size(kTopics)];
    const std::string subject = std::string(topic.subject) + " #" + std::to_string(index);
    const std::string body = std::string(topic.body) + "\r\n來信編號 " + std::to_string(index) + "，謝謝。\r\n";
    const std::string name = kNames[index % std::size(kNames)];
    const std::string address = tag + "-resident" + std::to_string(index) + "@example.org";
    const std::string from = "=?UTF-8?B?" + ct::base64(name) + "?= <" + address + ">";
    switch (index % 3) {
        case 0:
            return ct::big5Complaint(messageIdOf(tag, index), subject, body, name, address);
        case 1:
            return ct::utf8Mail(messageIdOf(tag, index), subject, body, from);
        default:
            return mailWithAttachment(messageIdOf(tag, index), subject, body, from, 2048);
    }
}

double appendMails(const ct::DovecotServer& dovecot, const std::string& tag, int count) {
    ct::ImapTestClient imap(dovecot);
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) imap.append("INBOX", complaintMail(tag, i));
    return secondsSince(start);
}

// ---------------------------------------------------------------------------------------
// A child process: fork/exec with stdout and stderr to files, SIGKILLed if the bench dies.

struct ExitInfo {
    int status = 0;
    long maxRssKb = 0;
    bool timedOut = false;
};

std::string describe(const ExitInfo& exit) {
    if (WIFEXITED(exit.status)) return "exited with status " + std::to_string(WEXITSTATUS(exit.status));
    if (WIFSIGNALED(exit.status)) return "killed by signal " + std::to_string(WTERMSIG(exit.status));
    return "ended (wait status " + std::to_string(exit.status) + ")";
}

class Child {
public:
    Child(const std::vector<std::string>& argv, const fs::path& log, const fs::path& out = {}) {
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        // PYTHON* variables of another installation (pyenv) would break Debian's python3.
        std::vector<char*> env;
        for (char** entry = environ; *entry != nullptr; ++entry)
            if (std::strncmp(*entry, "PYTHON", 6) != 0) env.push_back(*entry);
        env.push_back(nullptr);
        const int logFd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        const int outFd = out.empty() ? logFd : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (logFd < 0 || outFd < 0) throw std::runtime_error("cannot open " + log.string() + " or " + out.string());
        floorKb_ = residentKb();
        pid_ = ::fork();
        if (pid_ == 0) execChild(args.data(), env.data(), logFd, outFd);
        ::close(logFd);
        if (outFd != logFd) ::close(outFd);
        if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    }
    ~Child() {
        if (!exit_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    // The bench's own RSS when it forked: the lowest peak RSS this child can report.
    long floorKb() const { return floorKb_; }

    std::optional<ExitInfo> poll() {
        if (exit_) return exit_;
        int status = 0;
        rusage usage{};
        if (::wait4(pid_, &status, WNOHANG, &usage) == pid_) exit_ = ExitInfo{status, usage.ru_maxrss, false};
        return exit_;
    }

    // Waits for the exit; SIGKILL after `timeout` (then timedOut is set).
    ExitInfo wait(std::chrono::seconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (!poll()) {
            if (Clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                while (!poll()) std::this_thread::sleep_for(5ms);
                exit_->timedOut = true;
                break;
            }
            std::this_thread::sleep_for(5ms);
        }
        return *exit_;
    }

    ExitInfo stop() {
        if (!exit_) ::kill(pid_, SIGTERM);
        return wait(30s);
    }

private:
    [[noreturn]] static void execChild(char** args, char** env, int logFd, int outFd) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int devNull = ::open("/dev/null", O_RDONLY);
        ::dup2(devNull, 0);
        ::dup2(outFd, 1);
        ::dup2(logFd, 2);
        ::close_range(3, ~0U, 0);
        ::execve(args[0], args, env);
        ::_exit(127);
    }

    pid_t pid_ = -1;
    long floorKb_ = 0;
    std::optional<ExitInfo> exit_;
};

// ---------------------------------------------------------------------------------------
// complaintd's database, read-only (WAL: the daemon keeps writing).

class StateDb {
public:
    explicit StateDb(fs::path path) : path_(std::move(path)) {}
    ~StateDb() { sqlite3_close(db_); }
    StateDb(const StateDb&) = delete;
    StateDb& operator=(const StateDb&) = delete;

    // The first column of each row of `sql`, as text; empty while the database or table is missing.
    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> values;
        if (!open()) return values;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
            // No schema yet: open afresh next time rather than trust a cached empty schema.
            sqlite3_close(db_);
            db_ = nullptr;
            return values;
        }
        while (sqlite3_step(statement) == SQLITE_ROW) {
            const auto* text = sqlite3_column_text(statement, 0);
            values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
        }
        sqlite3_finalize(statement);
        return values;
    }

    long number(const std::string& sql) {
        const auto values = column(sql);
        return values.empty() ? 0 : std::atol(values[0].c_str());
    }

    long cases() { return number("SELECT count(*) FROM cases"); }
    long acknowledgedCases() {
        return number("SELECT count(DISTINCT case_id) FROM outbox WHERE kind = 'acknowledgement'");
    }

private:
    bool open() {
        if (db_ != nullptr) return true;
        if (!fs::exists(path_)) return false;
        if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            sqlite3_close(db_);
            db_ = nullptr;
            return false;
        }
        sqlite3_busy_timeout(db_, 2000);
        return true;
    }

    fs::path path_;
    sqlite3* db_ = nullptr;
};

// ---------------------------------------------------------------------------------------
// complaintd's configuration for one part.

struct DaemonConfig {
    std::string smtpUrl;  // empty: letters are written as .eml files under the state folder
    int pollInterval = 1;
    bool idle = false;  // write imap.idle = yes (only once complaintd knows the key)
};

bool complaintdKnows(const fs::path& dir, const std::string& key);

fs::path writeConfig(const fs::path& dir, const ct::DovecotServer& dovecot, const DaemonConfig& c) {
    const fs::path passwordFile = dir / "imap-password";
    std::ofstream(passwordFile) << dovecot.password() << "\n";
    const fs::path config = dir / "complaintd.conf";
    std::ofstream out(config);
    out << "state_dir = " << (dir / "state").string() << "\npoll_interval = " << c.pollInterval
        << "\ndrop.enabled = no\nfax.drop_enabled = no\nimap.url = " << dovecot.url()
        << "\nimap.user = " << dovecot.user() << "\nimap.password_file = " << passwordFile.string()
        << "\nimap.starttls = off\nimap.timeout = 30\noutbox.retry_initial = 1\n";
    if (!c.smtpUrl.empty()) out << "smtp.url = " << c.smtpUrl << "\nsmtp.starttls = off\nsmtp.timeout = 10\n";
    if (c.idle) out << "imap.idle = yes\n";
    // Thousands of senders of one domain in minutes: every one is acknowledged, none held.
    if (complaintdKnows(dir, "mail.auto_letters_per_hour"))
        out << "mail.auto_letters_per_domain_hour = 1000000\nmail.auto_letters_per_hour = 1000000\n";
    return config;
}

// Whether this complaintd has the key (an unknown key would stop it with exit 78).
bool complaintdKnows(const fs::path& dir, const std::string& key) {
    fs::create_directories(dir);
    Child ctl({COMPLAINTCTL_BINARY, "config", "--reference"}, dir / "complaintctl.log", dir / "reference.txt");
    ctl.wait(30s);
    return readFile(dir / "reference.txt").find("`" + key + "`") != std::string::npos;
}

bool complaintdKnowsIdle(const fs::path& dir) { return complaintdKnows(dir, "imap.idle"); }

// ---------------------------------------------------------------------------------------
// Throughput.

struct Throughput {
    bool complete = false;
    double seconds = 0;
    double appendSeconds = 0;
    double firstCaseSeconds = -1;
    std::vector<double> quarters;  // seconds at which 1/4, 2/4, 3/4 and all of the cases were open
    long cases = 0;
    long letters = 0;
    long quarantined = 0;
    std::size_t inbox = 0;
    std::size_t processed = 0;
    long maxRssKb = 0;
    long floorKb = 0;
    std::string units;
    std::string problem;

    double rate() const { return seconds > 0 ? cases / seconds : 0; }
};

// Messages in `folder`; 0 when it does not exist (complaintd creates Processed when it starts).
std::size_t messagesIn(ct::ImapTestClient& imap, const std::string& folder) {
    const auto folders = imap.folders();
    return std::find(folders.begin(), folders.end(), folder) == folders.end() ? 0 : imap.uids(folder).size();
}

std::size_t waitForEmptyInbox(ct::ImapTestClient& imap, std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    auto left = imap.uids("INBOX").size();
    while (left > 0 && Clock::now() < deadline) {
        std::this_thread::sleep_for(200ms);
        left = imap.uids("INBOX").size();
    }
    return left;
}

void readOutcome(StateDb& db, Throughput& t) {
    t.cases = db.cases();
    t.letters = db.acknowledgedCases();
    t.quarantined = db.number("SELECT count(*) FROM messages WHERE state = 'quarantined'");
    for (const auto& row : db.column("SELECT unit || ' ' || count(*) FROM cases GROUP BY unit ORDER BY count(*) DESC"))
        t.units += (t.units.empty() ? "" : ", ") + row;
}

// Polls the database every 20 ms until N cases each have an acknowledgement.
void timeDaemon(const Options& o, StateDb& db, Child& daemon, const fs::path& log, Throughput& t) {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(o.timeoutSeconds);
    for (;;) {
        const long cases = db.cases();
        if (cases > 0 && t.firstCaseSeconds < 0) t.firstCaseSeconds = secondsSince(start);
        while (t.quarters.size() < 4 && cases * 4 >= static_cast<long>(t.quarters.size() + 1) * o.mails)
            t.quarters.push_back(secondsSince(start));
        if (cases >= o.mails && db.acknowledgedCases() >= o.mails) break;
        if (const auto exit = daemon.poll()) {
            t.problem = "complaintd " + describe(*exit) + " before all cases were open\n" + lastLines(log, 20);
            break;
        }
        if (Clock::now() > deadline) {
            t.problem = "timed out after " + std::to_string(o.timeoutSeconds) + " s with " + std::to_string(cases) +
                        " of " + std::to_string(o.mails) + " cases\n" + lastLines(log, 20);
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    t.seconds = secondsSince(start);
    t.complete = t.problem.empty();
}

Throughput daemonThroughput(const Options& o, const fs::path& dir, bool idle) {
    fs::create_directories(dir);
    ct::DovecotServer dovecot((dir / "dovecot").string());
    Throughput t;
    progress("APPENDing " + std::to_string(o.mails) + " mails for complaintd");
    t.appendSeconds = appendMails(dovecot, "bench", o.mails);
    const fs::path config = writeConfig(dir, dovecot, {"", 1, idle});
    StateDb db(dir / "state" / "complaintd.sqlite");
    progress("complaintd ingesting");
    Child daemon({COMPLAINTD_BINARY, "--config", config.string()}, dir / "complaintd.log");
    timeDaemon(o, db, daemon, dir / "complaintd.log", t);
    ct::ImapTestClient imap(dovecot);
    t.inbox = waitForEmptyInbox(imap, t.complete ? 30s : 1s);
    t.processed = messagesIn(imap, "Processed");
    const ExitInfo exit = daemon.stop();
    t.maxRssKb = exit.maxRssKb;
    t.floorKb = daemon.floorKb();
    readOutcome(db, t);
    return t;
}

Throughput pythonThroughput(const Options& o, const fs::path& dir) {
    fs::create_directories(dir);
    ct::DovecotServer dovecot((dir / "dovecot").string());
    Throughput t;
    progress("APPENDing " + std::to_string(o.mails) + " mails for the Python ingester");
    t.appendSeconds = appendMails(dovecot, "bench", o.mails);
    const fs::path passwordFile = dir / "imap-password";
    std::ofstream(passwordFile) << dovecot.password() << "\n";
    progress("Python ingesting");
    const auto start = Clock::now();
    Child python({"/usr/bin/python3", COMPLAINTD_PYTHON_INGESTER, "--port", std::to_string(dovecot.port()), "--user",
                  dovecot.user(), "--password-file", passwordFile.string(), "--db", (dir / "python.sqlite").string(),
                  "--rules", COMPLAINTD_RULES_FILE},
                 dir / "python.log", dir / "python.out");
    const ExitInfo exit = python.wait(std::chrono::seconds(o.timeoutSeconds));
    t.seconds = secondsSince(start);
    t.maxRssKb = exit.maxRssKb;
    if (exit.timedOut || !WIFEXITED(exit.status) || WEXITSTATUS(exit.status) != 0)
        t.problem = "python_imap_ingester.py " + (exit.timedOut ? "timed out" : describe(exit)) + "\n" +
                    lastLines(dir / "python.log", 20);
    const std::string out = readFile(dir / "python.out");
    if (const auto at = out.find("\"cases\": "); at != std::string::npos) t.cases = std::atol(out.c_str() + at + 9);
    if (const auto at = out.find("\"letters\": "); at != std::string::npos)
        t.letters = std::atol(out.c_str() + at + 11);
    t.complete = t.problem.empty() && t.cases >= o.mails && t.letters >= o.mails;
    ct::ImapTestClient imap(dovecot);
    t.inbox = imap.uids("INBOX").size();
    t.processed = messagesIn(imap, "Processed");
    return t;
}

// ---------------------------------------------------------------------------------------
// Latency: APPEND (completed) to the acknowledgement stored by the SMTP server.

struct Latency {
    std::vector<double> seconds;  // of the acknowledged mails, ascending
    int missing = 0;
    std::string mode;
    std::string problem;
};

// The index of the latency mail an acknowledgement answers (its In-Reply-To), or -1.
int answeredIndex(const std::string& letter, int count) {
    for (int i = 0; i < count; ++i)
        if (letter.find(messageIdOf("latency", i)) != std::string::npos) return i;  // "-1@" is not in "-11@"
    return -1;
}

// Appends `count` mails 200-500 ms apart from its own thread, noting when each APPEND completed.
class Appender {
public:
    Appender(const ct::DovecotServer& dovecot, int count) : appended_(count) {
        thread_ = std::thread([this, &dovecot, count] {
            try {
                ct::ImapTestClient imap(dovecot);
                for (int i = 0; i < count; ++i) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(200 + (i * 137) % 301));
                    imap.append("INBOX", complaintMail("latency", i));
                    appended_[i] = Clock::now();
                }
            } catch (const std::exception& e) {
                error_ = e.what();
            }
            done_ = true;
        });
    }
    ~Appender() { thread_.join(); }
    bool done() const { return done_; }
    const std::vector<Clock::time_point>& appended() const { return appended_; }
    const std::string& error() const { return error_; }

private:
    std::vector<Clock::time_point> appended_;
    std::string error_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Polls the SMTP server every 10 ms and notes when the acknowledgement of each latency mail
// arrived, until all did, the deadline passed, the APPENDs failed or complaintd ended.
std::vector<std::optional<Clock::time_point>> watchAcknowledgements(const ct::SmtpServer& smtp, Child& daemon,
                                                                    const Appender& appender, int count,
                                                                    Clock::time_point deadline) {
    std::vector<std::optional<Clock::time_point>> seen(count);
    int left = count;
    std::size_t scanned = 1;  // the warm-up acknowledgement
    while (left > 0 && Clock::now() < deadline && appender.error().empty() && !daemon.poll()) {
        const auto mails = smtp.receivedMails();
        const auto now = Clock::now();
        for (; scanned < mails.size(); ++scanned) {
            const int i = answeredIndex(mails[scanned].data, count);
            if (i >= 0 && !seen[i]) {
                seen[i] = now;
                --left;
            }
        }
        std::this_thread::sleep_for(10ms);
    }
    return seen;
}

// Throws (with complaintd's log) when complaintd ends or the timeout passes first.
void waitForFirstLetter(const Options& o, const ct::SmtpServer& smtp, Child& daemon, const fs::path& log) {
    const auto deadline = Clock::now() + std::chrono::seconds(o.timeoutSeconds);
    while (smtp.receivedMails().empty()) {
        if (const auto exit = daemon.poll())
            throw std::runtime_error("complaintd " + describe(*exit) + " before the warm-up letter\n" +
                                     lastLines(log, 20));
        if (Clock::now() > deadline)
            throw std::runtime_error("no warm-up letter within " + std::to_string(o.timeoutSeconds) + " s\n" +
                                     lastLines(log, 20));
        std::this_thread::sleep_for(20ms);
    }
}

Latency latency(const Options& o, const fs::path& dir, bool idle) {
    fs::create_directories(dir);
    ct::DovecotServer dovecot((dir / "dovecot").string());
    ct::SmtpServer smtp((dir / "smtp").string());
    Latency result;
    result.mode = idle ? "imap.idle = yes, poll_interval = 60" : "no imap.idle key yet: polling, poll_interval = 1";
    const fs::path config = writeConfig(dir, dovecot, {smtp.url(), idle ? 60 : 1, idle});
    Child daemon({COMPLAINTD_BINARY, "--config", config.string()}, dir / "complaintd.log");
    // Warm-up (start-up, schema, first IDLE): one mail, answered before the clock starts.
    ct::ImapTestClient(dovecot).append("INBOX", complaintMail("warmup", 0));
    waitForFirstLetter(o, smtp, daemon, dir / "complaintd.log");
    progress("latency: " + std::to_string(o.latencyMails) + " mails, one every 200-500 ms");
    const int count = o.latencyMails;
    {
        Appender appender(dovecot, count);
        const auto deadline = Clock::now() + std::chrono::seconds(o.timeoutSeconds) + count * 500ms;
        const auto seen = watchAcknowledgements(smtp, daemon, appender, count, deadline);
        while (!appender.done()) std::this_thread::sleep_for(10ms);
        if (!appender.error().empty()) result.problem = "APPEND failed: " + appender.error() + "\n";
        for (int i = 0; i < count; ++i) {
            if (seen[i])
                result.seconds.push_back(std::chrono::duration<double>(*seen[i] - appender.appended()[i]).count());
            else
                ++result.missing;
        }
    }
    if (const auto exit = daemon.poll()) result.problem += "complaintd " + describe(*exit) + "\n";
    if (result.missing > 0) result.problem += lastLines(dir / "complaintd.log", 20);
    daemon.stop();
    std::sort(result.seconds.begin(), result.seconds.end());
    return result;
}

// ---------------------------------------------------------------------------------------
// Peak RSS of complaintd --once.

struct Rss {
    long emptyKb = 0;
    long attachmentKb = 0;
    long floorKb = 0;
    long messageBytes = 0;
    long storedAttachmentBytes = 0;
    long cases = 0;
    std::string problem;
};

ExitInfo runOnce(const Options& o, const fs::path& config, const fs::path& log, long& floorKb) {
    Child once({COMPLAINTD_BINARY, "--config", config.string(), "--once"}, log);
    floorKb = std::max(floorKb, once.floorKb());
    return once.wait(std::chrono::seconds(o.timeoutSeconds));
}

Rss peakRss(const Options& o, const fs::path& dir) {
    fs::create_directories(dir);
    ct::DovecotServer dovecot((dir / "dovecot").string());
    ct::SmtpServer smtp((dir / "smtp").string());
    const fs::path config = writeConfig(dir, dovecot, {smtp.url(), 60, false});
    Rss rss;
    const ExitInfo empty = runOnce(o, config, dir / "complaintd-empty.log", rss.floorKb);
    rss.emptyKb = empty.maxRssKb;
    {
        const std::string mail = mailWithAttachment(messageIdOf("attachment", 0), "路燈倒塌，附現場照片",
                                                    "路燈倒在人行道上，附上現場照片。\r\n", "Wang <photo@example.org>",
                                                    o.attachmentMb * 1024 * 1024);
        rss.messageBytes = static_cast<long>(mail.size());
        ct::ImapTestClient(dovecot).append("INBOX", mail);
    }
    ::malloc_trim(0);  // the bench's RSS is the floor of the child's figure
    progress("complaintd --once with a " + std::to_string(o.attachmentMb) + " MB attachment");
    const ExitInfo full = runOnce(o, config, dir / "complaintd-attachment.log", rss.floorKb);
    rss.attachmentKb = full.maxRssKb;
    StateDb db(dir / "state" / "complaintd.sqlite");
    rss.cases = db.cases();
    rss.storedAttachmentBytes = db.number("SELECT coalesce(max(size), 0) FROM attachments");
    for (const auto& [exit, log] : {std::pair{empty, "complaintd-empty.log"}, {full, "complaintd-attachment.log"}})
        if (exit.timedOut || !WIFEXITED(exit.status) || WEXITSTATUS(exit.status) != 0)
            rss.problem +=
                "complaintd --once " + (exit.timedOut ? "timed out" : describe(exit)) + "\n" + lastLines(dir / log, 20);
    return rss;
}

// ---------------------------------------------------------------------------------------
// The report.

double percentile(const std::vector<double>& ascending, double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p * ascending.size()));
    return ascending[std::max<std::size_t>(rank, 1) - 1];
}

double median(const std::vector<double>& ascending) {
    const std::size_t n = ascending.size();
    return n % 2 == 1 ? ascending[n / 2] : (ascending[n / 2 - 1] + ascending[n / 2]) / 2;
}

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// One line of the table; `met` empty for figures without a target.
void row(const std::string& name, const std::string& value, const std::string& target, std::optional<bool> met) {
    const char* verdict = !met ? "" : *met ? "target met" : "MISSED";
    // %-*s counts bytes: pad by hand so the Chinese-free names line up.
    std::printf("  %-46s %16s  %-16s %s\n", name.c_str(), value.c_str(), target.c_str(), verdict);
}

void printThroughput(const Options& o, const std::optional<Throughput>& daemon,
                     const std::optional<Throughput>& python) {
    if (daemon) {
        const std::string value = daemon->complete ? format("%.0f mails/s", daemon->rate()) : "incomplete";
        row("complaintd: APPENDed mail -> case + ack queued", value, ">= 1000 mails/s",
            daemon->complete && daemon->rate() >= 1000);
    }
    if (python) {
        const std::string value = python->complete ? format("%.1f mails/s", python->rate()) : "incomplete";
        row("Python ingester (imaplib, email, sqlite3)", value, "", std::nullopt);
    }
    if (daemon && python && daemon->complete && python->complete) {
        const double ratio = daemon->rate() / python->rate();
        row("ratio complaintd / Python", format("%.1fx", ratio), ">= 20x", ratio >= 20);
    } else if (daemon && o.python) {
        row("ratio complaintd / Python", "n/a", ">= 20x", false);
    }
}

void printLatencyAndRss(const Options& o, const std::optional<Latency>& latency, const std::optional<Rss>& rss,
                        const std::optional<Throughput>& daemon) {
    if (latency && !latency->seconds.empty()) {
        const double mid = median(latency->seconds);
        row("latency APPEND -> ack accepted by SMTP, median", format("%.3f s", mid), "< 2 s",
            mid < 2 && latency->missing == 0);
        row("latency APPEND -> ack accepted by SMTP, p95", format("%.3f s", percentile(latency->seconds, 0.95)), "",
            std::nullopt);
    } else if (latency) {
        row("latency APPEND -> ack accepted by SMTP, median", "no ack", "< 2 s", false);
    }
    if (rss) {
        row("peak RSS, --once, " + std::to_string(o.attachmentMb) + " MB attachment",
            format("%.1f MB", rss->attachmentKb / 1024.0), "< 64 MB", rss->attachmentKb < 64 * 1024 && rss->cases == 1);
        row("peak RSS, --once, empty mailbox", format("%.1f MB", rss->emptyKb / 1024.0), "", std::nullopt);
    }
    if (daemon)
        row("peak RSS, daemon ingesting " + std::to_string(o.mails) + " mails",
            format("%.1f MB", daemon->maxRssKb / 1024.0), "", std::nullopt);
}

void printThroughputNotes(const char* who, const Throughput& t) {
    const std::string first = t.firstCaseSeconds >= 0 ? format(" (first case after %.2f s)", t.firstCaseSeconds) : "";
    std::printf(
        "  %s: %ld cases, %ld with an acknowledgement, %ld quarantined in %.2f s%s;\n"
        "    INBOX %zu left, Processed %zu; APPEND took %.1f s (%.0f mails/s)%s%s\n",
        who, t.cases, t.letters, t.quarantined, t.seconds, first.c_str(), t.inbox, t.processed, t.appendSeconds,
        t.appendSeconds > 0 ? t.cases / t.appendSeconds : 0.0,
        t.units.empty() ? "" : "\n    cases by unit: ", t.units.c_str());
    if (t.quarters.size() == 4) {
        // A per-message cost that grows with the database shows as later quarters taking longer.
        std::printf("    seconds per quarter of the cases: %.2f (incl. start-up), %.2f, %.2f, %.2f\n", t.quarters[0],
                    t.quarters[1] - t.quarters[0], t.quarters[2] - t.quarters[1], t.quarters[3] - t.quarters[2]);
    }
    if (!t.problem.empty()) std::printf("    PROBLEM: %s\n", t.problem.c_str());
}

void printNotes(const std::optional<Throughput>& daemon, const std::optional<Throughput>& python,
                const std::optional<Latency>& latency, const std::optional<Rss>& rss) {
    std::printf("\nnotes:\n");
    if (daemon) printThroughputNotes("complaintd", *daemon);
    if (python) printThroughputNotes("Python", *python);
    if (latency) {
        std::printf("  latency: %s; %zu acknowledged, %d missing", latency->mode.c_str(), latency->seconds.size(),
                    latency->missing);
        if (!latency->seconds.empty())
            std::printf("; min %.3f s, max %.3f s", latency->seconds.front(), latency->seconds.back());
        std::printf("\n");
        if (!latency->problem.empty()) std::printf("    PROBLEM: %s\n", latency->problem.c_str());
    }
    if (rss) {
        std::printf(
            "  RSS: message %.1f MB, %ld case(s), largest stored attachment %.1f MB; floor of the figures "
            "(bench RSS at fork) %.1f MB\n",
            rss->messageBytes / 1048576.0, rss->cases, rss->storedAttachmentBytes / 1048576.0, rss->floorKb / 1024.0);
        if (!rss->problem.empty()) std::printf("    PROBLEM: %s\n", rss->problem.c_str());
    }
}

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--mails" && hasValue) {
            o.mails = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--latency-mails" && hasValue) {
            o.latencyMails = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--attachment-mb" && hasValue) {
            o.attachmentMb = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--timeout" && hasValue) {
            o.timeoutSeconds = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--no-python") {
            o.python = false;
        } else if (arg == "--keep") {
            o.keep = true;
        } else {
            std::cerr << "usage: ingest_bench [--mails N] [--latency-mails K] [--attachment-mb M] [--timeout S]\n"
                         "                    [--no-python] [--keep]\n";
            std::exit(2);
        }
    }
    return o;
}

// Runs one part; an exception (a server that would not start, say) is reported, not fatal.
template <typename Part>
auto attempt(const char* name, bool& failed, Part part) -> std::optional<decltype(part())> {
    try {
        return part();
    } catch (const std::exception& e) {
        std::cerr << "ingest_bench: the " << name << " part failed: " << e.what() << "\n";
        failed = true;
        return std::nullopt;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parseOptions(argc, argv);
    ct::TempDir root;
    const fs::path dir = root.path();
    const bool idle = complaintdKnowsIdle(dir);
    bool failed = false;
    // Peak RSS first, while the bench itself is small (its RSS is the floor of the figure).
    const auto rss = attempt("RSS", failed, [&] { return peakRss(o, dir / "rss"); });
    const auto daemon =
        attempt("complaintd throughput", failed, [&] { return daemonThroughput(o, dir / "daemon", idle); });
    std::optional<Throughput> python;
    if (o.python) python = attempt("Python throughput", failed, [&] { return pythonThroughput(o, dir / "python"); });
    const auto latencies = attempt("latency", failed, [&] { return latency(o, dir / "latency", idle); });

    std::printf(
        "\ncomplaintd ingest benchmark: %d mails (UTF-8, Big5, base64 with attachments), %u cores, "
        "load average at the end %s\n"
        "complaintd: %s (imap.idle: %s)\n"
        "throughput: complaintd with poll_interval = 1 and letters written as files (no SMTP), timed from its "
        "start;\n  Python from its start, one transaction and commit per message; both to the last case\n\n",
        o.mails, std::thread::hardware_concurrency(), readFile("/proc/loadavg").substr(0, 15).c_str(),
        COMPLAINTD_BINARY, idle ? "yes" : "no such key yet");
    std::printf("  %-46s %16s  %-16s %s\n", "figure", "value", "target", "");
    printThroughput(o, daemon, python);
    printLatencyAndRss(o, latencies, rss, daemon);
    printNotes(daemon, python, latencies, rss);
    const bool problems = (daemon && !daemon->problem.empty()) || (python && !python->problem.empty()) ||
                          (latencies && !latencies->problem.empty()) || (rss && !rss->problem.empty());
    if (o.keep || failed || problems) {
        root.keep();
        std::printf("\nlogs and databases kept in %s\n", dir.c_str());
    }
    return failed ? 1 : 0;
}
