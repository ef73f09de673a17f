// complaintctl new: a phone, letter, in-person or fax complaint typed in by
// staff from the case record form (附表一). It is numbered, routed and given
// deadlines like a mailed one.
#include <iostream>

#include "cases/dispositions.h"
#include "center/center_book.h"
#include "commands.h"

namespace complaintd::ctl {
namespace {

const std::string kUsage =
    "new --channel phone|letter|in-person|fax|email --summary TEXT | --file FILE|- [--name N] [--phone P] [--fax F] "
    "[--address A] [--email E] [--organisation O] [--subject S] [--category C] [--unit U] [--confidential] "
    "[--receipt 'DATE NUMBER'] [--received 'YYYY-MM-DD HH:MM'] [--by NAME]";

// The value of a field: the option, else (on a terminal) what the person types, else "".
std::string field(const Context& ctx, const CommandLine& line, const std::string& name, const std::string& prompt) {
    if (const auto value = line.option(name)) return *value;
    if (!ctx.terminal) return "";
    ctx.out << prompt << ": " << std::flush;
    std::string answer;
    std::getline(*ctx.terminal, answer);
    return answer;
}

// The summary: --file (a file, or standard input with -: read last, after the prompts), else
// --summary or the prompt.
std::string summaryOf(const Context& ctx, const CommandLine& line) {
    const auto file = line.option("file");
    if (!file) return field(ctx, line, "summary", "客訴內容摘要 summary");
    if (line.option("summary")) throw UsageError("give the summary with --summary or --file, not both");
    if (*file == "-" && ctx.terminal) ctx.out << "客訴內容摘要 summary (end with Ctrl-D):\n" << std::flush;
    return textFrom(ctx, *file);
}

cases::Timestamp receivedAt(const Context& ctx, const CommandLine& line) {
    const auto text = line.option("received");
    if (!text) return ctx.now();
    std::string iso = *text;
    if (iso.size() == 16 && iso[10] == ' ') iso[10] = 'T';
    if (iso.size() == 16) iso += ":00+08:00";  // staff type the center's local time
    try {
        return cases::parseIso8601(iso);
    } catch (const std::invalid_argument&) {
        throw UsageError("--received takes 'YYYY-MM-DD HH:MM' (local time), got \"" + *text + "\"");
    }
}

cases::Case caseFromForm(const Context& ctx, const CommandLine& line) {
    cases::Case c;
    const auto channel =
        cases::channelFrom(field(ctx, line, "channel", "客訴方式 channel (phone/letter/in-person/fax/email)"));
    if (!channel) throw UsageError("--channel is phone, letter, in-person, fax or email: complaintctl " + kUsage);
    c.channel = *channel;
    c.complainant.name = field(ctx, line, "name", "姓名 name");
    c.complainant.phone = field(ctx, line, "phone", "電話 phone");
    c.complainant.fax = line.option("fax").value_or("");
    c.complainant.address = field(ctx, line, "address", "聯絡地址 address");
    c.complainant.email = line.option("email").value_or("");
    c.complainant.organisation = line.option("organisation").value_or("");
    c.summary = summaryOf(ctx, line);
    if (c.summary.empty()) throw UsageError("--summary or --file is needed: complaintctl " + kUsage);
    c.subject = line.option("subject").value_or(cases::summarizeBody(c.summary, 30));
    c.confidential = line.flag("confidential");
    c.receiptReference = line.option("receipt").value_or("");
    c.receivedAt = receivedAt(ctx, line);
    return c;
}

// The rules route it as they route mail; --unit and --category are the clerk's own decision.
void routeByHand(const CommandLine& line, const center::CenterBook& book, center::CaseDraft& draft) {
    auto& c = draft.fields;
    center::applyRouting(book.route(c.subject, c.summary), draft);
    if (const auto unit = line.option("unit")) {
        const auto* found = book.units.find(*unit);
        if (!found) throw NotFoundError("no unit \"" + *unit + "\" (complaintctl units lists them)");
        c.unit = found->id;
        c.status = cases::CaseStatus::Assigned;
        draft.referral.clear();
    }
    if (const auto category = line.option("category")) {
        const auto parsed = cases::categoryFrom(*category);
        if (!parsed) throw UsageError("--category is suggestion, inquiry, misconduct, rights or other");
        c.category = *parsed;
        c.routing.categoryReason = "set by staff at entry";
    }
}

}  // namespace

void newCase(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, kUsage);
    Desk desk(ctx);
    const auto& book = desk.book;
    center::CaseDraft draft;
    draft.fields = caseFromForm(ctx, line);
    routeByHand(line, book, draft);
    draft.fields.deadlines = cases::deadlinesFor(draft.fields.receivedAt, ctx.settings().deadlines, book.calendar);
    const auto person = actingPerson(line, desk.store);
    if (const auto why = cases::refusal(person, cases::StaffAction::OpenCase, draft.fields.unit))
        throw NotPermittedError(*why);
    draft.actor = person.id;
    draft.suggestions = cases::suggestDispositions(
        draft.fields, {}, desk.store.earlierCasesOf(draft.fields.complainant), ctx.settings().dispositions);
    const auto number = desk.procedure.open(draft, ctx.now()).number;
    const auto* unit = book.units.find(draft.fields.unit);
    ctx.out << number.toString() << " opened: " << cases::idOf(draft.fields.status) << ", unit " << draft.fields.unit
            << " (" << (unit ? unit->name : "") << ")";
    if (draft.fields.deadlines) ctx.out << ", due " << cases::formatDate(draft.fields.deadlines->target);
    ctx.out << "\n";
    for (const auto& s : draft.suggestions)
        ctx.out << "  suggestion: file without handling, reason " << int(s.reason) << ": " << s.detail << "\n";
}

}  // namespace complaintd::ctl
