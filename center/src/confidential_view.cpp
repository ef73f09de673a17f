#include "center/confidential_view.h"

#include "parsers/redaction.h"

namespace complaintd::center {
namespace {

parsers::KnownIdentity identityOf(const cases::Complainant& who) {
    return {who.name, who.email, who.phone, who.fax, who.address, who.organisation};
}

void redactAll(const cases::Case& c, std::vector<std::string>& texts) {
    for (auto& text : texts) text = redactedText(c, text);
}

}  // namespace

std::string redactedText(const cases::Case& c, std::string_view text) {
    if (!c.confidential) return std::string(text);
    return parsers::redactIdentity(text, identityOf(c.complainant));
}

cases::Case redactedCase(const cases::Case& c) {
    if (!c.confidential) return c;
    auto shown = c;
    shown.subject = redactedText(c, c.subject);
    shown.summary = redactedText(c, c.summary);
    shown.complainant = {std::string(kConfidentialName), "", "", "", "", ""};
    return shown;
}

cases::CaseRecord redactedRecord(const cases::CaseRecord& record) {
    const auto& c = record.fields;
    if (!c.confidential) return record;
    auto shown = record;
    shown.fields = redactedCase(c);
    shown.ocrText = redactedText(c, record.ocrText);
    shown.replyRoute = cases::ReplyRoute::parse(redactedText(c, record.replyRoute.toString()));
    shown.replyText = redactedText(c, record.replyText);
    shown.referral = redactedText(c, record.referral);
    shown.delayReason = redactedText(c, record.delayReason);
    for (auto& event : shown.history) event.note = redactedText(c, event.note);
    for (auto& suggestion : shown.suggestions) suggestion.detail = redactedText(c, suggestion.detail);
    redactAll(c, shown.attachments);
    redactAll(c, shown.defects);
    return shown;
}

}  // namespace complaintd::center
