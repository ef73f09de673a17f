#include <algorithm>
#include <map>
#include <tuple>

#include "documents/annual_report.h"
#include "documents/survey.h"

namespace complaintd::documents {
namespace {

constexpr cases::Category kCategories[] = {cases::Category::Suggestion, cases::Category::Inquiry,
                                           cases::Category::Misconduct, cases::Category::Rights,
                                           cases::Category::Other};
constexpr cases::Channel kChannels[] = {cases::Channel::Letter, cases::Channel::Phone, cases::Channel::Fax,
                                        cases::Channel::Email, cases::Channel::InPerson};

std::size_t indexOf(cases::Category category) {
    return static_cast<std::size_t>(std::ranges::find(kCategories, category) - std::begin(kCategories));
}
std::size_t indexOf(cases::Channel channel) {
    return static_cast<std::size_t>(std::ranges::find(kChannels, channel) - std::begin(kChannels));
}

CrossTable emptyTable(std::string rowHeading, std::vector<std::string> rows, std::string columnHeading,
                      std::vector<std::string> columns) {
    CrossTable t{std::move(rowHeading), std::move(columnHeading), std::move(rows), std::move(columns), {}};
    t.cells.assign(t.rows.size(), std::vector<int>(t.columns.size(), 0));
    return t;
}

std::vector<std::string> categoryLabels() {
    std::vector<std::string> out;
    for (auto c : kCategories) out.emplace_back(cases::labelOf(c));
    return out;
}

std::vector<std::string> monthLabels() {
    std::vector<std::string> out;
    for (int m = 1; m <= 12; ++m) out.push_back(std::to_string(m) + "月");
    return out;
}

std::vector<Count> rowCounts(const CrossTable& t, const std::vector<std::string>& ids) {
    std::vector<Count> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) out.push_back({ids[r], t.rows[r], t.rowTotal(r)});
    return out;
}

// Digits only, so "06-505 0000" and "(06) 5050000" are the same phone.
std::string complainantKey(const cases::Complainant& who) {
    std::string email;
    for (char ch : who.email) email += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!email.empty()) return "email:" + email;
    std::string digits;
    for (char ch : who.phone)
        if (ch >= '0' && ch <= '9') digits += ch;
    if (!digits.empty()) return "phone:" + digits;
    if (!who.name.empty() && !who.address.empty()) return "name:" + who.name + "|" + who.address;
    return {};  // anonymous: cannot be matched with anything
}

std::string answerBucket(int days) {
    if (days <= 10) return "le10";
    if (days <= 20) return "11-20";
    if (days <= 30) return "21-30";
    return "31+";
}

void countDeadline(DeadlineKept& kept, const std::optional<cases::Date>& answered, cases::Date due) {
    if (!answered)
        ++kept.unanswered;
    else if (std::chrono::sys_days(*answered) <= std::chrono::sys_days(due))
        ++kept.onTime;
    else
        ++kept.late;
}

void countTimeliness(AnnualAggregates& out, const ReportedCase& r) {
    if (r.filedReason) return;  // filed cases owe no answer
    const auto days = daysToAnswer(r);
    const auto bucket = days ? answerBucket(*days) : "unanswered";
    for (auto& b : out.answerTime)
        if (b.id == bucket) ++b.count;
    if (const auto& d = r.caseFile.deadlines) {
        countDeadline(out.target, r.repliedOn, d->target);
        countDeadline(out.legal, r.repliedOn, d->legal);
    }
}

SurveySummary emptySurveySummary() {
    SurveySummary s;
    for (const auto& q : surveyQuestions()) {
        if (q.kind == AnswerKind::Text) continue;
        QuestionDistribution d{q.id, q.text, {}, 0, 0};
        for (const auto& c : q.choices) d.choices.push_back({c.id, c.label, 0});
        s.questions.push_back(std::move(d));
    }
    return s;
}

