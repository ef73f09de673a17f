#include "parsers/authentication_results.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "parsers/header_scan.h"

namespace complaintd::parsers {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool equalIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

enum class TokenKind { Word, Semicolon, Equals };

struct Token {
    TokenKind kind;
    std::string text;
};

bool isWordByte(char c) {
    return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(' || c == ')' || c == ';' || c == '=' ||
             c == '"');
}

// Words, quoted strings (as words), ';' and '='; white space and (nested) comments are skipped.
// Each byte is looked at once.
std::vector<Token> tokenize(std::string_view value) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == ';' || c == '=') {
            tokens.push_back({c == ';' ? TokenKind::Semicolon : TokenKind::Equals, {}});
            ++i;
        } else if (c == '(') {
            int depth = 0;
            for (; i < value.size(); ++i) {
                if (value[i] == '\\') {
                    ++i;
                } else if (value[i] == '(') {
                    ++depth;
                } else if (value[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
            }
        } else if (c == '"') {
            std::string text;
            for (++i; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size()) ++i;
                text += value[i];
            }
            ++i;
            tokens.push_back({TokenKind::Word, std::move(text)});
        } else if (isWordByte(c)) {
            const auto start = i;
            while (i < value.size() && isWordByte(value[i])) ++i;
            tokens.push_back({TokenKind::Word, std::string(value.substr(start, i - start))});
        } else {
            ++i;  // white space, or a stray ')'
        }
    }
    return tokens;
}

using Segment = std::pair<std::size_t, std::size_t>;  // [first, last) token indexes between ';'

bool hasEquals(const std::vector<Token>& tokens, const Segment& s) {
    for (auto i = s.first; i < s.second; ++i)
        if (tokens[i].kind == TokenKind::Equals) return true;
    return false;
}

bool isAssignment(const std::vector<Token>& tokens, std::size_t i, std::size_t end) {
    return i + 2 < end && tokens[i].kind == TokenKind::Word && tokens[i + 1].kind == TokenKind::Equals &&
           tokens[i + 2].kind == TokenKind::Word;
}

// "method[/version]=result" then "reason=..." and "ptype.property=value" pairs; anything else is skipped.
std::optional<AuthenticationResult> resultOf(const std::vector<Token>& tokens, const Segment& s) {
    if (s.second - s.first < 3 || !isAssignment(tokens, s.first, s.second)) return std::nullopt;
    AuthenticationResult result;
    const auto& method = tokens[s.first].text;
    result.method = lower(method.substr(0, method.find('/')));
    result.result = lower(tokens[s.first + 2].text);
    for (auto i = s.first + 3; i < s.second;) {
        if (isAssignment(tokens, i, s.second)) {
            result.properties.emplace_back(lower(tokens[i].text), tokens[i + 2].text);
            i += 3;
        } else {
            ++i;
        }
    }
    return result;
}

std::string domainOf(std::string_view identity) {
    const auto at = identity.rfind('@');
    auto domain = at == std::string_view::npos ? identity : identity.substr(at + 1);
    while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    return lower(domain);
}

}  // namespace

std::string AuthenticationResult::property(std::string_view name) const {
    for (const auto& [key, value] : properties)
        if (key == name) return value;
    return {};
}

AuthenticationResults parseAuthenticationResults(std::string_view value) {
    const auto tokens = tokenize(value);
    std::vector<Segment> segments;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= tokens.size(); ++i) {
        if (i == tokens.size() || tokens[i].kind == TokenKind::Semicolon) {
            segments.emplace_back(start, i);
            start = i + 1;
        }
    }
    AuthenticationResults parsed;
    bool idPending = true;
    for (std::size_t n = 0; n < segments.size(); ++n) {
        const auto& s = segments[n];
        if (s.first == s.second) continue;
        if (!hasEquals(tokens, s)) {
            // The authserv-id (and version) in front; Microsoft writes it after the first result.
            if (idPending && tokens[s.first].kind == TokenKind::Word && lower(tokens[s.first].text) != "none") {
                parsed.authservId = tokens[s.first].text;
                parsed.authservIdAfterFirstResult = n > 0;
            }
            idPending = false;
            continue;
        }
        if (n == 0) idPending = true;  // no id in front: look for Microsoft's form
        if (auto result = resultOf(tokens, s)) parsed.results.push_back(std::move(*result));
    }
    return parsed;
}

std::vector<std::string> authenticationResultsFields(std::string_view message) {
    return rawHeaderValues(message, "Authentication-Results");
}

bool alignedDomains(std::string_view a, std::string_view b) {
    const auto x = domainOf(a), y = domainOf(b);
    if (x.empty() || y.empty()) return false;
    if (x == y) return true;
    const auto& shorter = x.size() < y.size() ? x : y;
    const auto& longer = x.size() < y.size() ? y : x;
    return shorter.find('.') != std::string::npos && longer.ends_with("." + shorter);
}

SenderAuthentication authenticateSender(std::string_view rawMessage, std::string_view fromAddress,
                                        std::string_view trustedAuthservId, AuthservIdForm form) {
    if (trustedAuthservId.empty()) return SenderAuthentication::Unchecked;
    const auto fromDomain = domainOf(fromAddress);
    if (fromAddress.find('@') == std::string_view::npos || fromDomain.empty())
        return SenderAuthentication::NotAuthenticated;
    bool passed = false, dmarcFailed = false;
    for (const auto& field : authenticationResultsFields(rawMessage)) {
        const auto parsed = parseAuthenticationResults(field);
        if (!equalIgnoringCase(parsed.authservId, trustedAuthservId)) continue;
        if (parsed.authservIdAfterFirstResult && form != AuthservIdForm::AlsoAfterFirstResult) continue;
        for (const auto& r : parsed.results) {
            if (r.method == "dmarc") {
                if (r.result == "pass" && domainOf(r.property("header.from")) == fromDomain) passed = true;
                if (r.result == "fail") dmarcFailed = true;
            } else if (r.method == "spf" && r.result == "pass") {
                passed |= alignedDomains(r.property("smtp.mailfrom"), fromDomain);
            } else if (r.method == "dkim" && r.result == "pass") {
                const auto d = r.property("header.d");
                passed |= alignedDomains(d.empty() ? r.property("header.i") : d, fromDomain);
            }
        }
    }
    return passed && !dmarcFailed ? SenderAuthentication::Authenticated : SenderAuthentication::NotAuthenticated;
}

}  // namespace complaintd::parsers
