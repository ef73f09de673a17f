#include "daemon/oauth_token.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>

#include "cases/error.h"
#include "test_clock.h"

namespace complaintd::daemon {
namespace {

using namespace std::chrono_literals;

const cases::Timestamp kNow = utc(2026, 12, 1, 2);

// Files and commands as the test says; counts the command runs.
class FakeTokenIo final : public TokenIo {
public:
    std::optional<File> readFile(const std::string& path) override {
        const auto it = files.find(path);
        if (it == files.end()) return std::nullopt;
        return it->second;
    }
    CommandResult run(const std::string& command, std::chrono::seconds timeout) override {
        ++runs;
        lastCommand = command;
        lastTimeout = timeout;
        return commandResult;
    }

    std::map<std::string, File> files;
    CommandResult commandResult{true, "{\"access_token\":\"fresh-1\",\"expires_in\":3599}", ""};
    int runs = 0;
    std::string lastCommand;
    std::chrono::seconds lastTimeout{0};
};

center::ServerAccount oauthAccount(const std::string& tokenFile, const std::string& command) {
    center::ServerAccount a;
    a.url = "imaps://mail.example.tw";
    a.user = "complaints@example.tw";
    a.auth = center::AuthMethod::XOAuth2;
    a.tokenFile = tokenFile;
    a.tokenCommand = command;
    a.timeout = 30s;
    return a;
}

TEST(AccessTokenParse, BareTokenIsAssumedToLastAnHour) {
    const auto parsed = parseAccessToken("eyJ0eXAi.abc-_~+/=\n", kNow);
    ASSERT_TRUE(parsed.token) << parsed.problem;
    EXPECT_EQ(parsed.token->value, "eyJ0eXAi.abc-_~+/=");
    EXPECT_EQ(parsed.token->expiresAt, kNow + 1h);
    EXPECT_TRUE(parsed.token->expiryAssumed);
}

TEST(AccessTokenParse, TokenEndpointJsonGivesTheExpiry) {
    const auto relative = parseAccessToken(
        R"({"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"abc"})", kNow);
    ASSERT_TRUE(relative.token) << relative.problem;
    EXPECT_EQ(relative.token->value, "abc");
    EXPECT_EQ(relative.token->expiresAt, kNow + 3599s);
    EXPECT_FALSE(relative.token->expiryAssumed);
    // Azure's older endpoints: expires_on as a string of Unix seconds.
    const auto absolute = parseAccessToken(R"({"access_token":"abc","expires_on":"1796090400"})", kNow);
    ASSERT_TRUE(absolute.token) << absolute.problem;
    EXPECT_EQ(absolute.token->expiresAt, cases::Timestamp(1796090400s));
    EXPECT_TRUE(parseAccessToken(R"({"access_token":"abc","expires_at":1796090400})", kNow).token);
}

TEST(AccessTokenParse, RefusesWhatCannotBeAToken) {
    EXPECT_EQ(parseAccessToken(" \n", kNow).problem, "empty");
    EXPECT_FALSE(parseAccessToken("two words", kNow).token);
    EXPECT_FALSE(parseAccessToken("line1\nline2", kNow).token);
    EXPECT_FALSE(parseAccessToken("{not json", kNow).token);
    EXPECT_FALSE(parseAccessToken(R"({"error":"invalid_grant"})", kNow).token);
    EXPECT_FALSE(parseAccessToken(R"({"access_token":"abc","expires_in":"soon"})", kNow).token);
    EXPECT_FALSE(parseAccessToken(std::string(20000, 'a'), kNow).token);
    // The problem never quotes the secret.
    EXPECT_EQ(parseAccessToken("secret token", kNow).problem.find("secret"), std::string::npos);
}

TEST(AccessTokenSource, TokenFileAloneIsReadAgainEachTime) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    io.files["/run/token"] = {"first\n", kNow - 10min};
    AccessTokenSource source(oauthAccount("/run/token", ""), "imap", clock, io);
    EXPECT_EQ(source.token(), "first");
    io.files["/run/token"] = {"second\n", kNow};
    EXPECT_EQ(source.token(), "second");
    // Stale and refused, it is still all there is; no command to run.
    clock.advance(5h);
    source.rejected("second");
    EXPECT_EQ(source.token(), "second");
    EXPECT_EQ(io.runs, 0);
}

