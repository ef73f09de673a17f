#include "test_servers.h"

#include "child_process.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef COMPLAINTD_TEST_SUPPORT_DIR
#error "COMPLAINTD_TEST_SUPPORT_DIR must name the folder holding raw_maildir_handler.py"
#endif

namespace complaintd::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLoopback = "127.0.0.1";
constexpr auto kStartupTimeout = 10s;
constexpr uid_t kMailUid = 65534;  // nobody: Dovecot refuses to access mail as root
constexpr gid_t kMailGid = 65534;
constexpr int kPortAttempts = 3;

// The chosen port was taken between freeLoopbackPort() and the server's bind(): try another.
struct PortInUse : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string readFile(const fs::path& path, std::uintmax_t from = 0) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(from));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

std::uintmax_t sizeOf(const fs::path& path) {
    std::error_code ignored;
    const auto size = fs::file_size(path, ignored);
    return ignored ? 0 : size;
}

std::string lastLines(const std::string& text, std::size_t count) {
    std::size_t start = text.size();
    for (std::size_t seen = 0; start > 0 && seen <= count; --start) {
        if (text[start - 1] == '\n') ++seen;
    }
    return text.substr(start == 0 ? 0 : start + 1);
}

std::string logTailOf(const fs::path& log) {
    std::string tail = lastLines(readFile(log), 40);
    if (tail.empty()) tail = "(empty)";
    if (tail.back() != '\n') tail += '\n';
    return "--- last lines of " + log.string() + " ---\n" + tail;
}

bool mentionsPortInUse(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text.find("address already in use") != std::string::npos;
}

// One attempt to read the first line the server sends on a new connection.
std::string readGreeting(int port) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(kLoopback, static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
    socket.setReceiveTimeout(Poco::Timespan(2, 0));
    std::string line;
    char c = 0;
    while (line.size() < 512 && socket.receiveBytes(&c, 1) == 1 && c != '\n') line += c;
    return line;
}

// Waits until the server greets with `expected`; throws (with its log) if it exits or the
// timeout passes. Port clashes are reported as PortInUse so the caller can pick another port.
void waitForGreeting(const std::string& server, int port, const ChildProcess& process, const std::string& expected,
                     const fs::path& log, std::uintmax_t logStart) {
    const auto deadline = std::chrono::steady_clock::now() + kStartupTimeout;
    std::string lastProblem = "nothing tried yet";
    for (;;) {
        if (!process.running()) {
            const std::string message = server + " on 127.0.0.1:" + std::to_string(port) + " " +
                                        process.describeState() + " during startup\n" + logTailOf(log);
            if (mentionsPortInUse(readFile(log, logStart))) throw PortInUse(message);
            throw std::runtime_error(message);
        }
        try {
            const std::string greeting = readGreeting(port);
            if (greeting.starts_with(expected)) return;
            lastProblem = "unexpected greeting '" + greeting + "'";
        } catch (const Poco::Exception& e) {
            lastProblem = e.displayText();
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error(server + " did not greet on 127.0.0.1:" + std::to_string(port) + " within " +
                                     std::to_string(kStartupTimeout.count()) + " s (last attempt: " + lastProblem +
                                     ")\n" + logTailOf(log));
        }
        std::this_thread::sleep_for(10ms);
    }
}

// For servers that say nothing first (HTTP): waits until the port takes connections.
void waitForListening(const std::string& server, int port, const ChildProcess& process, const fs::path& log,
                      std::uintmax_t logStart) {
    const auto deadline = std::chrono::steady_clock::now() + kStartupTimeout;
    for (;;) {
        if (!process.running()) {
            const std::string message = server + " on 127.0.0.1:" + std::to_string(port) + " " +
                                        process.describeState() + " during startup\n" + logTailOf(log);
            if (mentionsPortInUse(readFile(log, logStart))) throw PortInUse(message);
            throw std::runtime_error(message);
        }
        try {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress(kLoopback, static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
            return;
        } catch (const Poco::Exception& e) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error(server + " is not listening on 127.0.0.1:" + std::to_string(port) + " after " +
                                         std::to_string(kStartupTimeout.count()) + " s (" + e.displayText() + ")\n" +
                                         logTailOf(log));
        }
        std::this_thread::sleep_for(10ms);
    }
}

