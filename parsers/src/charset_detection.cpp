#include "charset_detection.h"

#include <uchardet.h>

#include <algorithm>
#include <memory>

#include "parsers/text_decoding.h"
#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr std::size_t kMaxSampleBytes = 8192;

struct UchardetFree {
    void operator()(uchardet* detector) const { uchardet_delete(detector); }
};

bool hasEightBit(std::string_view bytes) {
    return std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// Charsets in which one character may take several bytes; the rest map each
// byte to a character and so decode almost anything "cleanly".
bool isMultiByte(std::string_view label) {
    for (std::string_view prefix :
         {"utf-", "big5", "gb", "euc-", "shift_jis", "iso-2022", "cp9", "uhc", "hz-", "ks_c"}) {
        if (label.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
}

bool isAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Han, kana and Hangul, where a Latin-1 or Cyrillic misreading lands.
bool isCjk(char32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

bool isUnwanted(char32_t c) {
    const bool control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c < 0xA0);
    const bool privateUse = (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
    return control || privateUse || c == 0xFFFD;
}

}  // namespace

std::string detectCharset(std::string_view bytes) {
    if (!hasEightBit(bytes)) return {};
    const std::unique_ptr<uchardet, UchardetFree> detector(uchardet_new());
    if (!detector || uchardet_handle_data(detector.get(), bytes.data(), bytes.size()) != 0) return {};
    uchardet_data_end(detector.get());
    const char* name = uchardet_get_charset(detector.get());
    const std::string label = asciiLower(name == nullptr ? "" : name);
    return label == "ascii" ? std::string() : label;
}

bool looksLikeText(std::string_view utf8) {
    char32_t beforePrevious = 0;
    char32_t previous = 0;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const char32_t c = nextCodePoint(utf8, pos);
        if (isUnwanted(c)) return false;
        if (isCjk(previous) && isAsciiLetter(beforePrevious) && isAsciiLetter(c)) return false;
        beforePrevious = previous;
        previous = c;
    }
    return true;
}

CharsetGuesser::CharsetGuesser(Use use, std::string label, std::string_view sample)
    : use_(use), label_(std::move(label)) {
    // uchardet reads about 30 MB/s; a few kilobytes of the 8-bit text are
    // plenty for it, and every candidate is still checked on all the bytes.
    const std::size_t firstEightBit = static_cast<std::size_t>(
        std::find_if(sample.begin(), sample.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) -
        sample.begin());
    sample_ = std::string(sample.substr(firstEightBit, kMaxSampleBytes));
}

CharsetGuesser CharsetGuesser::forMislabelledBody(std::string_view bytes, std::string declared) {
    return CharsetGuesser(Use::MislabelledBody, std::move(declared), bytes);
}

CharsetGuesser CharsetGuesser::forUnlabelled(std::string hint, std::string_view sample) {
    return CharsetGuesser(Use::Unlabelled, std::move(hint), sample);
}

const std::string& CharsetGuesser::detected() const {
    if (!detected_) detected_ = detectCharset(sample_);
    return *detected_;
}

std::optional<GuessedText> CharsetGuesser::decode(std::string_view bytes) const {
    const auto attempt = [&](const std::string& label) -> std::optional<GuessedText> {
        if (label.empty()) return std::nullopt;
        DecodedText text = toUtf8(bytes, label);
        if (text.lossy || !looksLikeText(text.utf8)) return std::nullopt;
        return GuessedText{std::move(text.utf8), label};
    };
    if (use_ == Use::MislabelledBody) {
        if (isMultiByte(label_) && !isMultiByte(detected())) return std::nullopt;
        return attempt(detected());
    }
    if (auto text = attempt(label_)) return text;  // before uchardet runs at all
    if (isMultiByte(detected())) {
        if (auto text = attempt(detected())) return text;
    }
    for (const char* fallback : {"big5", "gb18030"}) {
        if (auto text = attempt(fallback)) return text;
    }
    return isMultiByte(detected()) ? std::nullopt : attempt(detected());
}

}  // namespace complaintd::parsers::detail
