// complaintctl survey, review and report: the satisfaction survey entered by
// staff, the review analysis form (附表三) and the annual report, rendered by
// the documents library from what the store holds.
#include <algorithm>
#include <ostream>

#include "case_view.h"
#include "center/center_book.h"
#include "center/confidential_view.h"
#include "center/procedure.h"
#include "center/survey_codec.h"
#include "commands.h"
#include "documents/annual_report.h"
#include "documents/reported_case.h"
#include "documents/review_form.h"
#include "documents/survey.h"
#include "output_file.h"

namespace complaintd::ctl {
namespace {

// The latest opinion recorded on the case, with who gave it.
std::string latestOpinion(const cases::CaseRecord& record) {
    for (auto e = record.history.rbegin(); e != record.history.rend(); ++e)
        if (e->kind == cases::EventKind::ReviewOpinion) return e->note + "（" + e->actor + "）";
    return "";
}

// The documents library's view of a case, from the record, its history, its survey and the opinion.
documents::ReportedCase reportedCaseOf(center::Store& store, const cases::CaseRecord& r,
                                       const routing::UnitDirectory& units, Disclosure disclosure) {
    const auto* unit = units.find(r.fields.unit);
    auto d = documents::reportedCase(r, unit ? unit->name : r.fields.unit);
    // The documents print the subject, never the complainant, whom the annual report only
    // counts (repeat complainants): the complainant fields stay, the text is redacted.
    const auto shown = shownCase(r.fields, disclosure);
    d.caseFile.subject = shown.subject;
    d.caseFile.summary = shown.summary;
    if (const auto survey = store.survey(r.fields.number)) d.survey = center::surveyFromJson(survey->answersJson);
    // A confidential complainant's own words (其他, 其他建議) stay out of what is not revealed.
    if (d.survey && r.fields.confidential && disclosure != Disclosure::Revealed)
        for (auto& answer : d.survey->answers)
            if (!answer.text.empty()) answer.text = "（密件）";
    const auto opinion = latestOpinion(r);
    d.managementOpinion = disclosure == Disclosure::Revealed ? opinion : center::redactedText(r.fields, opinion);
    return d;
}

enum class Output { Text, Binary };

// To --output FILE, or to stdout (complaintctl report ... --format pdf > report.pdf): a PDF as it
// is, text through the terminal filter like everything else.
void writeOutput(const Context& ctx, const CommandLine& line, const std::string& bytes, Output kind) {
    if (const auto file = line.option("output")) {
        writeNewFile(ctx, *file, bytes);
        return;
    }
    if (kind == Output::Text) {
        ctx.out << bytes;
        return;
    }
    ctx.out.flush();
    ctx.bytes << bytes;
}

// The choices ticked, as the form prints them with the id to --set them by, and the words written
// (after 其他, or the 其他建議 text): "問題未解決 (not-solved)、處理時間太慢 (too-slow)".
std::string answerText(const documents::Question& question, const documents::QuestionAnswer& answer) {
    std::string text;
    for (const auto& id : answer.choiceIds) {
        const auto choice = std::find_if(question.choices.begin(), question.choices.end(),
                                         [&](const documents::Choice& c) { return c.id == id; });
        text += (text.empty() ? "" : "、") + (choice == question.choices.end() ? id : choice->label + " (" + id + ")");
    }
    if (!answer.text.empty()) text += (text.empty() ? "" : "：") + answer.text;
    return text;
}

void printSurvey(const Context& ctx, const documents::SurveyAnswers& answers, const cases::Case& c,
                 Disclosure disclosure) {
    for (const auto& q : documents::surveyQuestions()) {
        const auto* a = answers.find(q.id);
        std::string value = "-";
        if (a && a->state == documents::AnswerState::Unreadable)
            value = "(unreadable: " + a->problem + ")";
        else if (a && a->state == documents::AnswerState::Answered)
            value = answerText(q, *a);
        if (disclosure == Disclosure::Redacted) value = center::redactedText(c, value);
        ctx.out << "  " << q.id << "  " << q.text << "\n      " << value << "\n";
    }
}

// A survey entered after a later reply (the case was reopened and answered again) is about that
// reply: a new round, from blank.
bool answeredSince(const cases::CaseRecord& record, cases::Timestamp at) {
    return std::any_of(record.history.begin(), record.history.end(), [&](const cases::CaseEvent& e) {
        return e.toStatus == cases::CaseStatus::Replied && e.at > at;
    });
}

// Every answer stored, first first: what the complainant said after each reply.
void printRounds(const Context& ctx, const std::vector<center::Store::StoredSurvey>& rounds) {
    if (rounds.size() < 2) return;
    ctx.out << "Rounds (every answer stored, the first first):\n";
    for (std::size_t i = 0; i < rounds.size(); ++i) {
        const auto answers = center::surveyFromJson(rounds[i].answersJson);
        ctx.out << "  " << i + 1 << ". " << cases::formatIso8601(rounds[i].at) << "  " << rounds[i].status << " by "
                << rounds[i].source << (documents::isDissatisfied(answers) ? "  dissatisfied" : "") << "\n";
    }
}

}  // namespace

void surveyCommand(const Context& ctx, const CommandLine& line) {
    const std::string usage = "survey CASE [--reveal] [--set QUESTION=ANSWER]... [--via paper|phone|fax]";
    expectWords(line, 2, usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    auto& store = desk.store;
    const auto record = store.findCase(number);
    if (!record) throw NotFoundError("no case " + number.toString());
    const auto stored = store.survey(number);
    auto answers = stored && !answeredSince(*record, stored->at) ? center::surveyFromJson(stored->answersJson)
                                                                 : documents::emptyAnswers();
    if (line.sets.empty()) {
        ctx.out << number.toString() << " survey: " << (stored ? stored->status + " by " + stored->source : "none")
                << "\n";
        if (stored) answers = center::surveyFromJson(stored->answersJson);
        printSurvey(ctx, answers, record->fields, disclosureFor(ctx, line, store, {*record}));
        return printRounds(ctx, store.surveyRounds(number));
    }
    for (const auto& assignment : line.sets)
        if (const auto problem = documents::setAnswer(answers, assignment)) throw UsageError(*problem);
    answers.status = documents::statusOf(answers);
    const auto person = actorFor(line, store, cases::StaffAction::EnterSurvey, number);
    const auto via = line.option("via").value_or("paper");
    const auto now = ctx.now();
    store.saveSurvey(number, {std::string(documents::idOf(answers.status)), via, center::surveyToJson(answers), now},
                     "", person.id);
    ctx.out << number.toString() << " survey " << documents::idOf(answers.status) << " (" << via << ")\n";
    if (!documents::isDissatisfied(answers)) return;
    desk.procedure.reopenDissatisfied(*record, "survey by " + via, now);
    ctx.out << number.toString() << " the complainant is not satisfied: reopened, the unit is told\n";
}

namespace {

// The opinion of `review CASE --set 檢討意見=TEXT` (or opinion=TEXT); nullopt without --set.
std::optional<std::string> opinionOf(const CommandLine& line) {
    if (line.sets.empty()) return std::nullopt;
    if (line.sets.size() > 1) throw UsageError("review takes one --set 檢討意見=TEXT");
    const auto& set = line.sets.front();
    const auto equals = set.find('=');
    const auto key = set.substr(0, equals);
    if (equals == std::string::npos || (key != "檢討意見" && key != "opinion"))
        throw UsageError("review CASE --set 檢討意見=TEXT records management's opinion (長官、主管及各單位意見及建議)");
    return set.substr(equals + 1);
}

}  // namespace

void reviewCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "review CASE [--set 檢討意見=TEXT] [--format pdf|text] [--output FILE] [--reveal]");
    const auto number = caseNumberArgument(line.words[1]);
    if (const auto opinion = opinionOf(line)) {
        Desk desk(ctx);
        desk.procedure.recordReviewOpinion(number, *opinion, actingPerson(line, desk.store), ctx.now());
        ctx.out << number.toString() << " review opinion recorded (附表三)\n";
        return;
    }
    const auto format = line.option("format").value_or("text");
    if (format != "pdf" && format != "text") throw UsageError("--format is pdf or text");
    auto store = ctx.store();
    const auto record = store.findCase(number);
    if (!record) throw NotFoundError("no case " + number.toString());
    const auto disclosure = disclosureFor(ctx, line, store, {*record});
    const auto form = documents::reviewFormFor(reportedCaseOf(store, *record, ctx.units(), disclosure));
    if (format == "pdf")
        writeOutput(ctx, line, documents::renderReviewPdf(form), Output::Binary);
    else
        writeOutput(ctx, line, documents::renderReviewText(form), Output::Text);
}

