// The annual report to the county government (procedure §7): the register by
// category (客訴案件類總表) and the year's statistics, computed from one
// ReportedCase per case, and rendered as a PDF with charts, as CSV (UTF-8 with
// BOM, for Excel) and as JSON. Computing and rendering are pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "documents/reported_case.h"
#include "documents/review_form.h"
#include "documents/survey_form.h"

namespace complaintd::documents {

struct Count {
    std::string id;     // stable: a category, channel or choice id, "2026-03", a unit name
    std::string label;  // zh-TW as printed
    int count = 0;
};

// A table of counts with its row and column headings, in print order.
struct CrossTable {
    std::string rowHeading;     // "客訴類別"
    std::string columnHeading;  // "客訴方式"
    std::vector<std::string> rows;
    std::vector<std::string> columns;
    std::vector<std::vector<int>> cells;  // cells[row][column]

    int rowTotal(std::size_t row) const;
    int columnTotal(std::size_t column) const;
    int total() const;
};

// One non-empty cell of category × channel × unit × month.
struct CubeCell {
    std::string category;  // category id
    std::string channel;   // channel id
    std::string unit;      // unit name
    int month = 0;         // 1..12
    int count = 0;
};

// Whether answers kept a deadline. Cases not yet answered are counted apart: whether they are late
// depends on the day the report is made, which a pure function does not know.
struct DeadlineKept {
    int onTime = 0;
    int late = 0;
    int unanswered = 0;
    std::optional<double> rate() const;  // onTime / (onTime + late); nullopt with no answered case
};

struct QuestionDistribution {
    std::string questionId;
    std::string text;
    std::vector<Count> choices;  // every choice of the question, in the order of the form
    int answered = 0;            // answers read (a multiple-choice answer counts once)
    int unreadable = 0;
};

struct SurveySummary {
    int returned = 0;  // surveys received back
    int complete = 0;
    int partial = 0;
    int unreadable = 0;
    std::vector<QuestionDistribution> questions;     // every choice question of 附表二
    int satisfied = 0;                               // 非常滿意 or 滿意 on question 6
    int rated = 0;                                   // readable answers to question 6
    int dissatisfied = 0;                            // isDissatisfied(): handling had to continue
    std::optional<double> satisfactionRate() const;  // satisfied / rated
    // The distribution of a question ("6-1" holds the reasons for dissatisfaction); nullptr if none.
    const QuestionDistribution* find(std::string_view questionId) const;
};

// One line of the register by category (客訴案件類總表): a case of the year.
struct RegisteredCase {
    std::string category;  // id, as cells name it
    std::string caseNumber;
    cases::Date receivedOn{};
    std::string subject;
    std::string unitName;
    std::string status;  // zh-TW label
};

struct AnnualAggregates {
    int year = 0;  // Gregorian
    int rocYear = 0;
    int totalCases = 0;
    std::vector<Count> byCategory;  // the five categories
    std::vector<Count> byChannel;   // the five channels
    std::vector<Count> byUnit;      // most cases first
    std::vector<Count> byMonth;     // twelve months
    std::vector<Count> byStatus;    // statuses with at least one case
    CrossTable categoryByChannel;   // 客訴案件類總表
    CrossTable categoryByMonth;
    CrossTable unitByCategory;
    std::vector<CubeCell> cells;       // the full category × channel × unit × month count
    std::vector<Count> answerTime;     // le10, 11-20, 21-30, 31+ days (the survey's buckets), unanswered
    DeadlineKept target;               // the handling target (7 days)
    DeadlineKept legal;                // the legal limit (30 days)
    std::vector<Count> filedByReason;  // 存查, reasons 1 to 4
    int filed = 0;
    int referrals = 0;
    int repeatComplainants = 0;  // complainants with two or more cases in the year
    int casesFromRepeatComplainants = 0;
    int reopened = 0;  // cases reopened at least once because the complainant was not satisfied
    SurveySummary survey;
    // 客訴案件類總表: every case of the year, by category (in the order of byCategory), then by number.
    std::vector<RegisteredCase> casesByCategory;
    // 檢討分析: the review form (附表三) of every case of the year with a returned survey or
    // management's opinion, by number, compiled for the county government as the procedure asks.
    std::vector<ReviewForm> reviews;
};

// The aggregates of the cases received in Gregorian `year` (local date); other records are ignored.
// Time to answer and deadlines count only cases that owe an answer (not filed). A complainant is the
// same when the e-mail address, else the phone digits, else name and address agree.
AnnualAggregates computeAnnualAggregates(int year, const std::vector<ReportedCase>& records);

// The report as A4 pages with tables and charts, zh-TW. Throws complaintd::Error when cairo fails.
std::string renderAnnualReportPdf(const AnnualAggregates& report, const std::string& centerName = kCenterName);

// Every table of the report, one after another with a title line, zh-TW headings; UTF-8 with a BOM and
// CRLF line ends so that Excel opens it as it is.
std::string renderAnnualReportCsv(const AnnualAggregates& report);

// The same aggregates as one JSON object (UTF-8), ids in English, labels in zh-TW.
std::string renderAnnualReportJson(const AnnualAggregates& report);

}  // namespace complaintd::documents