// Runs a short command to its end; throws with its output when it fails.
void runToEnd(const std::string& program, const std::vector<std::string>& args) {
    Poco::Pipe output;
    auto handle = Poco::Process::launch(program, args, nullptr, &output, &output);
    Poco::PipeInputStream stream(output);
    std::string text;
    Poco::StreamCopier::copyToString(stream, text);
    const int status = handle.wait();
    if (status != 0) {
        std::string line = program;
        for (const auto& arg : args) line += " " + arg;
        throw std::runtime_error(line + " exited with status " + std::to_string(status) + ":\n" + text);
    }
}

// Worker processes that got SIGKILL may hold the listening socket a moment longer; a
// restart on the same port must not race with them.
void waitUntilPortFree(int port) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        try {
            Poco::Net::ServerSocket probe;
            probe.bind(Poco::Net::SocketAddress(kLoopback, static_cast<Poco::UInt16>(port)), true);
            return;
        } catch (const Poco::Exception& e) {
            if (std::chrono::steady_clock::now() > deadline) {
                throw std::runtime_error("port 127.0.0.1:" + std::to_string(port) +
                                         " still in use 5 s after stopping its server: " + e.displayText());
            }
        }
        std::this_thread::sleep_for(10ms);
    }
}

// Calls start() with fresh ports until one is not stolen between picking and binding it.
void startOnFreePort(int& port, const std::function<void()>& start) {
    for (int attempt = 1;; ++attempt) {
        port = freeLoopbackPort();
        try {
            start();
            return;
        } catch (const PortInUse&) {
            if (attempt == kPortAttempts) throw;
        }
    }
}

void prepareDir(const fs::path& dir) {
    fs::create_directories(dir);
    // Dovecot's unprivileged processes (dovenull, dovecot, uid 65534) must be able to enter it.
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec);
}

}  // namespace

// ---------------------------------------------------------------------------------------

TempDir::TempDir() {
    std::string pattern = "/tmp/complaintd-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp(/tmp/complaintd-test-XXXXXX) failed: ") + std::strerror(errno));
    }
    path_ = pattern;
    prepareDir(path_);
}

TempDir::~TempDir() {
    if (keep_) {
        std::cerr << "complaintd test support: kept " << path_ << '\n';
        return;
    }
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

int freeLoopbackPort() {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(kLoopback, 0), false);
    return socket.address().port();
}

TestCertificates makeTestCertificates(const std::string& dir) {
    const fs::path d(dir);
    prepareDir(d);
    const TestCertificates made{(d / "ca.pem").string(), (d / "server.pem").string(), (d / "server.key").string()};
    const std::string openssl = "/usr/bin/openssl";
    const std::vector<std::string> ecKey{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
    auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
        args.insert(args.end(), more.begin(), more.end());
        return args;
    };
    runToEnd(openssl, with({"req", "-x509", "-days", "2", "-subj", "/CN=complaintd test CA", "-keyout",
                            (d / "ca.key").string(), "-out", made.caFile, "-addext",
                            "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
                           ecKey));
    runToEnd(
        openssl,
        with({"req", "-subj", "/CN=127.0.0.1", "-keyout", made.keyFile, "-out", (d / "server.csr").string()}, ecKey));
    writeFile(d / "server.ext",
              "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\nextendedKeyUsage = serverAuth\n"
              "subjectAltName = IP:127.0.0.1\n");
    runToEnd(openssl, {"x509", "-req", "-days", "2", "-in", (d / "server.csr").string(), "-CA", made.caFile, "-CAkey",
                       (d / "ca.key").string(), "-CAcreateserial", "-out", made.certFile, "-extfile",
                       (d / "server.ext").string()});
    // Dovecot reads the key as root, aiosmtpd as whoever runs the tests.
    fs::permissions(made.keyFile, fs::perms::owner_read | fs::perms::owner_write);
    return made;
}

// ---------------------------------------------------------------------------------------

DovecotServer::DovecotServer(const std::string& dir) : DovecotServer(dir, DovecotOptions{}) {}

DovecotServer::DovecotServer(const std::string& dir, DovecotOptions options) : dir_(dir), options_(std::move(options)) {
    prepareDir(dir_);
    for (const char* sub : {"run", "state"}) fs::create_directories(fs::path(dir_) / sub);
    const fs::path home = fs::path(dir_) / "home";
    fs::create_directories(home);
    if (chown(home.c_str(), kMailUid, kMailGid) != 0) {
        throw std::runtime_error("chown " + home.string() +
                                 " to uid 65534 failed (the tests must run as root): " + std::strerror(errno));
    }
    startOnFreePort(port_, [this] {
        if (options_.tls) imapsPort_ = freeLoopbackPort();
        launch();
    });
}

DovecotServer::~DovecotServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; stop() already killed the process group.
    }
}

