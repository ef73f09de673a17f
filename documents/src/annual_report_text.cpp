// The annual aggregates as CSV (for Excel) and JSON (for other programs). Both are written by hand:
// the shapes are small and fixed, and the pure core takes no JSON library for it.
#include <cstdio>

#include "documents/annual_report.h"
#include "documents/reply_letter.h"

namespace complaintd::documents {
namespace {

std::string n(int value) { return std::to_string(value); }

std::string ratio(std::optional<double> value, const char* format, double scale) {
    if (!value) return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, *value * scale);
    return buffer;
}

// --- CSV -------------------------------------------------------------------------------------------

class Csv {
public:
    void row(const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) out_ += (i ? "," : "") + quoted(fields[i]);
        out_ += "\r\n";
    }
    void title(const std::string& text) {
        if (!out_.empty()) out_ += "\r\n";
        row({text});
    }
    void counts(const std::string& heading, const std::vector<Count>& counts) {
        row({heading, "件數"});
        for (const auto& c : counts) row({c.label, n(c.count)});
    }
    void table(const CrossTable& t) {
        std::vector<std::string> heading{t.rowHeading + "＼" + t.columnHeading};
        heading.insert(heading.end(), t.columns.begin(), t.columns.end());
        heading.push_back("合計");
        row(heading);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            std::vector<std::string> fields{t.rows[r]};
            for (int v : t.cells[r]) fields.push_back(n(v));
            fields.push_back(n(t.rowTotal(r)));
            row(fields);
        }
        std::vector<std::string> totals{"合計"};
        for (std::size_t c = 0; c < t.columns.size(); ++c) totals.push_back(n(t.columnTotal(c)));
        totals.push_back(n(t.total()));
        row(totals);
    }
    std::string str() const { return "\xEF\xBB\xBF" + out_; }  // the BOM tells Excel the file is UTF-8

private:
    static std::string quoted(const std::string& field) {
        if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
        std::string out = "\"";
        for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    }
    std::string out_;
};

void deadlineRows(Csv& csv, const AnnualAggregates& r) {
    csv.row({"期限", "期限內答復", "逾期答復", "尚未答復", "準時率"});
    for (const auto& [name, k] :
         {std::pair{"預定結案日期（7日）", &r.target}, std::pair{"法定處理期限（30日）", &r.legal}})
        csv.row({name, n(k->onTime), n(k->late), n(k->unanswered), ratio(k->rate(), "%.1f%%", 100)});
}

void surveyRows(Csv& csv, const SurveySummary& s) {
    csv.row({"項目", "數值"});
    csv.row({"回收份數", n(s.returned)});
    csv.row({"填答完整", n(s.complete)});
    csv.row({"部分填答", n(s.partial)});
    csv.row({"無法判讀", n(s.unreadable)});
    csv.row({"滿意度（非常滿意及滿意）", ratio(s.satisfactionRate(), "%.1f%%", 100)});
    csv.row({"不滿意續辦", n(s.dissatisfied)});
    csv.title("各題填答分布");
    csv.row({"題號", "題目", "選項代碼", "選項", "件數", "有效填答", "無法判讀"});
    for (const auto& d : s.questions)
        for (const auto& c : d.choices)
            csv.row({d.questionId, d.text, c.id, c.label, n(c.count), n(d.answered), n(d.unreadable)});
}

// --- JSON ------------------------------------------------------------------------------------------

