#include "fixture_year.h"

#include <array>

#include "documents/survey_answers.h"

namespace complaintd::documents::test {
namespace {

// Skewed as a real year is: most complaints are suggestions, by e-mail, for public works.
constexpr std::array kCategories{cases::Category::Suggestion, cases::Category::Suggestion, cases::Category::Rights,
                                 cases::Category::Inquiry,    cases::Category::Suggestion, cases::Category::Rights,
                                 cases::Category::Misconduct, cases::Category::Inquiry,    cases::Category::Other};
constexpr std::array kChannels{cases::Channel::Email,  cases::Channel::Phone, cases::Channel::Email,
                               cases::Channel::Letter, cases::Channel::Email, cases::Channel::Fax,
                               cases::Channel::Phone,  cases::Channel::Email, cases::Channel::InPerson};
constexpr std::array kUnits{"工務組", "環安組", "工務組", "投資服務組", "工務組", "環安組", "綜合行政組"};
constexpr std::array kDaysToAnswer{3, 6, 9, 12, 16, 25, 34};
constexpr std::array<const char*, 8> kSatisfaction{"非常滿意", "滿意", "滿意",     "尚可",
                                                   "不滿意",   "滿意", "非常滿意", "非常不滿意"};

SurveyAnswers fixtureSurvey(int i) {
    auto s = emptyAnswers();
    setAnswer(s, "2", "email");
    setAnswer(s, "6", kSatisfaction[static_cast<std::size_t>(i / 3) % kSatisfaction.size()]);
    setAnswer(s, "5", i % 4 == 0 ? "完全解決" : i % 4 == 1 ? "部分解決" : i % 4 == 2 ? "完全沒有解決" : "不知道");
    setAnswer(s, "3", i % 2 ? "11-20" : "le10");
    if (isDissatisfied(s)) setAnswer(s, "6-1", i % 2 ? "處理時間太慢、問題未解決" : "內容係例稿，欠缺誠意");
    setAnswer(s, "9-sex", i % 2 ? "女" : "男");
    if (i == 9) s.find("4")->state = AnswerState::Unreadable;  // a form with two marks on question 4
    s.status = statusOf(s);
    return s;
}

ReportedCase fixtureCase(int i) {
    ReportedCase r;
    auto& c = r.caseFile;
    const unsigned month = static_cast<unsigned>((i * 5 + i / 4) % 12) + 1, day = static_cast<unsigned>(i * 7 % 27) + 1;
    const auto received = std::chrono::year{2026} / std::chrono::month{month} / std::chrono::day{day};
    c.number = {115, i + 1};
    c.receivedAt = std::chrono::sys_seconds{std::chrono::sys_days{received}} + std::chrono::hours{1};
    c.category = kCategories[static_cast<std::size_t>(i) % kCategories.size()];
    c.channel = kChannels[static_cast<std::size_t>(i * 5 / 3) % kChannels.size()];
    r.unitName = kUnits[static_cast<std::size_t>(i) % kUnits.size()];
    c.subject = "案件" + std::to_string(i + 1);
    // Six complainants come back once more (cases 34..39 repeat 0..5).
    c.complainant.email = "person" + std::to_string(i % 34) + "@example.org";
    const auto start = std::chrono::sys_days{received};
    c.deadlines = cases::Deadlines{start + std::chrono::days{7}, start + std::chrono::days{30}};
    c.status = cases::CaseStatus::Closed;
    if (i % 11 == 0) {
        r.filedReason = cases::filingReasonFrom(i / 11 % 4 + 1);
        c.status = cases::CaseStatus::Filed;
        return r;
    }
    if (i % 13 == 12) {  // still being handled at the end of the year
        c.status = cases::CaseStatus::InProgress;
        return r;
    }
    r.referred = i % 9 == 4;
    r.repliedOn = start + std::chrono::days{kDaysToAnswer[static_cast<std::size_t>(i) % kDaysToAnswer.size()]};
    r.closedOn = std::chrono::sys_days{*r.repliedOn} + std::chrono::days{2};
    if (i % 3 == 0) r.survey = fixtureSurvey(i);
    if (r.survey && isDissatisfied(*r.survey)) r.reopenCount = 1;
    return r;
}

}  // namespace

std::vector<ReportedCase> fixtureYear() {
    std::vector<ReportedCase> year;
    for (int i = 0; i < 40; ++i) year.push_back(fixtureCase(i));
    auto earlier = fixtureCase(1);
    earlier.caseFile.receivedAt = cases::parseIso8601("2025-12-31T10:00:00+08:00");
    year.push_back(earlier);
    return year;
}

}  // namespace complaintd::documents::test