std::string DovecotServer::url() const { return "imap://127.0.0.1:" + std::to_string(port_); }

std::string DovecotServer::imapsUrl() const { return "imaps://127.0.0.1:" + std::to_string(imapsPort_); }

bool DovecotServer::running() const { return process_ && process_->running(); }

void DovecotServer::start() {
    if (!running()) launch();
}

void DovecotServer::stop() {
    if (!process_) return;
    // On SIGTERM Dovecot's master stops its services, then sleeps a fixed second so its log
    // process can drain. Once only that log process is left, give it a moment and kill the
    // rest: this saves a second per stop. The master's pid file is then ours to remove.
    const ChildProcess& process = *process_;
    process_->terminate(10s, [&process] {
        if (process.groupMembers() != std::vector<std::string>{"log"}) return false;
        std::this_thread::sleep_for(50ms);
        return true;
    });
    process_.reset();
    std::error_code ignored;
    fs::remove(fs::path(dir_) / "run" / "master.pid", ignored);
    waitUntilPortFree(port_);
}

std::string DovecotServer::logTail() const { return logTailOf(fs::path(dir_) / "dovecot.log"); }

namespace {

std::string sslSettings(const std::optional<TestCertificates>& tls) {
    if (!tls) return "ssl = no\n";
    std::string settings = "ssl = required\nssl_cert = <" + tls->certFile + "\nssl_key = <" + tls->keyFile + "\n";
    if (fs::exists("/usr/share/dovecot/dh.pem")) settings += "ssl_dh = </usr/share/dovecot/dh.pem\n";
    return settings;
}

}  // namespace

// Everything lives under dir_ so that several instances can run side by side.
void DovecotServer::writeConfig() const {
    const fs::path dir(dir_);
    const bool oauth2 = !options_.oauth2IntrospectionUrl.empty();
    writeFile(dir / "users", user_ + ":{PLAIN}" + password_ + ":" + std::to_string(kMailUid) + ":" +
                                 std::to_string(kMailGid) + "::" + (dir / "home" / user_).string() + "::\n");
    std::ostringstream conf;
    conf << "# Written by complaintd_test_support (tests/support/test_servers.cpp) for one test.\n"
         << "base_dir = " << (dir / "run").string() << "\n"
         << "state_dir = " << (dir / "state").string() << "\n"
         << "log_path = " << (dir / "dovecot.log").string() << "\n"
         << "protocols = imap\n"
         << "listen = 127.0.0.1\n"
         << sslSettings(options_.tls) << "disable_plaintext_auth = no\n"
         << "auth_mechanisms = plain login" << (oauth2 ? " xoauth2 oauthbearer" : "") << "\n"
         << "auth_verbose = yes\n"  // say why a login failed
         // Tests of failed logins must stay fast: no 2 s failure delay and no per-IP penalty
         // (which grows to 15 s) - that one is only off when auth cannot reach anvil.
         << "auth_failure_delay = 0\n"
         << "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
         // Dovecot refuses to run its services (and to access mail) as root.
         << "default_login_user = dovenull\n"
         << "default_internal_user = dovecot\n"
         << "mail_location = maildir:~/Maildir\n"
         << "namespace inbox {\n  inbox = yes\n  separator = /\n}\n"
         << "passdb {\n  driver = passwd-file\n"
         << (oauth2 ? "  mechanisms = plain login\n" : "") << "  args = scheme=PLAIN " << (dir / "users").string()
         << "\n}\n"
         << "userdb {\n  driver = passwd-file\n  args = " << (dir / "users").string() << "\n}\n"
         << "service imap-login {\n"
         << "  inet_listener imap {\n    address = 127.0.0.1\n    port = " << port_ << "\n  }\n"
         << (options_.tls ? "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " +
                                std::to_string(imapsPort_) + "\n    ssl = yes\n  }\n"
                          : std::string("  inet_listener imaps {\n    port = 0\n  }\n"))
         << "}\n"
         << options_.extraConfig;
    if (oauth2) {
        conf << "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = "
             << (dir / "dovecot-oauth2.conf.ext").string() << "\n}\n";
        writeFile(dir / "dovecot-oauth2.conf.ext",
                  "introspection_mode = post\nintrospection_url = " + options_.oauth2IntrospectionUrl +
                      "\nforce_introspection = yes\nusername_attribute = username\n"
                      "active_attribute = active\nactive_value = true\n");
    }
    writeFile(dir / "dovecot.conf", conf.str());
}