std::string json(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string json(const Count& c) {
    return "{\"id\": " + json(c.id) + ", \"label\": " + json(c.label) + ", \"count\": " + n(c.count) + "}";
}

template <typename T, typename F>
std::string array(const std::vector<T>& items, F each, const std::string& indent) {
    if (items.empty()) return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += indent + "  " + each(items[i]) + (i + 1 < items.size() ? ",\n" : "\n");
    return out + indent + "]";
}

std::string counts(const std::vector<Count>& items, const std::string& indent = "  ") {
    return array(
        items, [](const Count& c) { return json(c); }, indent);
}

std::string strings(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json(items[i]);
    return out + "]";
}

std::string json(const CrossTable& t) {
    std::string cells = array(
        t.cells,
        [](const std::vector<int>& row) {
            std::string out = "[";
            for (std::size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + n(row[i]);
            return out + "]";
        },
        "    ");
    return "{\n    \"rowHeading\": " + json(t.rowHeading) + ",\n    \"columnHeading\": " + json(t.columnHeading) +
           ",\n    \"rows\": " + strings(t.rows) + ",\n    \"columns\": " + strings(t.columns) +
           ",\n    \"cells\": " + cells + "\n  }";
}

std::string json(const DeadlineKept& k) {
    const auto rate = ratio(k.rate(), "%.4f", 1);
    return "{\"onTime\": " + n(k.onTime) + ", \"late\": " + n(k.late) + ", \"unanswered\": " + n(k.unanswered) +
           ", \"rate\": " + (rate.empty() ? "null" : rate) + "}";
}

std::string json(const SurveySummary& s) {
    const auto rate = ratio(s.satisfactionRate(), "%.4f", 1);
    auto question = [](const QuestionDistribution& d) {
        return "{\"id\": " + json(d.questionId) + ", \"text\": " + json(d.text) + ", \"answered\": " + n(d.answered) +
               ", \"unreadable\": " + n(d.unreadable) + ", \"choices\": " + counts(d.choices, "      ") + "}";
    };
    return "{\n    \"returned\": " + n(s.returned) + ",\n    \"complete\": " + n(s.complete) +
           ",\n    \"partial\": " + n(s.partial) + ",\n    \"unreadable\": " + n(s.unreadable) +
           ",\n    \"satisfied\": " + n(s.satisfied) + ",\n    \"rated\": " + n(s.rated) +
           ",\n    \"satisfactionRate\": " + (rate.empty() ? "null" : rate) +
           ",\n    \"dissatisfied\": " + n(s.dissatisfied) +
           ",\n    \"questions\": " + array(s.questions, question, "    ") + "\n  }";
}

std::string json(const CubeCell& c) {
    return "{\"category\": " + json(c.category) + ", \"channel\": " + json(c.channel) + ", \"unit\": " + json(c.unit) +
           ", \"month\": " + n(c.month) + ", \"count\": " + n(c.count) + "}";
}

}  // namespace

std::string renderAnnualReportCsv(const AnnualAggregates& r) {
    Csv csv;
    csv.row({std::to_string(r.rocYear) + "年度客訴案件統計", "受理案件數", n(r.totalCases)});
    csv.title("客訴案件類總表");
    csv.table(r.categoryByChannel);
    csv.title("各月份受理件數");
    csv.table(r.categoryByMonth);
    csv.title("各承辦單位受理件數");
    csv.table(r.unitByCategory);
    csv.title("目前處理情形");
    csv.counts("處理情形", r.byStatus);
    csv.title("收文至正式答復日數");
    csv.counts("日數", r.answerTime);
    csv.title("答復時效");
    deadlineRows(csv, r);
    csv.title("存查");
    csv.row({"款別", "存查事由", "件數"});
    for (const auto& f : r.filedByReason) csv.row({"第" + chineseNumeral(std::stoi(f.id)) + "款", f.label, n(f.count)});
    csv.title("轉介、重複陳情及續辦");
    csv.row({"項目", "數值"});
    csv.row({"轉介主管機關", n(r.referrals)});
    csv.row({"重複陳情人", n(r.repeatComplainants)});
    csv.row({"重複陳情人案件數", n(r.casesFromRepeatComplainants)});
    csv.row({"不滿意續辦", n(r.reopened)});
    csv.title("滿意度調查");
    surveyRows(csv, r.survey);
    csv.title("明細（客訴類別×客訴方式×承辦單位×月份）");
    csv.row({"客訴類別", "客訴方式", "承辦單位", "月份", "件數"});
    for (const auto& c : r.cells) {
        const auto category = cases::categoryFrom(c.category);
        const auto channel = cases::channelFrom(c.channel);
        csv.row({category ? std::string(cases::labelOf(*category)) : c.category,
                 channel ? std::string(cases::labelOf(*channel)) : c.channel, c.unit, n(c.month), n(c.count)});
    }
    csv.title("客訴案件類總表（逐案）");
    csv.row({"客訴類別", "案件編號", "收文日期", "案由", "承辦單位", "處理情形"});
    for (const auto& c : r.casesByCategory) {
        const auto category = cases::categoryFrom(c.category);
        csv.row({category ? std::string(cases::labelOf(*category)) : c.category, c.caseNumber,
                 cases::formatRocDate(c.receivedOn), c.subject, c.unitName, c.status});
    }
    csv.title("客訴案件檢討分析（附表三彙整）");
    csv.row({"案件編號", "案由", "承辦單位", "滿意度調查檢討分析", "案件處理分析", "長官、主管及各單位意見及建議"});
    for (const auto& f : r.reviews)
        csv.row({f.caseNumber.toString(), f.subject, f.unitName, f.surveyAnalysis, f.handlingAnalysis,
                 f.managementOpinion});
    return csv.str();
}

std::string renderAnnualReportJson(const AnnualAggregates& r) {
    std::string out = "{\n";
    out += "  \"year\": " + n(r.year) + ",\n  \"rocYear\": " + n(r.rocYear) + ",\n  \"totalCases\": " + n(r.totalCases);
    out += ",\n  \"byCategory\": " + counts(r.byCategory) + ",\n  \"byChannel\": " + counts(r.byChannel);
    out += ",\n  \"byUnit\": " + counts(r.byUnit) + ",\n  \"byMonth\": " + counts(r.byMonth);
    out += ",\n  \"byStatus\": " + counts(r.byStatus);
    out += ",\n  \"categoryByChannel\": " + json(r.categoryByChannel) +
           ",\n  \"categoryByMonth\": " + json(r.categoryByMonth) +
           ",\n  \"unitByCategory\": " + json(r.unitByCategory);
    out += ",\n  \"cells\": " + array(
                                    r.cells, [](const CubeCell& c) { return json(c); }, "  ");
    out += ",\n  \"answerTime\": " + counts(r.answerTime);
    out += ",\n  \"deadlines\": {\"target\": " + json(r.target) + ", \"legal\": " + json(r.legal) + "}";
    out += ",\n  \"filedByReason\": " + counts(r.filedByReason) + ",\n  \"filed\": " + n(r.filed);
    out += ",\n  \"referrals\": " + n(r.referrals) + ",\n  \"repeatComplainants\": " + n(r.repeatComplainants);
    out += ",\n  \"casesFromRepeatComplainants\": " + n(r.casesFromRepeatComplainants) +
           ",\n  \"reopened\": " + n(r.reopened);
    out += ",\n  \"survey\": " + json(r.survey);
    out += ",\n  \"casesByCategory\": [";
    for (std::size_t i = 0; i < r.casesByCategory.size(); ++i) {
        const auto& c = r.casesByCategory[i];
        out += std::string(i ? "," : "") + "\n    {\"category\": " + json(c.category) +
               ", \"number\": " + json(c.caseNumber) + ", \"received\": " + json(cases::formatDate(c.receivedOn)) +
               ", \"subject\": " + json(c.subject) + ", \"unit\": " + json(c.unitName) +
               ", \"status\": " + json(c.status) + "}";
    }
    out += "\n  ],\n  \"reviews\": [";
    for (std::size_t i = 0; i < r.reviews.size(); ++i) {
        const auto& f = r.reviews[i];
        out += std::string(i ? "," : "") + "\n    {\"number\": " + json(f.caseNumber.toString()) +
               ", \"survey_analysis\": " + json(f.surveyAnalysis) +
               ", \"handling_analysis\": " + json(f.handlingAnalysis) +
               ", \"management_opinion\": " + json(f.managementOpinion) + "}";
    }
    out += "\n  ]\n}\n";
    return out;
}

}  // namespace complaintd::documents
