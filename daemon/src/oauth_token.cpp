#include "daemon/oauth_token.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <memory>
#include <mutex>

#include "cases/error.h"
#include "center/logging.h"

namespace complaintd::daemon {
namespace {

constexpr std::size_t kMaxTokenBytes = 16 * 1024;

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

TokenParse checked(std::string value, cases::Timestamp expiresAt, bool assumed) {
    if (value.empty()) return {std::nullopt, "the token is empty"};
    if (value.size() > kMaxTokenBytes) return {std::nullopt, "the token is longer than 16 KiB"};
    for (const unsigned char c : value)
        if (c <= ' ' || c == 0x7f)
            return {std::nullopt,
                    "expected the token alone on one line, or JSON with access_token (found spaces or control "
                    "characters)"};
    return {AccessToken{std::move(value), expiresAt, assumed}, ""};
}

// A JSON number, or a string of digits as Microsoft's expires_on is.
std::optional<long long> wholeNumber(const Poco::Dynamic::Var& value) {
    try {
        if (value.isNumeric()) return value.convert<long long>();
        if (value.isString()) {
            const auto text = value.extract<std::string>();
            if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return std::stoll(text);
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

TokenParse parseJson(const std::string& text, cases::Timestamp issuedAt) {
    Poco::JSON::Object::Ptr object;
    try {
        object = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        return {std::nullopt, "starts like JSON but is not a JSON object"};
    }
    if (!object->has("access_token") || !object->get("access_token").isString())
        return {std::nullopt, "JSON without a string access_token"};
    const auto value = object->getValue<std::string>("access_token");
    if (object->has("expires_in")) {
        if (const auto seconds = wholeNumber(object->get("expires_in")))
            return checked(value, issuedAt + std::chrono::seconds(*seconds), false);
        return {std::nullopt, "expires_in is not a number of seconds"};
    }
    for (const char* key : {"expires_on", "expires_at"}) {
        if (!object->has(key)) continue;
        if (const auto unix = wholeNumber(object->get(key)))
            return checked(value, cases::Timestamp(std::chrono::seconds(*unix)), false);
        return {std::nullopt, std::string(key) + " is not a Unix time"};
    }
    return checked(value, issuedAt + kAssumedTokenLifetime, true);
}

}  // namespace

TokenParse parseAccessToken(const std::string& text, cases::Timestamp issuedAt) {
    const auto token = trimmed(text);
    if (token.empty()) return {std::nullopt, "empty"};
    if (token.front() == '{') return parseJson(token, issuedAt);
    return checked(token, issuedAt + kAssumedTokenLifetime, true);
}

AccessTokenSource::AccessTokenSource(center::ServerAccount account, std::string keyPrefix, const center::Clock& clock,
                                     TokenIo& io)
    : account_(std::move(account)), prefix_(std::move(keyPrefix)), clock_(clock), io_(io) {}

std::string AccessTokenSource::token() {
    std::lock_guard lock(mutex_);
    if (commandToken_ && fresh(*commandToken_)) return adopt(*commandToken_, prefix_ + ".token_command");
    std::optional<AccessToken> file;
    if (!account_.tokenFile.empty()) {
        file = fromFile();
        if (file && (!canRefresh() || fresh(*file))) return adopt(*file, prefix_ + ".token_file");
    }
    std::string problem;
    if (auto fromCommandToken = fromCommand(problem)) {
        commandToken_ = fromCommandToken;
        return adopt(*commandToken_, prefix_ + ".token_command");
    }
    // The refresh failed: a token that has not quite expired still serves this time.
    const auto now = clock_.now();
    for (const auto& [candidate, origin] : {std::pair{commandToken_, ".token_command"}, std::pair{file, ".token_file"}})
        if (candidate && !rejected_.contains(candidate->value) && candidate->expiresAt > now) {
            center::moduleLogger("oauth")->warn("{}: {}; using the token from {}{} while it lasts", prefix_, problem,
                                                prefix_, origin);
            return adopt(*candidate, prefix_ + origin);
        }
    throw Error(prefix_ + ": no OAuth2 access token: " + problem);
}

void AccessTokenSource::rejected(const std::string& value) {
    std::lock_guard lock(mutex_);
    if (rejected_.size() >= 16) rejected_.clear();  // tokens are not reissued; the memory must not grow
    rejected_.insert(value);
    if (commandToken_ && commandToken_->value == value) commandToken_.reset();
}

std::optional<AccessToken> AccessTokenSource::fromFile() {
    const std::string key = prefix_ + ".token_file";
    const auto path = center::secretPath(account_.tokenFile, key);
    const std::string named = key + " = \"" + account_.tokenFile + "\"";
    const auto file = io_.readFile(path);
    if (!file) {
        if (!canRefresh()) throw Error(named + ": cannot read " + path);
        return std::nullopt;
    }
    auto parsed = parseAccessToken(file->content, file->modified);
    if (!parsed.token) {
        if (!canRefresh()) throw Error(named + ": " + parsed.problem);
        if (parsed.problem != "empty") center::moduleLogger("oauth")->warn("{}: {}", named, parsed.problem);
        return std::nullopt;
    }
    // Without a command the file is all there is: offer even a refused token again
    // (the refusal may have been the server's passing trouble).
    if (rejected_.contains(parsed.token->value) && canRefresh()) return std::nullopt;
    if (!canRefresh() && !parsed.token->expiryAssumed && parsed.token->expiresAt <= clock_.now())
        center::moduleLogger("oauth")->warn("{}: the token expired at {} and there is no {}.token_command", named,
                                            cases::formatIso8601(parsed.token->expiresAt), prefix_);
    return parsed.token;
}

std::optional<AccessToken> AccessTokenSource::fromCommand(std::string& problem) {
    if (!canRefresh()) {
        problem = "nothing in " + prefix_ + ".token_file and no " + prefix_ + ".token_command";
        return std::nullopt;
    }
    center::moduleLogger("oauth")->info("{}: running {}.token_command for a new access token", prefix_, prefix_);
    const auto result = io_.run(account_.tokenCommand, account_.timeout);
    if (!result.succeeded) {
        problem = prefix_ + ".token_command " + result.problem;
        return std::nullopt;
    }
    auto parsed = parseAccessToken(result.output, clock_.now());
    if (!parsed.token) problem = prefix_ + ".token_command printed no usable token: " + parsed.problem;
    return parsed.token;
}

bool AccessTokenSource::fresh(const AccessToken& token) const {
    return !rejected_.contains(token.value) && token.expiresAt - kTokenRefreshMargin > clock_.now();
}

// Logs each new token (never its value) and, with it, the refresh token's coming expiry.
std::string AccessTokenSource::adopt(const AccessToken& token, const std::string& origin) {
    if (token.value == current_) return current_;
    current_ = token.value;
    auto log = center::moduleLogger("oauth");
    log->info("{}: access token from {} valid until {}{}", prefix_, origin, cases::formatIso8601(token.expiresAt),
              token.expiryAssumed ? " (assumed: the token came without an expiry)" : "");
    if (const auto warning = center::refreshTokenWarning(account_, prefix_, cases::localDate(clock_.now())))
        log->warn("{}", *warning);
    return current_;
}

AccessTokenSource& sharedAccessTokenSource(const center::ServerAccount& account, const std::string& keyPrefix) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<AccessTokenSource>> sources;
    static center::SystemClock clock;
    static SystemTokenIo io;
    std::lock_guard lock(mutex);
    // Keyed by what defines the token, so that other settings in the same process get their own.
    auto& source = sources[keyPrefix + '\n' + account.user + '\n' + account.tokenFile + '\n' + account.tokenCommand];
    if (!source) source = std::make_unique<AccessTokenSource>(account, keyPrefix, clock, io);
    return *source;
}

}  // namespace complaintd::daemon
