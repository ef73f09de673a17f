// Commands that move a case through the procedure. Every one acts as a person of the staff
// directory (--by or the OS user's entry), whose roles the procedure checks, and records who
// acted, when, and why in the case's history.
#include <ostream>

#include "cases/lifecycle.h"
#include "center/center_book.h"
#include "commands.h"

namespace complaintd::ctl {
namespace {

using cases::CaseStatus;

void moveTo(const Context& ctx, const CommandLine& line, CaseStatus to, const std::string& usage,
            const std::string& note) {
    expectWords(line, 2, usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    desk.procedure.changeStatus(number, to, actingPerson(line, desk.store), note, ctx.now());
    ctx.out << number.toString() << " is " << cases::idOf(to) << " (" << cases::labelOf(to) << ")\n";
}

}  // namespace

void rerouteCase(const Context& ctx, const CommandLine& line) {
    const std::string usage = "reroute CASE UNIT --reason TEXT [--by ID]";
    expectWords(line, 3, usage);
    const auto& reason = line.required("reason", usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const auto& unit = desk.procedure.reroute(number, line.words[2], actingPerson(line, desk.store), reason, ctx.now());
    ctx.out << number.toString() << " rerouted to " << unit.id << " (" << unit.name << ")\n";
}

void startCase(const Context& ctx, const CommandLine& line) {
    moveTo(ctx, line, CaseStatus::InProgress, "start CASE [--note TEXT]", line.option("note").value_or(""));
}

void recordReply(const Context& ctx, const CommandLine& line) {
    const std::string usage = "reply CASE --file FILE|- | --text TEXT [--by ID]";
    expectWords(line, 2, usage);
    const auto file = line.option("file");
    if (file && line.option("text")) throw UsageError("give the reply with --file or --text, not both");
    std::string text = file ? textFrom(ctx, *file) : line.required("text", usage);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) throw UsageError("the reply is empty");
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const auto revision = desk.procedure.draftReply(number, text, actingPerson(line, desk.store), ctx.now());
    ctx.out << number.toString() << " reply drafted as draft " << revision
            << "; it needs approve --role supervisor and --role approver\n";
}

void approveReply(const Context& ctx, const CommandLine& line) {
    const std::string usage = "approve CASE --role supervisor|approver --draft REVISION [--by ID]";
    expectWords(line, 2, usage);
    const auto& roleName = line.required("role", usage);
    if (roleName != "supervisor" && roleName != "approver")
        throw UsageError("--role is supervisor (主管) or approver (批准)");
    const auto role = roleName == "supervisor" ? cases::ApprovalRole::Supervisor : cases::ApprovalRole::Approver;
    const auto number = caseNumberArgument(line.words[1]);
    const auto draft = line.option("draft").value_or("");
    if (draft.empty())
        throw UsageError("name the draft you approve: approve " + number.toString() + " --role " + roleName +
                         " --draft REVISION, the revision complaintctl show " + number.toString() +
                         " prints beside the reply");
    Desk desk(ctx);
    const auto signer = actingPerson(line, desk.store);
    const auto signOff = desk.procedure.approve(number, role, signer, draft, ctx.now());
    ctx.out << number.toString() << " approved by " << signer.id << " as " << roleName << " (draft " << draft << ")\n";
    if (!signOff.signedOff) return;
    if (signOff.filed) {
        ctx.out << number.toString() << " signed off: filed without handling (存查)\n";
        return;
    }
    if (signOff.letterQueued)
        ctx.out << number.toString() << " signed off; the reply letter (with the survey) is queued and goes out "
                << "with the next cycle\n";
    else
        ctx.out << number.toString() << " signed off; no e-mail address: send the reply by post or phone, then "
                << "run complaintctl replied " << number.toString() << " --via post|phone\n";
}

void markReplied(const Context& ctx, const CommandLine& line) {
    const std::string usage = "replied CASE --via post|phone [--note TEXT]";
    const auto via = center::replyViaFrom(line.required("via", usage));
    if (!via) throw UsageError("--via is post or phone");
    expectWords(line, 2, usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    desk.procedure.recordRepliedBy(number, *via, line.option("note").value_or(""), actingPerson(line, desk.store),
                                   ctx.now());
    ctx.out << number.toString() << " is " << cases::idOf(CaseStatus::Replied) << " ("
            << cases::labelOf(CaseStatus::Replied) << ")\n";
}

void closeCase(const Context& ctx, const CommandLine& line) {
    moveTo(ctx, line, CaseStatus::Closed, "close CASE [--note TEXT]", line.option("note").value_or(""));
}

void archiveCase(const Context& ctx, const CommandLine& line) {
    moveTo(ctx, line, CaseStatus::Archived, "archive CASE [--note TEXT]", line.option("note").value_or(""));
}

void reopenCase(const Context& ctx, const CommandLine& line) {
    const std::string usage = "reopen CASE --reason TEXT";
    moveTo(ctx, line, CaseStatus::Reopened, usage, line.required("reason", usage));
}

void fileCase(const Context& ctx, const CommandLine& line) {
    const std::string usage = "file CASE --reason 1|2|3|4 --note TEXT";
    expectWords(line, 2, usage);
    const auto& reasonText = line.required("reason", usage);
    const auto reason = cases::filingReasonFrom(reasonText.size() == 1 ? reasonText[0] - '0' : 0);
    if (!reason) throw UsageError("--reason is 1, 2, 3 or 4 (the four reasons of the procedure)");
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const auto revision = desk.procedure.proposeFiling(number, *reason, line.required("note", usage),
                                                       actingPerson(line, desk.store), ctx.now());
    ctx.out << number.toString() << " filing memo (簽陳存查) drafted as draft " << revision << ", reason "
            << int(*reason) << ": " << cases::labelOf(*reason)
            << "; it is filed once approve --role supervisor and --role approver sign it\n";
}

void delayReason(const Context& ctx, const CommandLine& line) {
    const std::string usage = "delay CASE --reason TEXT";
    expectWords(line, 2, usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    desk.procedure.recordDelayReason(number, line.required("reason", usage), actingPerson(line, desk.store), ctx.now());
    ctx.out << number.toString() << " delay reason recorded; the complainant is told before the legal limit\n";
}

void editCase(const Context& ctx, const CommandLine& line) {
    const std::string usage =
        "edit CASE [--subject S] [--summary TEXT | --file FILE|-] [--name N] [--phone P] [--fax F] [--address A] "
        "[--email E] [--organisation O] [--category C] [--receipt R] [--confidential | --not-confidential]";
    expectWords(line, 2, usage);
    cases::CaseCorrection k;
    k.subject = line.option("subject");
    k.summary = line.option("summary");
    if (const auto file = line.option("file")) {
        if (k.summary) throw UsageError("give the summary with --summary or --file, not both");
        k.summary = textFrom(ctx, *file);
    }
    k.name = line.option("name");
    k.phone = line.option("phone");
    k.fax = line.option("fax");
    k.address = line.option("address");
    k.email = line.option("email");
    k.organisation = line.option("organisation");
    k.receipt = line.option("receipt");
    if (const auto category = line.option("category")) {
        k.category = cases::categoryFrom(*category);
        if (!k.category) throw UsageError("--category is suggestion, inquiry, misconduct, rights or other");
    }
    if (line.flag("confidential") && line.flag("not-confidential"))
        throw UsageError("--confidential or --not-confidential, not both");
    if (line.flag("confidential")) k.confidential = true;
    if (line.flag("not-confidential")) k.confidential = false;
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const auto changes = desk.procedure.correct(number, k, actingPerson(line, desk.store), ctx.now());
    ctx.out << number.toString() << " corrected:";
    for (const auto& change : changes) ctx.out << " " << change.field;
    ctx.out << " (recorded on its history)\n";
}

void referCase(const Context& ctx, const CommandLine& line) {
    const std::string usage = "refer CASE AUTHORITY [--note TEXT]";
    expectWords(line, 3, usage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const bool queued = desk.procedure.refer(number, line.words[2], line.option("note").value_or(""),
                                             actingPerson(line, desk.store), ctx.now());
    ctx.out << number.toString() << " referred to " << line.words[2]
            << (queued ? "; the referral letter is queued and goes out with the next cycle\n"
                       : "; no e-mail address: tell the complainant whom to contact by post or phone\n");
}

}  // namespace complaintd::ctl
