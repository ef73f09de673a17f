// OAuth2 access tokens for SASL XOAUTH2 logins (imap.auth / smtp.auth =
// xoauth2): read from a token file (or systemd credential), refreshed by a
// token command before they expire, and the warning that the refresh token
// behind that command runs out soon (Microsoft 365 and Google let refresh
// tokens lapse; then someone must sign in again).
//
// The token text is untrusted: it comes from a file or a command. It is
// never logged, and it is refused if it is empty, longer than 16 KiB or holds
// spaces or control characters (it goes into one SASL line).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cases/deadlines.h"
#include "center/clock.h"
#include "center/settings.h"

namespace complaintd::daemon {

struct AccessToken {
    std::string value;
    cases::Timestamp expiresAt{};
    bool expiryAssumed = false;  // a bare token: taken as valid for kAssumedTokenLifetime
};

// A bare token carries no expiry; Microsoft's and Google's last an hour or more.
inline constexpr std::chrono::seconds kAssumedTokenLifetime{3600};
// A token expiring within this margin is refreshed first: a login must not race its expiry.
inline constexpr std::chrono::seconds kTokenRefreshMargin{300};

struct TokenParse {
    std::optional<AccessToken> token;
    std::string problem;  // why there is no token; never quotes the text
};

// The token alone (one line), or a JSON object with "access_token" and
// "expires_in" (seconds after `issuedAt`) or "expires_on" / "expires_at" (Unix
// time, a number or a string of digits), as OAuth2 token endpoints answer.
TokenParse parseAccessToken(const std::string& text, cases::Timestamp issuedAt);

// The shell's side: reading the token file and running the command.
class TokenIo {
public:
    struct File {
        std::string content;
        cases::Timestamp modified{};
    };
    struct CommandResult {
        bool succeeded = false;  // exited with status 0 in time
        std::string output;      // stdout (at most 64 KiB)
        std::string problem;     // "exited with status 2", "timed out after 60 s"
    };
    virtual ~TokenIo() = default;
    // nullopt when the file does not exist or cannot be read.
    virtual std::optional<File> readFile(const std::string& path) = 0;
    virtual CommandResult run(const std::string& command, std::chrono::seconds timeout) = 0;
};

// Files as they are, commands by /bin/sh -c in their own process group with
// stdout captured and stderr passed on (to the journal under systemd).
class SystemTokenIo final : public TokenIo {
public:
    std::optional<File> readFile(const std::string& path) override;
    CommandResult run(const std::string& command, std::chrono::seconds timeout) override;
};

// The current access token of one account. Order: the command's last token
// while it is fresh; else the token file's (when there is no command, even a
// stale one: nothing better exists); else the command's new token. A token
// the server refused (rejected()) is never offered again.
class AccessTokenSource {
public:
    // `keyPrefix` ("imap" or "smtp") names the settings in messages; clock and io outlive this.
    AccessTokenSource(center::ServerAccount account, std::string keyPrefix, const center::Clock& clock, TokenIo& io);

    // Throws Error (or ConfigError for an unreadable credential) when there is no usable token.
    std::string token();
    // The server refused `value`: drop it, so the next token() reads or refreshes again.
    void rejected(const std::string& value);
    // Whether token() could find a different token after a refusal (there is a command).
    bool canRefresh() const { return !account_.tokenCommand.empty(); }

private:
    std::optional<AccessToken> fromFile();
    std::optional<AccessToken> fromCommand(std::string& problem);
    bool fresh(const AccessToken& token) const;
    std::string adopt(const AccessToken& token, const std::string& origin);

    center::ServerAccount account_;
    std::string prefix_;
    const center::Clock& clock_;
    TokenIo& io_;
    std::mutex mutex_;
    std::optional<AccessToken> commandToken_;
    std::string current_;             // the token last handed out
    std::set<std::string> rejected_;  // tokens the server refused (the last few)
};

// The process's AccessTokenSource for an account (system clock and io), so that
// a refreshed token outlives one connection. Thread-safe.
AccessTokenSource& sharedAccessTokenSource(const center::ServerAccount& account, const std::string& keyPrefix);

}  // namespace complaintd::daemon
