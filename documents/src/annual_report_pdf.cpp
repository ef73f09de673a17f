#include <algorithm>

#include "documents/annual_report.h"
#include "documents/reply_letter.h"
#include "report_drawing.h"

namespace complaintd::documents {
namespace {

using detail::Align;
using detail::Bar;
using detail::Flow;
using detail::percent;
using detail::TableColumn;
using detail::TextStyle;
using detail::Weight;

const TextStyle kTitle{20, Weight::Bold, Align::Center};
const TextStyle kSubtitle{12, Weight::Regular, Align::Center};
const TextStyle kSection{15, Weight::Bold, Align::Left};
const TextStyle kBody{11.5, Weight::Regular, Align::Left, 0.45};

// 壹 貳 參 …: the numbering of a report's parts in government documents.
const char* const kSectionNumbers[] = {"壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖"};

void section(Flow& flow, int number, const std::string& title) {
    flow.keep(120);  // a heading never ends a page alone
    flow.space(8);
    flow.paragraph(std::string(kSectionNumbers[number]) + "、" + title, kSection);
    flow.space(8);
}

std::string n(int value) { return std::to_string(value); }

std::vector<Bar> barsOf(const std::vector<Count>& counts) {
    std::vector<Bar> bars;
    for (const auto& c : counts) bars.push_back({c.label, static_cast<double>(c.count)});
    return bars;
}

// A cross table with a total column and a total row, the first column `firstWidth` wide.
void crossTable(Flow& flow, const CrossTable& t, double firstWidth, double fontSize) {
    const double cell = (flow.width() - firstWidth) / static_cast<double>(t.columns.size() + 1);
    std::vector<TableColumn> columns{{t.rowHeading + "＼" + t.columnHeading, firstWidth, Align::Left}};
    for (const auto& c : t.columns) columns.push_back({c, cell, Align::Right});
    columns.push_back({"合計", cell, Align::Right});
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        rows.push_back({t.rows[r]});
        for (int v : t.cells[r]) rows.back().push_back(n(v));
        rows.back().push_back(n(t.rowTotal(r)));
    }
    rows.push_back({"合計"});
    for (std::size_t c = 0; c < t.columns.size(); ++c) rows.back().push_back(n(t.columnTotal(c)));
    rows.back().push_back(n(t.total()));
    detail::drawTable(flow, columns, rows, fontSize);
}

int answered(const AnnualAggregates& r) {
    int sum = 0;
    for (const auto& b : r.answerTime)
        if (b.id != "unanswered") sum += b.count;
    return sum;
}

void overview(Flow& flow, const AnnualAggregates& r) {
    section(flow, 0, "總覽");
    const auto top = std::ranges::max_element(r.byCategory, {}, &Count::count);
    std::string text = "本年度共受理客訴案件" + n(r.totalCases) + "件";
    if (r.totalCases > 0 && top != r.byCategory.end()) text += "，以「" + top->label + "」" + n(top->count) + "件最多";
    text += "；已正式答復" + n(answered(r)) + "件，存查" + n(r.filed) + "件，轉介主管機關" + n(r.referrals) + "件。";
    flow.paragraph(text, kBody);
    flow.space(8);
    const double half = flow.width() / 2;
    detail::drawTable(flow, {{"項目", half, Align::Left}, {"數值", half, Align::Right}},
                      {{"受理案件數", n(r.totalCases) + " 件"},
                       {"已正式答復", n(answered(r)) + " 件"},
                       {"七日內答復率（預定結案日期）", percent(r.target.rate())},
                       {"三十日內答復率（法定處理期限）", percent(r.legal.rate())},
                       {"存查（不予處理）", n(r.filed) + " 件"},
                       {"轉介主管機關", n(r.referrals) + " 件"},
                       {"不滿意續辦", n(r.reopened) + " 件"},
                       {"重複陳情人", n(r.repeatComplainants) + " 人（" + n(r.casesFromRepeatComplainants) + " 件）"},
                       {"滿意度調查表回收", n(r.survey.returned) + " 份"},
                       {"答覆內容滿意度（非常滿意及滿意）", percent(r.survey.satisfactionRate())}},
                      10.5);
}

void categoryRegister(Flow& flow, const AnnualAggregates& r) {
    section(flow, 1, "客訴案件類總表（依客訴類別及客訴方式）");
    crossTable(flow, r.categoryByChannel, 130, 10);
    detail::drawBarChart(flow, "各類別案件數", barsOf(r.byCategory), 150);
}

void months(Flow& flow, const AnnualAggregates& r) {
    section(flow, 2, "各月份受理情形");
    detail::drawBarChart(flow, "各月份受理案件數", barsOf(r.byMonth), 150);
    crossTable(flow, r.categoryByMonth, 92, 8.5);
}

void units(Flow& flow, const AnnualAggregates& r) {
    section(flow, 3, "各承辦單位受理情形");
    crossTable(flow, r.unitByCategory, 96, 9);
    detail::drawHorizontalBarChart(flow, "各承辦單位案件數", barsOf(r.byUnit));
}

void timeliness(Flow& flow, const AnnualAggregates& r) {
    section(flow, 4, "答復時效");
    detail::drawBarChart(flow, "收文至正式答復日數", barsOf(r.answerTime), 130);
    const double w = flow.width() / 5;
    auto row = [](const std::string& name, const DeadlineKept& k) {
        return std::vector<std::string>{name, n(k.onTime), n(k.late), n(k.unanswered), percent(k.rate())};
    };
    detail::drawTable(flow,
                      {{"期限", w * 1.4, Align::Left},
                       {"期限內答復", w * 0.9},
                       {"逾期答復", w * 0.9},
                       {"尚未答復", w * 0.9},
                       {"準時率", w * 0.9}},
                      {row("預定結案日期（7日）", r.target), row("法定處理期限（30日）", r.legal)}, 10);
    flow.paragraph("註：準時率為期限內答復件數占已答復件數之比率；存查案件不列入計算。", TextStyle{9.5});
}

void filing(Flow& flow, const AnnualAggregates& r) {
    section(flow, 5, "存查、轉介及重複陳情");
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : r.filedByReason)
        rows.push_back({"第" + chineseNumeral(std::stoi(f.id)) + "款", f.label, n(f.count)});
    rows.push_back({"合計", "", n(r.filed)});
    detail::drawTable(flow, {{"款別", 60, Align::Center}, {"存查事由", flow.width() - 120, Align::Left}, {"件數", 60}},
                      rows, 10);
    flow.paragraph("轉介相關主管機關：" + n(r.referrals) + "件。", kBody);
    flow.paragraph("重複陳情人（同一陳情人本年度陳情二次以上）：" + n(r.repeatComplainants) + "人，計" +
                       n(r.casesFromRepeatComplainants) + "件。",
                   kBody);
    flow.paragraph("陳情人不滿意而續辦之案件：" + n(r.reopened) + "件。", kBody);
}