void DovecotServer::launch() {
    writeConfig();
    const fs::path dir(dir_);
    const fs::path log = dir / "dovecot.log";
    const auto logStart = sizeOf(log);
    // The mail server keeps the real time when the tests run under faketime: its master stops
    // launching services for 3 minutes when its children's clock (real) and its own (faked) differ.
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/sbin/dovecot", "-F", "-c", (dir / "dovecot.conf").string()},
        std::vector<std::string>{}, std::vector<std::string>{"LD_PRELOAD=", "FAKETIME"}, log.string());
    try {
        waitForGreeting("Dovecot", port_, *process_, "* OK", log, logStart);
    } catch (...) {
        process_.reset();
        throw;
    }
}

// ---------------------------------------------------------------------------------------

SmtpServer::SmtpServer(const std::string& dir) : SmtpServer(dir, SmtpServerOptions{}) {}

SmtpServer::SmtpServer(const std::string& dir, SmtpServerOptions options) : dir_(dir), options_(std::move(options)) {
    prepareDir(dir_);
    for (const char* sub : {"maildir/tmp", "maildir/new", "maildir/cur", "envelopes"}) {
        fs::create_directories(fs::path(dir_) / sub);
    }
    startOnFreePort(port_, [this] { launch(); });
}

SmtpServer::~SmtpServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; stop() already killed the process group.
    }
}

std::string SmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

bool SmtpServer::running() const { return process_ && process_->running(); }

void SmtpServer::start() {
    if (!running()) launch();
}

void SmtpServer::stop() {
    if (!process_) return;
    process_->terminate();
    process_.reset();
    waitUntilPortFree(port_);
}

std::string SmtpServer::logTail() const { return logTailOf(fs::path(dir_) / "aiosmtpd.log"); }

// raw_maildir_handler.py reads the file at each MAIL FROM.
void SmtpServer::answerMailFrom(const std::string& reply) {
    const auto control = fs::path(dir_) / "mail-from-reply";
    if (reply.empty()) {
        fs::remove(control);
        return;
    }
    const auto temporary = fs::path(dir_) / "mail-from-reply.tmp";
    std::ofstream(temporary) << reply << "\n";
    fs::rename(temporary, control);  // the server never reads half a reply
}

void SmtpServer::refuseRecipients(const std::vector<std::string>& addresses) {
    const auto control = fs::path(dir_) / "rcpt-refused";
    if (addresses.empty()) {
        fs::remove(control);
        return;
    }
    const auto temporary = fs::path(dir_) / "rcpt-refused.tmp";
    {
        std::ofstream out(temporary);
        for (const auto& address : addresses) out << address << "\n";
    }
    fs::rename(temporary, control);
}

void SmtpServer::launch() {
    const fs::path dir(dir_);
    const fs::path log = dir / "aiosmtpd.log";
    const auto logStart = sizeOf(log);
    // Debian's interpreter: aiosmtpd is a Debian package. PYTHON* variables of another
    // Python installation (pyenv, venv) would break it, so they are not passed on.
    process_ =
        std::make_unique<ChildProcess>(command(),
                                       std::vector<std::string>{"PYTHONPATH=" COMPLAINTD_TEST_SUPPORT_DIR,
                                                                "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"},
                                       std::vector<std::string>{"PYTHON"}, log.string());
    try {
        waitForGreeting("aiosmtpd", port_, *process_, "220 ", log, logStart);
    } catch (...) {
        process_.reset();
        throw;
    }
}

std::vector<std::string> SmtpServer::command() const {
    const fs::path dir(dir_);
    if (options_.xoauth2User.empty() && !options_.tls)
        return {"/usr/bin/python3",
                "-m",
                "aiosmtpd",
                "--nosetuid",
                "--smtputf8",
                "--listen",
                std::string(kLoopback) + ":" + std::to_string(port_),
                "--class",
                "raw_maildir_handler.RawMaildir",
                (dir / "maildir").string(),
                (dir / "envelopes").string()};
    std::vector<std::string> argv{"/usr/bin/python3", COMPLAINTD_TEST_SUPPORT_DIR "/smtp_auth_server.py",
                                  std::to_string(port_), (dir / "maildir").string(), (dir / "envelopes").string()};
    if (!options_.xoauth2User.empty())
        argv.insert(argv.end(), {"--xoauth2", options_.xoauth2User, options_.xoauth2Token});
    if (options_.tls) argv.insert(argv.end(), {"--tls", options_.tls->certFile, options_.tls->keyFile});
    return argv;
}