void countSurvey(SurveySummary& s, const SurveyAnswers& answers) {
    ++s.returned;
    ++(answers.status == FormStatus::Complete  ? s.complete
       : answers.status == FormStatus::Partial ? s.partial
                                               : s.unreadable);
    for (auto& d : s.questions) {
        const auto* a = answers.find(d.questionId);
        if (!a || a->state == AnswerState::Unanswered) continue;
        if (a->state == AnswerState::Unreadable) {
            ++d.unreadable;
            continue;
        }
        ++d.answered;
        for (auto& c : d.choices)
            if (std::ranges::find(a->choiceIds, c.id) != a->choiceIds.end()) ++c.count;
    }
    const auto satisfaction = answers.chosen("6");
    if (!satisfaction.empty()) ++s.rated;
    if (satisfaction == "very-satisfied" || satisfaction == "satisfied") ++s.satisfied;
    if (isDissatisfied(answers)) ++s.dissatisfied;
}

}  // namespace

int CrossTable::rowTotal(std::size_t row) const {
    int sum = 0;
    for (int v : cells[row]) sum += v;
    return sum;
}

int CrossTable::columnTotal(std::size_t column) const {
    int sum = 0;
    for (const auto& row : cells) sum += row[column];
    return sum;
}

int CrossTable::total() const {
    int sum = 0;
    for (std::size_t r = 0; r < cells.size(); ++r) sum += rowTotal(r);
    return sum;
}

std::optional<double> DeadlineKept::rate() const {
    if (onTime + late == 0) return std::nullopt;
    return static_cast<double>(onTime) / (onTime + late);
}

std::optional<double> SurveySummary::satisfactionRate() const {
    if (rated == 0) return std::nullopt;
    return static_cast<double>(satisfied) / rated;
}

const QuestionDistribution* SurveySummary::find(std::string_view questionId) const {
    for (const auto& d : questions)
        if (d.questionId == questionId) return &d;
    return nullptr;
}

