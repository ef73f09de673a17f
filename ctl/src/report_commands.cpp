// complaintctl due and register: what is late, and the master register
// (客訴案件總表) with the seed's columns.
#include <Poco/JSON/Array.h>

#include <ostream>

#include "case_view.h"
#include "cases/lifecycle.h"
#include "commands.h"

namespace complaintd::ctl {
namespace {

std::string rocSlashDate(cases::Date date) {
    return std::to_string(cases::rocYearOf(int(date.year()))) + "/" + std::to_string(unsigned(date.month())) + "/" +
           std::to_string(unsigned(date.day()));
}

// A spreadsheet runs a cell that starts like a formula (=HYPERLINK(...) in a subject) when a clerk
// opens the register. Such a cell gets a leading ' and quotes, as OWASP recommends for CSV injection.
bool startsLikeFormula(const std::string& value) {
    return !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
}

std::string csvField(const std::string& value) {
    const bool formula = startsLikeFormula(value);
    if (!formula && value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = formula ? "\"'" : "\"";
    for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

struct DueLine {
    const cases::CaseRecord* record;
    int targetLeft;
    int legalLeft;
    std::string state;  // overdue, due-soon, ok
    bool needsDelayReason;
};

std::vector<DueLine> dueLines(const std::vector<cases::CaseRecord>& records, cases::Date today, int within,
                              int delayNoticeDays) {
    std::vector<DueLine> lines;
    for (const auto& r : records) {
        if (!r.fields.deadlines) continue;
        const bool undelivered = r.deliveryFailed && !cases::isFinished(r.fields.status);
        if (!cases::isAwaitingAnswer(r.fields.status) && !undelivered) continue;
        const int target = cases::daysUntil(today, r.fields.deadlines->target);
        const int legal = cases::daysUntil(today, r.fields.deadlines->legal);
        // A bounced letter means the complainant must be answered by post or phone.
        const std::string state = undelivered        ? "bounced"
                                  : target < 0       ? "overdue"
                                  : target <= within ? "due-soon"
                                                     : "ok";
        if (state == "ok") continue;
        lines.push_back({&r, target, legal, state, legal <= delayNoticeDays && r.delayReason.empty()});
    }
    std::stable_sort(lines.begin(), lines.end(), [](const DueLine& a, const DueLine& b) {
        return a.record->fields.unit != b.record->fields.unit ? a.record->fields.unit < b.record->fields.unit
                                                              : a.targetLeft < b.targetLeft;
    });
    return lines;
}

// The register's columns: the seed's nine, then the suggested dispositions.
const std::vector<std::string> kRegisterColumns{"項次",         "案件編號", "日期",         "客訴人單位",
                                                "客訴主旨說明", "主辦單位", "目前處理情形", "預計完成期限",
                                                "結案",         "存查建議"};

std::vector<std::string> registerRow(std::size_t item, const cases::CaseRecord& r,
                                     const routing::UnitDirectory& units) {
    const auto& c = r.fields;  // as it is to be shown
    const auto& who = c.complainant;
    const auto* unit = units.find(c.unit);
    std::string suggestions;
    for (const auto& s : r.suggestions)
        suggestions += (suggestions.empty() ? "" : "；") + std::string("理由") + std::to_string(int(s.reason));
    std::string closed;
    if (r.closedAt)
        closed = rocSlashDate(cases::localDate(*r.closedAt));
    else if (cases::isFinished(c.status))
        closed = std::string(cases::labelOf(c.status));
    return {std::to_string(item),
            c.number.toString(),
            rocSlashDate(cases::localDate(c.receivedAt)),
            who.organisation.empty() ? who.name : who.organisation,
            c.subject,
            unit ? unit->name : c.unit,
            std::string(cases::labelOf(c.status)),
            c.deadlines ? rocSlashDate(c.deadlines->target) : "",
            closed,
            suggestions};
}

}  // namespace

void dueCases(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "due [--within DAYS] [--unit UNIT] [--json] [--reveal]");
    const int within = std::stoi(line.option("within").value_or("2"));
    const auto units = ctx.units();
    auto store = ctx.store();
    const auto records = store.caseRecords();
    auto lines = dueLines(records, cases::localDate(ctx.now()), within, ctx.settings().delayNoticeDays);
    if (const auto unit = line.option("unit")) {
        const auto* u = units.find(*unit);
        if (!u) throw NotFoundError("no unit \"" + *unit + "\"");
        std::erase_if(lines, [&](const DueLine& l) { return l.record->fields.unit != u->id; });
    }
    std::vector<cases::CaseRecord> listed;
    for (const auto& l : lines) listed.push_back(*l.record);
    const auto disclosure = disclosureFor(ctx, line, store, listed);
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    std::string currentUnit;
    for (const auto& l : lines) {
        const auto c = shownCase(l.record->fields, disclosure);
        if (line.flag("json")) {
            Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            item->set("number", c.number.toString());
            item->set("unit", c.unit);
            item->set("state", l.state);
            item->set("target_due", cases::formatDate(c.deadlines->target));
            item->set("days_to_target", l.targetLeft);
            item->set("legal_due", cases::formatDate(c.deadlines->legal));
            item->set("days_to_legal_limit", l.legalLeft);
            item->set("needs_delay_reason", l.needsDelayReason);
            array->add(item);
            continue;
        }
        if (c.unit != currentUnit) {
            currentUnit = c.unit;
            const auto* u = units.find(c.unit);
            ctx.out << c.unit << " (" << (u ? u->name : "") << ")\n";
        }
        ctx.out << "  " << fitWidth(c.number.toString(), 9) << fitWidth(l.state, 10) << "target "
                << cases::formatDate(c.deadlines->target) << " (" << l.targetLeft << "d)  legal "
                << cases::formatDate(c.deadlines->legal) << " (" << l.legalLeft << "d)"
                << (l.needsDelayReason ? "  needs a delay reason (complaintctl delay)" : "")
                << (l.state == "bounced" ? "  a letter bounced: reply by post or phone" : "") << "  " << c.subject
                << "\n";
    }
    if (line.flag("json"))
        printJson(ctx.out, array);
    else if (lines.empty())
        ctx.out << "Nothing overdue or due within " << within << " days.\n";
}

void printRegister(const Context& ctx, const CommandLine& line) {
    const std::string usage = "register --year YYYY [--format csv|json|text] [--reveal]";
    expectWords(line, 1, usage);
    const int year = yearArgument(line, usage);
    const auto format = line.option("format").value_or(line.flag("json") ? "json" : "text");
    if (format != "csv" && format != "json" && format != "text") throw UsageError("--format is csv, json or text");
    const auto units = ctx.units();
    auto store = ctx.store();
    const auto stored = store.caseRecords(cases::rocYearOf(year));
    const auto records = shownRecords(stored, disclosureFor(ctx, line, store, stored));
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < records.size(); ++i) rows.push_back(registerRow(i + 1, records[i], units));
    if (format == "json") {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& row : rows) {
            Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (std::size_t c = 0; c < kRegisterColumns.size(); ++c) item->set(kRegisterColumns[c], row[c]);
            array->add(item);
        }
        return printJson(ctx.out, array);
    }
    if (format == "csv") {
        ctx.out << "\xEF\xBB\xBF";  // a BOM, so that Excel reads the file as UTF-8
        for (const auto* row : {&kRegisterColumns}) {
            for (std::size_t c = 0; c < row->size(); ++c) ctx.out << (c ? "," : "") << csvField((*row)[c]);
            ctx.out << "\r\n";
        }
        for (const auto& row : rows) {
            for (std::size_t c = 0; c < row.size(); ++c) ctx.out << (c ? "," : "") << csvField(row[c]);
            ctx.out << "\r\n";
        }
        return;
    }
    ctx.out << "客訴案件總表 " << year << " (民國" << cases::rocYearOf(year) << "年)\n";
    for (const auto& row : rows) {
        for (std::size_t c = 1; c < row.size(); ++c) ctx.out << (c > 1 ? "  " : "") << row[c];
        ctx.out << "\n";
    }
}

}  // namespace complaintd::ctl