std::vector<ReceivedMail> SmtpServer::receivedMails() const {
    const fs::path dir(dir_);
    // The handler names files by arrival time (zero-padded), so name order is arrival order.
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir / "maildir" / "new")) files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    std::vector<ReceivedMail> mails;
    for (const auto& file : files) {
        ReceivedMail mail;
        mail.data = readFile(file);
        std::istringstream envelope(readFile(dir / "envelopes" / file.filename()));
        std::getline(envelope, mail.mailFrom);
        for (std::string rcpt; std::getline(envelope, rcpt);) mail.rcptTo.push_back(rcpt);
        mails.push_back(std::move(mail));
    }
    return mails;
}

std::vector<std::string> SmtpServer::receivedMessages() const {
    std::vector<std::string> messages;
    for (auto& mail : receivedMails()) messages.push_back(std::move(mail.data));
    return messages;
}

std::vector<ReceivedMail> SmtpServer::waitForMails(std::size_t count, std::chrono::milliseconds timeout) const {
    return waitUntil(count, timeout, "mail(s)", [this] { return receivedMails(); });
}

std::vector<ReceivedMail> SmtpServer::complainantMails() const {
    std::vector<ReceivedMail> mails;
    for (auto& mail : receivedMails()) {
        const bool toUnit = std::any_of(mail.rcptTo.begin(), mail.rcptTo.end(),
                                        [](const std::string& to) { return to.ends_with("@shugu.example"); });
        if (!toUnit) mails.push_back(std::move(mail));
    }
    return mails;
}

std::vector<ReceivedMail> SmtpServer::waitForComplainantMails(std::size_t count,
                                                              std::chrono::milliseconds timeout) const {
    return waitUntil(count, timeout, "mail(s) to complainants", [this] { return complainantMails(); });
}

std::vector<ReceivedMail> SmtpServer::waitUntil(std::size_t count, std::chrono::milliseconds timeout,
                                                const std::string& what,
                                                const std::function<std::vector<ReceivedMail>()>& mails) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto found = mails();
        if (found.size() >= count) return found;
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("SmtpServer on 127.0.0.1:" + std::to_string(port_) + " received " +
                                     std::to_string(found.size()) + " " + what + ", expected " + std::to_string(count) +
                                     " within " + std::to_string(timeout.count()) + " ms\n" + logTail());
        }
        std::this_thread::sleep_for(20ms);
    }
}

// ---------------------------------------------------------------------------------------

OAuth2IntrospectionServer::OAuth2IntrospectionServer(const std::string& dir, const std::string& user,
                                                     const std::vector<std::string>& goodTokens)
    : dir_(dir) {
    prepareDir(dir_);
    const fs::path log = fs::path(dir_) / "introspection.log";
    startOnFreePort(port_, [&] {
        std::vector<std::string> argv{"/usr/bin/python3", COMPLAINTD_TEST_SUPPORT_DIR "/oauth2_introspection.py",
                                      std::to_string(port_), user};
        argv.insert(argv.end(), goodTokens.begin(), goodTokens.end());
        const auto logStart = sizeOf(log);
        process_ = std::make_unique<ChildProcess>(
            argv, std::vector<std::string>{"PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"},
            std::vector<std::string>{"PYTHON"}, log.string());
        try {
            waitForListening("OAuth2 introspection", port_, *process_, log, logStart);
        } catch (...) {
            process_.reset();
            throw;
        }
    });
}

OAuth2IntrospectionServer::~OAuth2IntrospectionServer() = default;  // ChildProcess terminates it

std::string OAuth2IntrospectionServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/introspect";
}

std::size_t OAuth2IntrospectionServer::requests() const {
    const auto text = readFile(fs::path(dir_) / "introspection.log");
    std::size_t count = 0;
    for (std::size_t at = text.find("introspect mode="); at != std::string::npos;
         at = text.find("introspect mode=", at + 1))
        ++count;
    return count;
}

std::string OAuth2IntrospectionServer::logTail() const { return logTailOf(fs::path(dir_) / "introspection.log"); }

}  // namespace complaintd::testing