namespace {

std::string unitOf(const ReportedCase& r) {
    if (!r.unitName.empty()) return r.unitName;
    return r.caseFile.unit.empty() ? "（未分文）" : r.caseFile.unit;
}

// The units with cases, most cases first, then by name: the order of the report's unit table.
std::vector<std::string> unitsByCount(const std::vector<const ReportedCase*>& records) {
    std::map<std::string, int> counts;
    for (const auto* r : records) ++counts[unitOf(*r)];
    std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
    std::ranges::stable_sort(sorted, [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> units;
    for (const auto& [name, count] : sorted) units.push_back(name);
    return units;
}

void setUpTables(AnnualAggregates& out, const std::vector<std::string>& units) {
    std::vector<std::string> channels;
    for (auto c : kChannels) channels.emplace_back(cases::labelOf(c));
    out.categoryByChannel = emptyTable("客訴類別", categoryLabels(), "客訴方式", channels);
    out.categoryByMonth = emptyTable("客訴類別", categoryLabels(), "月份", monthLabels());
    out.unitByCategory = emptyTable("承辦單位", units, "客訴類別", categoryLabels());
    out.answerTime = {{"le10", "10天內", 0},
                      {"11-20", "11－20天", 0},
                      {"21-30", "21－30天", 0},
                      {"31+", "31天以上", 0},
                      {"unanswered", "尚未答復", 0}};
    for (int reason = 1; reason <= 4; ++reason)
        out.filedByReason.push_back(
            {std::to_string(reason), std::string(cases::labelOf(*cases::filingReasonFrom(reason))), 0});
    out.survey = emptySurveySummary();
}

void fillMarginals(AnnualAggregates& out, const std::vector<std::string>& units,
                   const std::map<cases::CaseStatus, int>& statuses) {
    std::vector<std::string> categoryIds, channelIds, monthIds;
    for (auto c : kCategories) categoryIds.emplace_back(cases::idOf(c));
    for (auto c : kChannels) channelIds.emplace_back(cases::idOf(c));
    for (int m = 1; m <= 12; ++m)
        monthIds.push_back(std::to_string(out.year) + (m < 10 ? "-0" : "-") + std::to_string(m));
    out.byCategory = rowCounts(out.categoryByChannel, categoryIds);
    for (std::size_t c = 0; c < channelIds.size(); ++c)
        out.byChannel.push_back(
            {channelIds[c], out.categoryByChannel.columns[c], out.categoryByChannel.columnTotal(c)});
    for (std::size_t m = 0; m < 12; ++m)
        out.byMonth.push_back({monthIds[m], out.categoryByMonth.columns[m], out.categoryByMonth.columnTotal(m)});
    out.byUnit = rowCounts(out.unitByCategory, units);
    for (const auto& [status, count] : statuses)
        out.byStatus.push_back({std::string(cases::idOf(status)), std::string(cases::labelOf(status)), count});
}

// The cases themselves: the register by category and the review forms, as the year-end step asks.
void compileCaseLists(AnnualAggregates& out, std::vector<const ReportedCase*> inYear) {
    std::ranges::sort(inYear, [](const ReportedCase* a, const ReportedCase* b) {
        const auto ca = indexOf(a->caseFile.category), cb = indexOf(b->caseFile.category);
        if (ca != cb) return ca < cb;
        return a->caseFile.number.sequence < b->caseFile.number.sequence;
    });
    // The report goes to the county: a confidential case is listed by its number only.
    for (const auto* r : inYear)
        out.casesByCategory.push_back({std::string(cases::idOf(r->caseFile.category)), r->caseFile.number.toString(),
                                       receivedOn(*r), r->caseFile.confidential ? "（密件）" : r->caseFile.subject,
                                       r->unitName, std::string(cases::labelOf(r->caseFile.status))});
    std::ranges::sort(inYear, [](const ReportedCase* a, const ReportedCase* b) {
        return a->caseFile.number.sequence < b->caseFile.number.sequence;
    });
    for (const auto* r : inYear) {
        if (!r->survey && r->managementOpinion.empty()) continue;
        out.reviews.push_back(reviewFormFor(*r));
        if (r->caseFile.confidential) out.reviews.back().subject = "（密件）";
    }
}
}  // namespace

AnnualAggregates computeAnnualAggregates(int year, const std::vector<ReportedCase>& records) {
    AnnualAggregates out;
    out.year = year;
    out.rocYear = cases::rocYearOf(year);
    std::vector<const ReportedCase*> inYear;
    for (const auto& r : records)
        if (int(receivedOn(r).year()) == year) inYear.push_back(&r);
    const auto units = unitsByCount(inYear);
    setUpTables(out, units);

    using CubeKey = std::tuple<std::size_t, std::size_t, std::string, int>;
    std::map<CubeKey, int> cube;
    std::map<std::string, int> perComplainant;
    std::map<cases::CaseStatus, int> statuses;
    for (const auto* r : inYear) {
        const auto category = indexOf(r->caseFile.category), channel = indexOf(r->caseFile.channel);
        const int month = static_cast<int>(unsigned(receivedOn(*r).month()));
        const auto unit = static_cast<std::size_t>(std::ranges::find(units, unitOf(*r)) - units.begin());
        ++out.totalCases;
        ++out.categoryByChannel.cells[category][channel];
        ++out.categoryByMonth.cells[category][month - 1];
        ++out.unitByCategory.cells[unit][category];
        ++cube[{category, channel, unitOf(*r), month}];
        ++statuses[r->caseFile.status];
        countTimeliness(out, *r);
        if (r->filedReason) {
            ++out.filedByReason[static_cast<std::size_t>(*r->filedReason) - 1].count;
            ++out.filed;
        }
        if (r->referred) ++out.referrals;
        if (r->reopenCount > 0) ++out.reopened;
        if (const auto key = complainantKey(r->caseFile.complainant); !key.empty()) ++perComplainant[key];
        if (r->survey) countSurvey(out.survey, *r->survey);
    }
    for (const auto& [key, count] : cube)
        out.cells.push_back({std::string(cases::idOf(kCategories[std::get<0>(key)])),
                             std::string(cases::idOf(kChannels[std::get<1>(key)])), std::get<2>(key), std::get<3>(key),
                             count});
    for (const auto& [key, count] : perComplainant) {
        if (count < 2) continue;
        ++out.repeatComplainants;
        out.casesFromRepeatComplainants += count;
    }
    fillMarginals(out, units, statuses);
    compileCaseLists(out, inYear);
    return out;
}

}  // namespace complaintd::documents