TEST(AccessTokenSource, MissingTokenFileWithoutCommandIsAnError) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    AccessTokenSource source(oauthAccount("/run/none", ""), "smtp", clock, io);
    try {
        source.token();
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("smtp.token_file = \"/run/none\""), std::string::npos) << e.what();
    }
}

TEST(AccessTokenSource, CommandRunsOnlyWhenTheTokenIsMissingOrNearExpiry) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    AccessTokenSource source(oauthAccount("", "oauth2-refresh --tenant x"), "imap", clock, io);
    EXPECT_EQ(source.token(), "fresh-1");
    EXPECT_EQ(io.runs, 1);
    EXPECT_EQ(io.lastCommand, "oauth2-refresh --tenant x");
    EXPECT_EQ(io.lastTimeout, 30s);
    clock.advance(50min);  // 9 min 59 s left: still good
    EXPECT_EQ(source.token(), "fresh-1");
    EXPECT_EQ(io.runs, 1);
    clock.advance(5min);  // 4 min 59 s left: within the margin
    io.commandResult.output = "fresh-2\n";
    EXPECT_EQ(source.token(), "fresh-2");
    EXPECT_EQ(io.runs, 2);
}

TEST(AccessTokenSource, EmptyOrExpiredTokenFileRunsTheCommand) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    io.files["/run/token"] = {"", kNow};
    AccessTokenSource source(oauthAccount("/run/token", "refresh"), "imap", clock, io);
    EXPECT_EQ(source.token(), "fresh-1");
    EXPECT_EQ(io.runs, 1);

    FakeTokenIo io2;
    io2.files["/run/token"] = {R"({"access_token":"old","expires_in":3600})", kNow - 2h};
    AccessTokenSource expired(oauthAccount("/run/token", "refresh"), "imap", clock, io2);
    EXPECT_EQ(expired.token(), "fresh-1");
    EXPECT_EQ(io2.runs, 1);

    FakeTokenIo io3;
    io3.files["/run/token"] = {R"({"access_token":"current","expires_in":3600})", kNow - 10min};
    AccessTokenSource current(oauthAccount("/run/token", "refresh"), "imap", clock, io3);
    EXPECT_EQ(current.token(), "current");
    EXPECT_EQ(io3.runs, 0);
}

TEST(AccessTokenSource, RefusedTokenIsReplacedByTheCommand) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    io.files["/run/token"] = {"revoked\n", kNow};
    AccessTokenSource source(oauthAccount("/run/token", "refresh"), "imap", clock, io);
    EXPECT_EQ(source.token(), "revoked");
    source.rejected("revoked");
    EXPECT_EQ(source.token(), "fresh-1");
    source.rejected("fresh-1");
    io.commandResult.output = "fresh-2";
    EXPECT_EQ(source.token(), "fresh-2");
    EXPECT_EQ(io.runs, 2);
}

TEST(AccessTokenSource, FailedRefreshUsesTheOldTokenUntilItExpires) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    AccessTokenSource source(oauthAccount("", "refresh"), "imap", clock, io);
    EXPECT_EQ(source.token(), "fresh-1");
    io.commandResult = {false, "", "exited with status 2"};
    clock.advance(57min);  // within the margin, not expired
    EXPECT_EQ(source.token(), "fresh-1");
    clock.advance(3min);  // expired
    try {
        source.token();
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("imap.token_command exited with status 2"), std::string::npos) << e.what();
    }
}

TEST(AccessTokenSource, CommandOutputThatIsNoTokenIsAnErrorWithoutTheOutput) {
    FixedClock clock(kNow);
    FakeTokenIo io;
    io.commandResult.output = R"({"error":"invalid_grant","error_description":"AADSTS70043 secret-ish"})";
    AccessTokenSource source(oauthAccount("", "refresh"), "smtp", clock, io);
    try {
        source.token();
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("smtp.token_command printed no usable token"), std::string::npos)
            << e.what();
        EXPECT_EQ(std::string(e.what()).find("secret-ish"), std::string::npos) << e.what();
    }
}

