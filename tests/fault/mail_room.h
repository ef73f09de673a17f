// The fault-injection suite's test bench: one trial's real Dovecot and aiosmtpd on 127.0.0.1
// (tests/support), its complaintd configuration, the complaint mails it appends, and the
// complaintd processes it starts, kills, limits and waits for.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "test_servers.h"

namespace complaintd::fault {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// What the whole run was asked to do (fault_injection --help).
struct Options {
    int trials = 4;
    int mails = 30;
    std::uint64_t seed = 1;
    bool keep = false;               // keep every trial's folder, not only failed ones
    bool verbose = false;            // one line per trial
    bool strict = false;             // a letter delivered twice fails the run, not only counted
    std::string complaintd;          // the binary under test
    std::string dovecotExtraConfig;  // dovecot.conf lines of every trial's server, e.g. imap_capability
};

// A complaint the suite appended: a unique Message-ID, sender and token (in subject and body).
struct Complaint {
    std::string messageId;
    std::string token;
    std::string address;
    std::string raw;
};

// `count` distinct complaints named after `prefix` (e.g. "k-s1-t3"): Big5 and UTF-8 in turn,
// several topics, one sender address each (mail.auto_letters_per_day counts per address).
std::vector<Complaint> makeComplaints(const std::string& prefix, int count);

// How a complaintd child is constrained.
struct Limits {
    std::optional<rlim_t> fileSize;  // RLIMIT_FSIZE, with SIGXFSZ ignored: writes fail with EFBIG
    std::optional<uid_t> uid;        // run as this user (and its gid), e.g. 65534 to lose root's rights
};

// One complaintd process: fork/exec with stdout and stderr on `output` (a descriptor the caller
// keeps and closes). Killed with SIGKILL when destroyed while running, and when this thread
// dies (PR_SET_PDEATHSIG).
class Daemon {
public:
    Daemon(const std::string& binary, const std::vector<std::string>& args, int output, const Limits& limits = {});
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    void signal(int number);
    // Exit code, or 128 + signal number when it was killed.
    int wait();
    std::optional<int> waitFor(std::chrono::milliseconds timeout);

private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

// Letters complaintd sent, as the SMTP server received them.
struct Letter {
    std::string recipient;
    std::string caseNumber;  // from the [NNN-NNN] tag of the subject, "" if none
    std::string inReplyTo;
    std::string subject;
    std::string messageId;  // the same letter sent twice has the same one
};

// One trial: a scratch folder with Dovecot, aiosmtpd, a complaintd.conf and a state folder.
class MailRoom {
public:
    explicit MailRoom(const Options& options, const std::string& extraConfig = "");
    ~MailRoom();

    const std::string& path() const { return dir_.path(); }
    std::string databasePath() const { return stateDir_ + "/complaintd.sqlite"; }
    const std::string& stateDir() const { return stateDir_; }
    std::string daemonLogPath() const { return path() + "/complaintd.log"; }
    testing::DovecotServer& dovecot() { return dovecot_; }
    testing::SmtpServer& smtp() { return smtp_; }
    const testing::SmtpServer& smtp() const { return smtp_; }
    testing::ImapTestClient imap() const { return testing::ImapTestClient(dovecot_); }
    void keep() { dir_.keep(); }

    // APPENDs the complaints to INBOX; their UIDs.
    std::vector<unsigned> append(const std::vector<Complaint>& complaints);
    std::size_t inboxCount() const;
    std::size_t processedCount() const;

    // complaintd --config F, running until signalled (poll_interval = 1), logging to
    // daemonLogPath().
    std::unique_ptr<Daemon> startDaemon() const;
    // complaintd --config F --once; its exit code. Its log is appended to daemonLogPath().
    int runOnce(const Limits& limits = {}, std::chrono::seconds timeout = 120s) const;
    std::string daemonLog() const;
    std::string daemonLogSince(std::size_t offset) const;
    std::size_t daemonLogSize() const;
    // Waits until complaintd logged `lines` lines after `offset`, or `timeout`.
    void waitForLogLines(std::size_t offset, int lines, std::chrono::milliseconds timeout) const;

    std::vector<Letter> letters() const;
    // Waits until INBOX is empty and at least `cases` distinct case numbers were written to,
    // then one more second for stragglers; false on timeout.
    bool waitUntilDone(std::size_t cases, std::chrono::seconds timeout) const;

private:
    std::string configPath() const { return path() + "/complaintd.conf"; }

    std::string binary_;
    testing::TempDir dir_;
    testing::DovecotServer dovecot_;
    testing::SmtpServer smtp_;
    std::string stateDir_;
};

std::size_t distinctCases(const std::vector<Letter>& letters);

}  // namespace complaintd::fault