// From very satisfied (green) to very dissatisfied (red), the answers without an opinion in greys.
const std::vector<detail::Rgb> kSatisfactionColors{{0.10, 0.47, 0.24}, {0.42, 0.70, 0.38}, {0.86, 0.74, 0.30},
                                                   {0.91, 0.50, 0.18}, {0.76, 0.13, 0.13}, {0.55, 0.55, 0.55},
                                                   {0.70, 0.70, 0.70}, {0.40, 0.40, 0.40}};

// Every choice question: its wording on a row of its own, then each choice with its count and share.
void surveyTable(Flow& flow, const SurveySummary& s) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : s.questions) {
        rows.push_back({findQuestion(d.questionId)->label, d.text, "", ""});
        for (const auto& c : d.choices) {
            const auto share = d.answered ? std::optional<double>(double(c.count) / d.answered) : std::nullopt;
            rows.push_back({"", "　" + c.label, n(c.count), percent(share)});
        }
        rows.push_back({"", "　有效填答（另無法判讀 " + n(d.unreadable) + " 份）", n(d.answered), ""});
    }
    const double w = flow.width();
    detail::drawTable(
        flow, {{"題號", 60, Align::Center}, {"題目及選項", w - 200, Align::Left}, {"件數", 60}, {"占有效填答", 80}},
        rows, 9.5);
}

