#include "documents/survey_reply.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "choice_match.h"
#include "reply_lines.h"
#include "text_match.h"

namespace complaintd::documents {
namespace {

using detail::Anchor;

// What the reply says about one question, over every copy of the form it holds (a top-posted answer and
// the quoted original, say). Combined only at the end, so that a contradiction is seen whatever its order.
struct Evidence {
    std::vector<const Choice*> choices;
    std::string otherText;
    std::vector<std::string> texts;
    std::string problem;
};

// A form holds each text answer once per copy of the form in the reply; more than this many is not
// a reply, and the cap keeps combining them (answerFrom) linear in the length of the reply.
constexpr std::size_t kMaxTextsPerQuestion = 16;

// Whether `needle` occurs in `text`: Knuth-Morris-Pratt, linear whatever the bytes (std::string::find
// compares the needle at every position and is quadratic on "aaa...ab").
bool containsText(std::string_view text, std::string_view needle) {
    if (needle.empty()) return true;
    std::vector<std::size_t> border(needle.size(), 0);
    for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
        while (k > 0 && needle[i] != needle[k]) k = border[k - 1];
        if (needle[i] == needle[k]) ++k;
        border[i] = k;
    }
    for (std::size_t i = 0, k = 0; i < text.size(); ++i) {
        while (k > 0 && text[i] != needle[k]) k = border[k - 1];
        if (text[i] == needle[k]) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

bool isBlankOrRule(std::string_view line) {
    // An empty line, or only the line the person is meant to write on ("＿＿＿＿").
    return detail::matchKey(line).find_first_not_of("_") == std::string::npos;
}

class ReplyReader {
public:
    void read(std::string_view rawLine) {
        const auto line = detail::unquoted(rawLine);
        noteCaseNumber(line);
        if (detail::endsForm(line)) {
            current_ = nullptr;
            return;
        }
        if (const auto anchor = detail::anchorOf(line)) return readAnchor(*anchor);
        if (!current_) return;
        if (current_->id == "suggestions") return readSuggestion(line);
        readBoxes(line);
    }

    SurveyAnswers finish() const;

private:
    void readAnchor(const Anchor& anchor) {
        current_ = anchor.question;
        suggestionStarted_ = false;
        if (!current_) return;  // "9.基本資料": its parts follow under their own names
        auto rest = anchor.rest;
        // A line holding the question's wording may carry the answer after it ("...滿意嗎？滿意").
        const bool isQuestionLine = detail::afterPrefix(rest, current_->text).has_value();
        if (isQuestionLine) rest = detail::trimSpace(*detail::afterPrefix(rest, current_->text));
        if (current_->kind == AnswerKind::Text) return readText(rest);
        if (!detail::boxesIn(rest).empty()) return readBoxes(rest);
        // A re-typed question in other words still asks: it answers nothing.
        const bool asks = rest.find("？") != std::string_view::npos || rest.find('?') != std::string_view::npos ||
                          rest.find("請問") != std::string_view::npos;
        if (!rest.empty() && !asks) readTyped(rest);
    }

    void readText(std::string_view rest) {
        rest = trimLeadingColon(rest);
        if (current_->id == "suggestions") return readSuggestion(rest);
        auto& texts = evidence_[current_->id].texts;
        if (!isBlankOrRule(rest) && texts.size() < kMaxTextsPerQuestion) texts.emplace_back(rest);
    }

    // The suggestions run from their heading to the first blank line after some text, or the footer.
    void readSuggestion(std::string_view line) {
        if (isBlankOrRule(line)) {
            if (suggestionStarted_) current_ = nullptr;
            return;
        }
        auto& texts = evidence_["suggestions"].texts;
        if (suggestionStarted_ && !texts.empty())
            texts.back() += "\n" + std::string(line);
        else if (texts.size() < kMaxTextsPerQuestion)
            texts.emplace_back(line);
        suggestionStarted_ = true;
    }

    void readBoxes(std::string_view line) {
        for (const auto& box : detail::boxesIn(line)) {
            if (!box.marked) continue;
            const auto match = detail::matchChoices(*current_, box.label);
            if (!match || match->choices.size() != 1) {
                noteProblem("a mark next to '" + std::string(box.label) + "', which is not one choice of the question");
                continue;
            }
            addChoices(*match);
        }
    }

    void readTyped(std::string_view rest) {
        const auto match = detail::matchChoices(*current_, rest);
        if (!match) return noteProblem("typed answer '" + std::string(rest) + "' names no choice of the question");
        addChoices(*match);
    }

    void addChoices(const detail::ChoiceMatch& match) {
        auto& ev = evidence_[current_->id];
        for (const auto* c : match.choices)
            if (std::ranges::find(ev.choices, c) == ev.choices.end()) ev.choices.push_back(c);
        if (!match.otherText.empty()) ev.otherText = match.otherText;
    }

    void noteProblem(std::string problem) {
        auto& ev = evidence_[current_->id];
        if (ev.problem.empty()) ev.problem = std::move(problem);
    }

    // "客訴案件編號：115-001" on the returned form; a plain scan, no regex, as the line is untrusted.
    void noteCaseNumber(std::string_view line) {
        if (caseNumber_ || line.find("編號") == std::string_view::npos) return;
        const auto folded = detail::foldWidth(line);
        const auto isDigit = [&](std::size_t i) { return i < folded.size() && folded[i] >= '0' && folded[i] <= '9'; };
        for (std::size_t i = 0; i < folded.size(); ++i) {
            if (!isDigit(i) || (i > 0 && isDigit(i - 1))) continue;
            std::size_t end = i;
            while (isDigit(end)) ++end;
            if (end - i < 2 || end - i > 3 || end >= folded.size() || folded[end] != '-') continue;
            std::size_t last = end + 1;
            while (isDigit(last)) ++last;
            if (last - end - 1 >= 3)
                caseNumber_ = cases::CaseNumber::parse(std::string_view(folded).substr(i, last - i));
            if (caseNumber_) return;
        }
    }

    static std::string_view trimLeadingColon(std::string_view text) {
        text = detail::trimSpace(text);
        while (text.starts_with(":") || text.starts_with("："))
            text = detail::trimSpace(text.substr(text[0] == ':' ? 1 : 3));
        return text;
    }

    const Question* current_ = nullptr;
    bool suggestionStarted_ = false;
    std::map<std::string, Evidence> evidence_;
    std::optional<cases::CaseNumber> caseNumber_;
};

QuestionAnswer answerFrom(const Question& q, const Evidence& ev) {
    QuestionAnswer a{q.id, AnswerState::Unanswered, {}, {}, {}};
    if (q.kind == AnswerKind::Text) {
        for (const auto& t : ev.texts)
            if (!containsText(a.text, t)) a.text += (a.text.empty() ? "" : "\n") + t;
        if (!a.text.empty()) a.state = AnswerState::Answered;
        return a;
    }
    if (!ev.problem.empty()) {
        a.state = AnswerState::Unreadable;
        a.problem = ev.problem;
    } else if (q.kind == AnswerKind::SingleChoice && ev.choices.size() > 1) {
        a.state = AnswerState::Unreadable;
        a.problem = std::to_string(ev.choices.size()) + " marks on a single-choice question:";
        for (const auto* c : ev.choices) a.problem += " " + c->label;
    } else if (!ev.choices.empty()) {
        a.state = AnswerState::Answered;
        for (const auto& c : q.choices)
            if (std::ranges::find(ev.choices, &c) != ev.choices.end()) a.choiceIds.push_back(c.id);
        a.text = ev.otherText;
    }
    return a;
}

SurveyAnswers ReplyReader::finish() const {
    SurveyAnswers answers;
    for (const auto& q : surveyQuestions()) {
        const auto it = evidence_.find(q.id);
        answers.answers.push_back(answerFrom(q, it == evidence_.end() ? Evidence{} : it->second));
    }
    answers.caseNumber = caseNumber_;
    answers.status = statusOf(answers);
    return answers;
}

}  // namespace

SurveyAnswers parseSurveyReply(std::string_view replyText) {
    ReplyReader reader;
    for (const auto line : detail::splitLines(replyText)) reader.read(line);
    return reader.finish();
}

}  // namespace complaintd::documents
