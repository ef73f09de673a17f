#include "message_release.h"

#include <ostream>
#include <variant>

#include "center/center_book.h"
#include "center/procedure.h"
#include "parsers/header_scan.h"
#include "parsers/text_decoding.h"

namespace complaintd::ctl {
namespace {

// Read as intake reads a complaint: the From and the contact lines of the text, routed by the rules.
void fillFromParsed(const Context& ctx, const center::CenterBook& book, parsers::ParsedMessage& parsed,
                    center::CaseDraft& draft) {
    auto& c = draft.fields;
    const auto& contact = parsed.contact;
    c.complainant = {contact.name.empty() ? parsed.from.name : contact.name,
                     parsed.from.address,
                     contact.phones.empty() ? "" : contact.phones.front(),
                     contact.faxes.empty() ? "" : contact.faxes.front(),
                     contact.address,
                     contact.organisation};
    c.confidential = contact.confidential;
    c.subject = parsed.subject.empty() ? "（無主旨）" : parsed.subject;
    c.summary = cases::summarizeBody(parsed.textBody, ctx.settings().summaryCharacters);
    draft.text = parsed.subject + "\n" + parsed.textBody;
    center::applyRouting(book.route(parsed.subject, parsed.textBody), draft);
    // A release sends no letter, so nobody would tell the complainant where they are referred: the
    // case waits with the rule's unit, and staff refer it there.
    if (!draft.referral.empty()) {
        draft.referral.clear();
        c.status = cases::CaseStatus::Assigned;
    }
    draft.attachments = std::move(parsed.attachments);
    draft.defects = parsed.defects;
}

}  // namespace

center::CaseDraft releaseDraft(const Context& ctx, const center::CenterBook& book, const std::string& actor,
                               const center::StoredMessage& message, const std::string& unreadableSummary) {
    center::CaseDraft draft;
    draft.messageRowId = message.id;
    draft.actor = actor;
    auto& c = draft.fields;
    c.channel = message.channel;
    c.receivedAt = message.receivedAt;
    auto result = parsers::parseMessage(message.raw, ctx.settings().limits);
    if (auto* parsed = std::get_if<parsers::ParsedMessage>(&result)) {
        fillFromParsed(ctx, book, *parsed, draft);
    } else {
        const auto subject = parsers::decodeHeaderValue(parsers::rawHeaderValue(message.raw, "Subject")).utf8;
        c.subject = subject.empty() ? "（無法自動解析的來信）" : subject;
        c.summary = unreadableSummary;
        c.category = cases::Category::Other;
        c.unit = ctx.settings().intakeUnit;
        c.status = cases::CaseStatus::Received;
    }
    c.deadlines = cases::deadlinesFor(c.receivedAt, ctx.settings().deadlines, book.calendar);
    return draft;
}

void printReleased(const Context& ctx, const cases::CaseNumber& number, const center::CaseDraft& draft,
                   const std::string& what, long long messageId) {
    const auto& c = draft.fields;
    ctx.out << number.toString() << " opened from " << what << " " << messageId;
    if (c.routing.rule.empty())
        ctx.out << " at the intake desk (" << c.unit << ")";
    else
        ctx.out << " for unit " << c.unit << " (rule " << c.routing.rule << ")";
    ctx.out << "; no letter was sent: "
            << (c.complainant.email.empty()
                    ? "fill in the complainant with complaintctl\n"
                    : "answer it through the procedure (complaintctl show " + number.toString() + ")\n");
}

}  // namespace complaintd::ctl
