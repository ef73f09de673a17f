#include "choice_match.h"

#include <algorithm>

#include "text_match.h"

namespace complaintd::documents::detail {
namespace {

// The text folded for comparison with white space dropped, remembering where each folded code point
// started in the original so that the words after "其他" can be returned as typed.
struct FoldedText {
    std::u32string points;
    std::vector<std::size_t> offsets;  // offsets[i]: byte offset of points[i]; one extra for the end
};

FoldedText fold(std::string_view text) {
    FoldedText f;
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length) {
        const auto cp = codePointAt(text, pos, length);
        if (isSpaceCodePoint(cp)) continue;
        const auto folded = matchKey(text.substr(pos, length));
        std::size_t l = 0;
        f.points.push_back(folded.empty() ? cp : codePointAt(folded, 0, l));
        f.offsets.push_back(pos);
    }
    f.offsets.push_back(text.size());
    return f;
}

std::u32string toPoints(std::string_view text) {
    std::u32string out;
    const auto key = matchKey(text);
    for (std::size_t pos = 0, length = 0; pos < key.size(); pos += length) out += codePointAt(key, pos, length);
    return out;
}

bool isSeparator(char32_t cp) {
    return cp == ',' || cp == 0xFF0C || cp == 0x3001 || cp == ';' || cp == 0xFF1B || cp == '/' || cp == '+' ||
           cp == '.' || cp == 0x3002;
}

// Leading separators, colons and the blank line people write on (＿＿) are not part of the other text.
std::string_view trimOther(std::string_view text) {
    for (;;) {
        text = trimSpace(text);
        std::size_t length = 0;
        if (text.empty()) return text;
        const auto cp = codePointAt(text, 0, length);
        if (!(cp == ':' || cp == 0xFF1A || cp == '_' || cp == 0xFF3F || cp == '-' || isSeparator(cp))) break;
        text.remove_prefix(length);
    }
    while (!text.empty() && (text.ends_with("_") || text.ends_with("＿")))
        text.remove_suffix(text.ends_with("_") ? 1 : 3);
    return trimSpace(text);
}

// Every spelling of every choice of a question (id, label, aliases), folded once per text
// rather than once per position of it.
struct Spelling {
    const Choice* choice;
    std::u32string key;
};

std::vector<Spelling> spellingsOf(const Question& question) {
    std::vector<Spelling> spellings;
    for (const auto& c : question.choices) {
        spellings.push_back({&c, toPoints(c.id)});
        spellings.push_back({&c, toPoints(c.label)});
        for (const auto& alias : c.aliases) spellings.push_back({&c, toPoints(alias)});
    }
    return spellings;
}

// The longest choice spelling starting at `at`, and its length in code points.
const Choice* longestAt(const std::vector<Spelling>& spellings, const std::u32string& points, std::size_t at,
                        std::size_t& matched) {
    const Choice* best = nullptr;
    matched = 0;
    for (const auto& [choice, key] : spellings) {
        if (key.size() > matched && points.compare(at, key.size(), key) == 0) {
            best = choice;
            matched = key.size();
        }
    }
    return best;
}

}  // namespace

std::optional<ChoiceMatch> matchChoices(const Question& question, std::string_view text) {
    const auto folded = fold(text);
    const auto spellings = spellingsOf(question);
    ChoiceMatch match;
    std::size_t at = 0;
    while (at < folded.points.size()) {
        if (isSeparator(folded.points[at])) {
            ++at;
            continue;
        }
        std::size_t matched = 0;
        const auto* choice = longestAt(spellings, folded.points, at, matched);
        if (!choice) return std::nullopt;
        if (std::find(match.choices.begin(), match.choices.end(), choice) == match.choices.end())
            match.choices.push_back(choice);
        at += matched;
        if (choice->takesText) {
            // Whatever follows "其他" is the person's own words, not more choices.
            match.otherText = std::string(trimOther(text.substr(folded.offsets[at])));
            break;
        }
    }
    if (match.choices.empty()) return std::nullopt;
    return match;
}

}  // namespace complaintd::documents::detail
