// RFC 2047 encoded-word decoding for header values.
#include "header_text.h"

#include <cstddef>
#include <optional>

#include "parsers/text_decoding.h"
#include "text_util.h"

namespace complaintd::parsers {

using detail::HeaderText;

namespace {

constexpr std::size_t kMaxCharsetLength = 64;

struct EncodedWord {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past the closing "?="
    std::string charset;  // canonical
    std::string bytes;    // decoded, still in `charset`
};

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Missing padding is forgiven (common); stray characters, data after the
// padding or an impossible length make the word malformed.
std::optional<std::string> decodeWordBase64(std::string_view text) {
    std::string out;
    unsigned bits = 0;
    int bitCount = 0;
    std::size_t dataChars = 0;
    bool padding = false;
    for (char c : text) {
        if (c == ' ' || c == '\t') continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        const int v = base64Value(c);
        if (v < 0 || padding) return std::nullopt;
        ++dataChars;
        bits = (bits << 6) | static_cast<unsigned>(v);
        bitCount += 6;
        if (bitCount >= 8) {
            bitCount -= 8;
            out += static_cast<char>((bits >> bitCount) & 0xFF);
        }
    }
    if (dataChars % 4 == 1) return std::nullopt;
    return out;
}

std::string decodeWordQ(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '_') {
            out += ' ';
        } else if (c == '=' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;  // a stray '=' stays as written
        }
    }
    return out;
}

bool isCharsetChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '?' && c != '=' && c != '"';
}

// Parses "=?charset?X?text?=" starting at `pos`, where s[pos..] is "=?".
std::optional<EncodedWord> parseEncodedWordAt(std::string_view s, std::size_t pos) {
    std::size_t p = pos + 2;
    while (p < s.size() && p - pos - 2 <= kMaxCharsetLength && isCharsetChar(s[p])) ++p;
    const std::size_t charsetLength = p - pos - 2;
    if (charsetLength == 0 || charsetLength > kMaxCharsetLength || p + 3 > s.size() || s[p] != '?') {
        return std::nullopt;
    }
    const char encoding = s[p + 1];
    if (s[p + 2] != '?') return std::nullopt;
    const std::size_t textStart = p + 3;
    // Encoded text never holds '?', so the first one must open the closing "?=".
    const std::size_t close = s.find('?', textStart);
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != '=') return std::nullopt;
    const std::string_view text = s.substr(textStart, close - textStart);

    EncodedWord word{pos, close + 2, detail::canonicalCharset(s.substr(pos + 2, charsetLength)), {}};
    if (word.charset.empty()) return std::nullopt;
    if (encoding == 'Q' || encoding == 'q') {
        word.bytes = decodeWordQ(text);
    } else if (encoding == 'B' || encoding == 'b') {
        auto bytes = decodeWordBase64(text);
        if (!bytes) return std::nullopt;
        word.bytes = std::move(*bytes);
    } else {
        return std::nullopt;
    }
    return word;
}

bool isAllWhitespace(std::string_view text) {
    for (char c : text) {
        if (!detail::isMailWhitespace(c)) return false;
    }
    return true;
}

// Collects the decoded output. Bytes of adjacent words in one charset wait in
// `run` so that a character split across two words is converted whole.
class HeaderBuilder {
public:
    explicit HeaderBuilder(const detail::CharsetGuesser* guesser) : guesser_(guesser) {}

    void literal(std::string_view text) {
        flushRun();
        if (detail::isValidUtf8(text)) {
            result_.utf8 += text;
        } else if (!guessed(text)) {
            bool lossy = false;
            result_.utf8 += detail::repairUtf8(text, lossy);
            if (lossy) noteLoss(detail::kUnlabelled8Bit);
        }
    }

    void word(const EncodedWord& w) {
        if (w.charset != runCharset_) flushRun();
        runCharset_ = w.charset;
        run_ += w.bytes;
    }

    HeaderText finish() {
        flushRun();
        return std::move(result_);
    }

private:
    void flushRun() {
        if (runCharset_.empty()) return;
        DecodedText text = toUtf8(run_, runCharset_);
        if (!text.lossy || !guessed(run_)) {
            result_.utf8 += text.utf8;
            if (text.lossy) noteLoss(runCharset_);
        }
        run_.clear();
        runCharset_.clear();
    }

    bool guessed(std::string_view bytes) {
        if (guesser_ == nullptr) return false;
        std::optional<detail::GuessedText> guess = guesser_->decode(bytes);
        if (!guess) return false;
        result_.utf8 += guess->utf8;
        if (result_.guessedCharset.empty()) result_.guessedCharset = guess->charset;
        return true;
    }

    void noteLoss(std::string_view charset) {
        if (!result_.lossy) result_.lossyCharset = charset;
        result_.lossy = true;
    }

    const detail::CharsetGuesser* guesser_;
    HeaderText result_;
    std::string run_;
    std::string runCharset_;
};

}  // namespace

namespace detail {

HeaderText decodeHeaderText(std::string_view raw, const CharsetGuesser* guesser) {
    HeaderBuilder builder(guesser);
    std::size_t textStart = 0;  // first byte not yet emitted
    bool afterWord = false;
    std::size_t pos = raw.find("=?");
    while (pos != std::string_view::npos) {
        auto word = parseEncodedWordAt(raw, pos);
        if (!word) {
            pos = raw.find("=?", pos + 1);
            continue;
        }
        const std::string_view gap = raw.substr(textStart, pos - textStart);
        // RFC 2047 6.2: white space between adjacent encoded words is dropped.
        if (!(afterWord && isAllWhitespace(gap))) {
            if (!gap.empty()) builder.literal(gap);
        }
        builder.word(*word);
        afterWord = true;
        textStart = word->end;
        pos = raw.find("=?", textStart);
    }
    if (textStart < raw.size()) builder.literal(raw.substr(textStart));
    return builder.finish();
}

std::string canonicalCharset(std::string_view label) {
    std::string name;
    for (char c : label) {
        if (c == '*') break;  // RFC 2231 language suffix: "utf-8*en"
        if (c != '"' && c != '\'' && !isMailWhitespace(c)) name += c;
    }
    return repairUtf8(asciiLower(name));  // labels end up in defect texts
}

}  // namespace detail

DecodedText decodeHeaderValue(std::string_view raw) {
    HeaderText text = detail::decodeHeaderText(raw);
    return DecodedText{std::move(text.utf8), text.lossy};
}

}  // namespace complaintd::parsers
