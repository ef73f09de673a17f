#include "mime_params.h"

#include <charconv>
#include <map>

#include "header_text.h"
#include "parsers/text_decoding.h"
#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr int kMaxContinuations = 1000;

std::size_t skipBlanks(std::string_view s, std::size_t pos) {
    while (pos < s.size() && isMailWhitespace(s[pos])) ++pos;
    return pos;
}

// Reads a quoted string starting after its opening quote; an unterminated one
// runs to the end. Returns the position after the closing quote.
std::size_t readQuoted(std::string_view s, std::size_t pos, std::string& out) {
    while (pos < s.size() && s[pos] != '"') {
        if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
        out += s[pos++];
    }
    return pos < s.size() ? pos + 1 : pos;
}

std::size_t readParam(std::string_view s, std::size_t pos, MimeParams& params) {
    const std::size_t nameEnd = s.find_first_of("=;", pos);
    const std::string_view name = trimWhitespace(s.substr(pos, nameEnd - pos));
    if (nameEnd == std::string_view::npos || s[nameEnd] == ';') return nameEnd;  // no value: ignored
    MimeParam param{asciiLower(name), {}};
    pos = skipBlanks(s, nameEnd + 1);
    if (pos < s.size() && s[pos] == '"') {
        pos = readQuoted(s, pos + 1, param.value);
        pos = s.find(';', pos);  // anything between the closing quote and ';' is noise
    } else {
        const std::size_t end = s.find(';', pos);
        param.value = std::string(trimWhitespace(s.substr(pos, end - pos)));
        pos = end;
    }
    if (!param.name.empty()) params.push_back(std::move(param));
    return pos;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// RFC 2231 pieces of one parameter: "name*" or "name*0", "name*1*", ...
struct ExtendedPieces {
    std::map<int, std::pair<bool, std::string>> pieces;  // index -> (percent-encoded, value)
};

// Recognises `paramName` as a piece of `name`; returns false if it is not one.
bool addPiece(ExtendedPieces& ext, std::string_view paramName, std::string_view name, const std::string& value) {
    if (paramName.size() <= name.size() || paramName.substr(0, name.size()) != name || paramName[name.size()] != '*') {
        return false;
    }
    std::string_view rest = paramName.substr(name.size() + 1);
    if (rest.empty()) {  // "name*": one extended value
        ext.pieces[0] = {true, value};
        return true;
    }
    const bool encoded = rest.back() == '*';
    if (encoded) rest.remove_suffix(1);
    int index = -1;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec != std::errc() || end != rest.data() + rest.size() || index < 0 || index > kMaxContinuations) return false;
    ext.pieces.emplace(index, std::make_pair(encoded, value));
    return true;
}

DecodedParam decodeExtended(const ExtendedPieces& ext, const CharsetGuesser* guesser) {
    std::string charset;
    std::string bytes;
    bool first = true;
    for (const auto& [index, piece] : ext.pieces) {
        std::string_view value = piece.second;
        if (first && piece.first) {
            // charset'language'text; a value without both quotes has no prefix.
            const std::size_t q1 = value.find('\'');
            const std::size_t q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
            if (q2 != std::string_view::npos) {
                charset = canonicalCharset(value.substr(0, q1));
                value.remove_prefix(q2 + 1);
            }
        }
        bytes += piece.first ? percentDecode(value) : std::string(value);
        first = false;
    }
    DecodedText text = toUtf8(bytes, charset);
    if (text.lossy && guesser != nullptr) {
        if (std::optional<GuessedText> guess = guesser->decode(bytes)) {
            return DecodedParam{std::move(guess->utf8), false, "", std::move(guess->charset)};
        }
    }
    return DecodedParam{std::move(text.utf8), text.lossy, text.lossy ? (charset.empty() ? "utf-8" : charset) : "", ""};
}

}  // namespace

ParameterisedValue parseParameterisedValue(std::string_view raw) {
    ParameterisedValue result;
    std::size_t pos = raw.find(';');
    result.token = asciiLower(trimWhitespace(raw.substr(0, pos)));
    while (pos != std::string_view::npos && pos < raw.size()) {
        pos = skipBlanks(raw, pos + 1);
        if (pos >= raw.size()) break;
        if (raw[pos] == ';') continue;
        pos = readParam(raw, pos, result.params);
    }
    return result;
}

std::optional<DecodedParam> decodedParam(const MimeParams& params, std::string_view name,
                                         const CharsetGuesser* guesser) {
    ExtendedPieces ext;
    const MimeParam* plain = nullptr;
    for (const MimeParam& p : params) {
        if (p.name == name && plain == nullptr) plain = &p;
        addPiece(ext, p.name, name, p.value);
    }
    if (!ext.pieces.empty()) return decodeExtended(ext, guesser);
    if (plain == nullptr) return std::nullopt;
    HeaderText text = decodeHeaderText(plain->value, guesser);
    return DecodedParam{std::move(text.utf8), text.lossy, std::move(text.lossyCharset), std::move(text.guessedCharset)};
}

}  // namespace complaintd::parsers::detail