void survey(Flow& flow, const AnnualAggregates& r) {
    section(flow, 6, "滿意度調查（客訴案件處理情形調查表）");
    const auto& s = r.survey;
    flow.paragraph("本年度回收調查表" + n(s.returned) + "份（填答完整" + n(s.complete) + "份、部分填答" + n(s.partial) +
                       "份、無法判讀" + n(s.unreadable) +
                       "份）。答覆內容滿意度（第6題勾選「非常滿意」或「滿意」者占有效填答之比率）為" +
                       percent(s.satisfactionRate()) + "；陳情人表示不滿意或問題完全沒有解決者" + n(s.dissatisfied) +
                       "件，均依作業說明續辦。",
                   kBody);
    flow.space(10);
    if (s.returned == 0) return;
    if (const auto* q6 = s.find("6"))
        detail::drawStackedBar(flow, "答覆內容滿意度（第6題）", barsOf(q6->choices), kSatisfactionColors);
    if (const auto* q5 = s.find("5"))
        detail::drawHorizontalBarChart(flow, "問題解決情形（第5題）", barsOf(q5->choices));
    if (const auto* q61 = s.find("6-1"))
        detail::drawHorizontalBarChart(flow, "不滿意的理由（第6-1題，可複選）", barsOf(q61->choices));
    flow.keep(200);
    flow.paragraph("各題填答分布", TextStyle{11, Weight::Bold});
    flow.space(6);
    surveyTable(flow, s);
}

// The register by category, case by case: what the county reads the counts of 貳 from.
void caseRegister(Flow& flow, const AnnualAggregates& r) {
    section(flow, 7, "客訴案件類總表（逐案，依客訴類別）");
    const double w = flow.width();
    for (const auto& category : r.byCategory) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : r.casesByCategory)
            if (c.category == category.id)
                rows.push_back({c.caseNumber, cases::formatRocDate(c.receivedOn), c.subject, c.unitName, c.status});
        if (rows.empty()) continue;
        flow.keep(80);
        flow.paragraph(category.label + "（" + n(category.count) + "件）", TextStyle{11, Weight::Bold});
        flow.space(4);
        detail::drawTable(flow,
                          {{"案件編號", 62, Align::Left},
                           {"收文日期", 92, Align::Left},
                           {"案由", w - 62 - 92 - 70 - 60, Align::Left},
                           {"承辦單位", 70, Align::Left},
                           {"處理情形", 60, Align::Left}},
                          rows, 9);
        flow.space(8);
    }
}

// 附表三 of every reviewed case (a survey returned or an opinion recorded), one after the other.
void reviews(Flow& flow, const AnnualAggregates& r) {
    section(flow, 8, "客訴案件檢討分析（附表三彙整）");
    if (r.reviews.empty()) {
        flow.paragraph("本年度無回收調查表或長官意見之案件。", kBody);
        return;
    }
    for (const auto& f : r.reviews) {
        flow.keep(110);
        flow.paragraph(f.caseNumber.toString() + "　" + f.subject + "（" + f.unitName + "）",
                       TextStyle{11, Weight::Bold});
        flow.labelled("滿意度調查檢討分析：", f.surveyAnalysis, kBody, 12);
        flow.labelled("案件處理分析：", f.handlingAnalysis, kBody, 12);
        flow.labelled("長官、主管及各單位意見及建議：", f.managementOpinion.empty() ? "（無）" : f.managementOpinion,
                      kBody, 12);
        flow.space(8);
    }
}

}  // namespace

std::string renderAnnualReportPdf(const AnnualAggregates& report, const std::string& centerName) {
    const auto roc = std::to_string(report.rocYear);
    detail::PdfDocument doc(centerName + roc + "年度客訴案件處理成果報告", detail::PageNumbers::Shown);
    Flow flow(doc);
    flow.paragraph(centerName, kTitle);
    flow.space(4);
    flow.paragraph(roc + "年度客訴案件處理成果報告", kTitle);
    flow.space(6);
    flow.paragraph("（統計期間：中華民國" + roc + "年1月1日至" + roc + "年12月31日）", kSubtitle);
    flow.space(14);
    overview(flow, report);
    categoryRegister(flow, report);
    months(flow, report);
    units(flow, report);
    timeliness(flow, report);
    filing(flow, report);
    survey(flow, report);
    caseRegister(flow, report);
    reviews(flow, report);
    return doc.finish();
}

}  // namespace complaintd::documents
