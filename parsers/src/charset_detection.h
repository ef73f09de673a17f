// Reading text whose charset label is missing or wrong: uchardet's guess,
// the charset of the rest of the message, and the Taiwanese defaults (Big5,
// then GB18030), each accepted only when it decodes without loss into text
// that looks like writing. Private.
//
// uchardet is reliable on a paragraph, not on a name or a subject line, so
// short header text is tried against the message's own charset first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers::detail {

// uchardet's answer as a lower-case MIME label ("big5", "shift_jis",
// "windows-1252"), or "" when it cannot tell or the bytes are ASCII.
std::string detectCharset(std::string_view bytes);

// No U+FFFD, control or private-use characters, and no ideograph wedged
// between two ASCII letters (Latin-1 "Formação" read as Big5 looks like that).
bool looksLikeText(std::string_view utf8);

struct GuessedText {
    std::string utf8;
    std::string charset;  // the label that decoded it
};

// Tries candidate labels in order; uchardet runs only once a candidate
// before it has failed, since most messages never need it.
class CharsetGuesser {
public:
    // For a body part that failed its declared charset: uchardet's guess only,
    // and no single-byte guess for text declared in a multi-byte charset (its
    // damage is more likely a few broken bytes than a wrong label).
    static CharsetGuesser forMislabelledBody(std::string_view bytes, std::string declared);

    // For 8-bit text without a label (header words, unlabelled bodies):
    // `hint` (the charset the message's text was read in), uchardet's
    // multi-byte guess on `sample`, Big5, GB18030, then uchardet's
    // single-byte guess.
    static CharsetGuesser forUnlabelled(std::string hint, std::string_view sample);

    std::optional<GuessedText> decode(std::string_view bytes) const;

private:
    enum class Use { MislabelledBody, Unlabelled };

    CharsetGuesser(Use use, std::string label, std::string_view sample);
    const std::string& detected() const;

    Use use_;
    std::string label_;   // declared charset or hint
    std::string sample_;  // what uchardet reads, at most kMaxSampleBytes
    mutable std::optional<std::string> detected_;
};

}  // namespace complaintd::parsers::detail