TEST(RefreshTokenWarning, FromTheConfiguredDaysBeforeTheExpiry) {
    auto account = oauthAccount("", "refresh");
    account.refreshTokenExpires = cases::Date{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{20}};
    const auto on = [](unsigned month, unsigned day) {
        return cases::Date{std::chrono::year{2026}, std::chrono::month{month}, std::chrono::day{day}};
    };
    EXPECT_FALSE(center::refreshTokenWarning(account, "imap", on(12, 5)));
    const auto warning = center::refreshTokenWarning(account, "imap", on(12, 6));
    ASSERT_TRUE(warning);
    EXPECT_NE(warning->find("imap.refresh_token_expires = 2026-12-20"), std::string::npos) << *warning;
    EXPECT_NE(warning->find("expires in 14 day(s)"), std::string::npos) << *warning;
    EXPECT_NE(center::refreshTokenWarning(account, "imap", on(12, 20))->find("expires today"), std::string::npos);
    EXPECT_NE(center::refreshTokenWarning(account, "imap", on(12, 22))->find("expired 2 day(s) ago"),
              std::string::npos);
    account.refreshWarnDays = 3;
    EXPECT_FALSE(center::refreshTokenWarning(account, "imap", on(12, 16)));
    account.auth = center::AuthMethod::Password;
    EXPECT_FALSE(center::refreshTokenWarning(account, "imap", on(12, 22)));
}

TEST(SystemTokenIo, RunsThroughTheShellAndCapturesStdout) {
    SystemTokenIo io;
    const auto ok = io.run("printf '%s' \"$((40 + 2))\"; echo ' on stderr' >&2", 10s);
    EXPECT_TRUE(ok.succeeded) << ok.problem;
    EXPECT_EQ(ok.output, "42");
    const auto failed = io.run("echo half-a-token; exit 3", 10s);
    EXPECT_FALSE(failed.succeeded);
    EXPECT_EQ(failed.problem, "exited with status 3");
    EXPECT_TRUE(failed.output.empty());
}

TEST(SystemTokenIo, KillsACommandThatHangs) {
    SystemTokenIo io;
    const auto start = std::chrono::steady_clock::now();
    const auto result = io.run("sleep 30 & sleep 30", 1s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(result.succeeded);
    EXPECT_EQ(result.problem, "timed out after 1 s");
}

TEST(SystemTokenIo, CommandStartsWithNoSignalBlockedOrIgnored) {
    // As in the daemon: SIGTERM, SIGINT and SIGHUP blocked for the signal thread, SIGPIPE ignored.
    sigset_t blocked, before;
    sigemptyset(&blocked);
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&blocked, signal);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &blocked, &before), 0);
    const auto pipeBefore = std::signal(SIGPIPE, SIG_IGN);
    SystemTokenIo io;
    const auto result = io.run("grep -E '^Sig(Blk|Ign):' /proc/self/status", 10s);
    std::signal(SIGPIPE, pipeBefore);
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    ASSERT_TRUE(result.succeeded) << result.problem;
    EXPECT_EQ(result.output, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(SystemTokenIo, ReadsAFileWithItsTime) {
    const auto path = std::filesystem::temp_directory_path() / "complaintd-oauth-token-test";
    std::ofstream(path) << "abc\n";
    // This process's clock, not the kernel's, as under faketime the two differ.
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now());
    SystemTokenIo io;
    const auto file = io.readFile(path.string());
    ASSERT_TRUE(file);
    EXPECT_EQ(file->content, "abc\n");
    EXPECT_LT(std::chrono::abs(file->modified -
                               std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())),
              60s);
    std::filesystem::remove(path);
    EXPECT_FALSE(io.readFile(path.string()));
}

}  // namespace
}  // namespace complaintd::daemon