void reportCommand(const Context& ctx, const CommandLine& line) {
    const std::string usage = "report annual --year YYYY [--format pdf|csv|json] [--output FILE]";
    if (line.words.size() != 2 || line.words[1] != "annual") throw UsageError("usage: complaintctl " + usage);
    const int year = yearArgument(line, usage);
    const auto format = line.option("format").value_or("json");
    if (format != "pdf" && format != "csv" && format != "json") throw UsageError("--format is pdf, csv or json");
    auto store = ctx.store();
    const auto units = ctx.units();
    std::vector<documents::ReportedCase> records;
    for (const auto& r : store.caseRecords()) {
        // The report needs each case's history (replied, reopened), which the list leaves out.
        if (const auto full = store.findCase(r.fields.number))
            records.push_back(reportedCaseOf(store, *full, units, Disclosure::Redacted));
    }
    const auto report = documents::computeAnnualAggregates(year, records);
    const std::string bytes = format == "pdf"   ? documents::renderAnnualReportPdf(report, ctx.settings().centerName)
                              : format == "csv" ? documents::renderAnnualReportCsv(report)
                                                : documents::renderAnnualReportJson(report);
    writeOutput(ctx, line, bytes, format == "pdf" ? Output::Binary : Output::Text);
}

}  // namespace complaintd::ctl
