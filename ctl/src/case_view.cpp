#include "case_view.h"

#include <Poco/JSON/Array.h>

#include <ostream>
#include <sstream>

#include "center/confidential_view.h"
#include "command_line.h"
#include "terminal_text.h"

namespace complaintd::ctl {
namespace {

std::string unitName(const routing::UnitDirectory& units, const std::string& id) {
    const auto* unit = units.find(id);
    return unit ? unit->name : id;
}

std::string labelled(std::string_view id, std::string_view label) {
    return std::string(id) + " (" + std::string(label) + ")";
}

// Decodes one UTF-8 code point at `i`, advancing it; invalid bytes count as one column.
char32_t nextCodePoint(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i++]);
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 3 ? lead & 0x07 : extra == 2 ? lead & 0x0F : extra == 1 ? lead & 0x1F : lead;
    for (; extra > 0 && i < text.size(); --extra) cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
    return cp;
}

bool isWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

Poco::JSON::Array::Ptr jsonArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& item : items) array->add(item);
    return array;
}

}  // namespace

std::size_t displayWidth(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) width += isWide(nextCodePoint(text, i)) ? 2 : 1;
    return width;
}

std::string fitWidth(std::string_view text, std::size_t width) {
    std::string fitted;
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const std::size_t w = isWide(nextCodePoint(text, i)) ? 2 : 1;
        if (used + w > width) break;
        fitted.append(text.substr(start, i - start));
        used += w;
    }
    return fitted + std::string(width - used, ' ');
}

cases::Case shownCase(const cases::Case& c, Disclosure disclosure) {
    return disclosure == Disclosure::Revealed ? c : center::redactedCase(c);
}

cases::CaseRecord shownRecord(const cases::CaseRecord& record, Disclosure disclosure) {
    return disclosure == Disclosure::Revealed ? record : center::redactedRecord(record);
}

Disclosure disclosureFor(const Context& ctx, const CommandLine& line, center::Store& store,
                         const std::vector<cases::CaseRecord>& records) {
    if (!line.flag("reveal")) return Disclosure::Redacted;
    const auto note = line.option("reason").value_or(line.words[0] + " --reveal");
    for (const auto& r : records)
        if (r.fields.confidential) {
            const auto person = actorFor(line, store, cases::StaffAction::Reveal, r.fields.number);
            store.audit(r.fields.number, cases::EventKind::Revealed, person.id, note, ctx.now());
        }
    return Disclosure::Revealed;
}

std::vector<cases::CaseRecord> shownRecords(const std::vector<cases::CaseRecord>& records, Disclosure disclosure) {
    std::vector<cases::CaseRecord> shown;
    shown.reserve(records.size());
    for (const auto& r : records) shown.push_back(shownRecord(r, disclosure));
    return shown;
}

namespace {

// `c` as it is to be shown (already redacted where it must be).
Poco::JSON::Object::Ptr shownCaseJson(const cases::Case& c, const routing::UnitDirectory& units) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("number", c.number.toString());
    json->set("channel", std::string(cases::idOf(c.channel)));
    json->set("category", std::string(cases::idOf(c.category)));
    json->set("category_label", std::string(cases::labelOf(c.category)));
    json->set("unit", c.unit);
    json->set("unit_name", unitName(units, c.unit));
    json->set("status", std::string(cases::idOf(c.status)));
    json->set("subject", c.subject);
    json->set("received_at", cases::formatIso8601(c.receivedAt));
    const auto& who = c.complainant;
    Poco::JSON::Object::Ptr complainant = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    complainant->set("name", who.name);
    complainant->set("email", who.email);
    complainant->set("phone", who.phone);
    complainant->set("fax", who.fax);
    complainant->set("address", who.address);
    complainant->set("organisation", who.organisation);
    json->set("complainant", complainant);
    json->set("confidential", c.confidential);
    json->set("target_due", c.deadlines ? cases::formatDate(c.deadlines->target) : std::string());
    json->set("legal_due", c.deadlines ? cases::formatDate(c.deadlines->legal) : std::string());
    Poco::JSON::Object::Ptr routing = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    routing->set("rule", c.routing.rule);
    routing->set("keywords", jsonArray(c.routing.keywords));
    routing->set("category_reason", c.routing.categoryReason);
    json->set("routing", routing);
    return json;
}

}  // namespace

Poco::JSON::Object::Ptr caseJson(const cases::Case& c, const routing::UnitDirectory& units, Disclosure disclosure) {
    return shownCaseJson(shownCase(c, disclosure), units);
}

Poco::JSON::Object::Ptr caseRecordJson(const cases::CaseRecord& stored, const routing::UnitDirectory& units,
                                       Disclosure disclosure) {
    const auto record = shownRecord(stored, disclosure);
    auto json = shownCaseJson(record.fields, units);
    json->set("summary", record.fields.summary);
    json->set("receipt_reference", record.fields.receiptReference);
    json->set("handler", record.handler);
    json->set("reply", record.replyText);
    json->set("reply_revision", record.replyRevision);
    json->set("document_number", record.documentNumber);
    json->set("supervisor", record.supervisor.by);
    json->set("approver", record.approver.by);
    json->set("referral", record.referral);
    json->set("needs_review", record.needsReview);
    json->set("delivery_failed", record.deliveryFailed);
    json->set("reply_route", record.replyRoute.toString());
    json->set("ocr_text", record.ocrText);
    json->set("possible_duplicate", record.possibleDuplicate);
    json->set("filed_reason", record.filedReason ? int(*record.filedReason) : 0);
    json->set("proposed_filing", record.proposedFiling ? int(*record.proposedFiling) : 0);
    json->set("delay_reason", record.delayReason);
    Poco::JSON::Array::Ptr suggestions = new Poco::JSON::Array;
    for (const auto& s : record.suggestions) {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("reason", int(s.reason));
        item->set("detail", s.detail);
        suggestions->add(item);
    }
    json->set("suggestions", suggestions);
    json->set("defects", jsonArray(record.defects));
    json->set("attachments", jsonArray(record.attachments));
    json->set("history", historyJson(record.history));
    return json;
}

Poco::JSON::Array::Ptr historyJson(const std::vector<cases::CaseEvent>& history) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& event : history) {
        Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        e->set("at", cases::formatIso8601(event.at));
        e->set("actor", event.actor);
        e->set("kind", std::string(cases::idOf(event.kind)));
        e->set("from_unit", event.fromUnit);
        e->set("to_unit", event.toUnit);
        e->set("note", event.note);
        if (event.fromStatus) e->set("from_status", std::string(cases::idOf(*event.fromStatus)));
        if (event.toStatus) e->set("to_status", std::string(cases::idOf(*event.toStatus)));
        array->add(e);
    }
    return array;
}

void printJson(std::ostream& out, const Poco::Dynamic::Var& value) {
    std::ostringstream json;
    if (value.type() == typeid(Poco::JSON::Array::Ptr))
        value.extract<Poco::JSON::Array::Ptr>()->stringify(json, 2);
    else
        value.extract<Poco::JSON::Object::Ptr>()->stringify(json, 2);
    out << jsonSafe(json.str()) << "\n";
}

void printCaseTable(std::ostream& out, const std::vector<cases::CaseRecord>& stored,
                    const routing::UnitDirectory& units, Disclosure disclosure) {
    const auto list = shownRecords(stored, disclosure);
    if (list.empty()) {
        out << "No cases.\n";
        return;
    }
    out << fitWidth("NUMBER", 9) << fitWidth("RECEIVED", 18) << fitWidth("CHANNEL", 10) << fitWidth("STATUS", 10)
        << fitWidth("UNIT", 14) << "SUBJECT\n";
    for (const auto& record : list) {
        const auto& c = record.fields;
        // Cases that cannot be answered by e-mail say so where staff look first.
        const bool byPost = record.replyRoute.way == cases::ReplyRoute::Way::PostOrPhone || record.deliveryFailed;
        auto received = cases::formatIso8601(c.receivedAt).substr(0, 16);
        received[10] = ' ';
        out << fitWidth(c.number.toString(), 9) << fitWidth(received, 18) << fitWidth(cases::idOf(c.channel), 10)
            << fitWidth(cases::idOf(c.status), 10) << fitWidth(unitName(units, c.unit), 14) << c.subject
            << (byPost ? "  [reply by post or phone]" : "")
            << (record.possibleDuplicate.empty() ? "" : "  [possible duplicate: " + record.possibleDuplicate + "]")
            << "\n";
    }
}

namespace {

std::string approvalText(const cases::Approval& approval) {
    if (!approval.at) return "-";
    return approval.by + " " + cases::formatIso8601(*approval.at);
}

}  // namespace

void printCaseRecord(std::ostream& out, const cases::CaseRecord& stored, const routing::UnitDirectory& units,
                     Disclosure disclosure) {
    const auto record = shownRecord(stored, disclosure);
    const auto& c = record.fields;
    auto line = [&out](std::string_view label, const std::string& value) {
        if (!value.empty()) out << "  " << fitWidth(label, 14) << value << "\n";
    };
    const auto& who = c.complainant;
    out << "Case " << c.number.toString() << (c.confidential ? "  密件 (confidential)" : "") << "\n";
    line("Status:", labelled(cases::idOf(c.status), cases::labelOf(c.status)));
    line("Channel:", labelled(cases::idOf(c.channel), cases::labelOf(c.channel)));
    line("Received:", cases::formatIso8601(c.receivedAt) + " (" + cases::formatRocDate(c.receivedAt) + ")");
    line("Receipt:", c.receiptReference);
    line("Complainant:", who.name + (who.email.empty() ? "" : " <" + who.email + ">"));
    line("Phone:", who.phone);
    line("Fax:", who.fax);
    line("Address:", who.address);
    line("Organisation:", who.organisation);
    line("Subject:", c.subject);
    line("Category:", labelled(cases::idOf(c.category), cases::labelOf(c.category)) +
                          (c.routing.categoryReason.empty() ? "" : ", " + c.routing.categoryReason));
    line("Unit:", labelled(c.unit, unitName(units, c.unit)));
    std::string keywords;
    for (const auto& k : c.routing.keywords) keywords += (keywords.empty() ? "" : "、") + k;
    line("Routing:", c.routing.rule.empty() ? "no rule matched (intake desk triage)"
                                            : "rule " + c.routing.rule + ", keywords " + keywords);
    line("Referred to:", record.referral);
    if (c.deadlines)
        line("Due:", "target " + cases::formatDate(c.deadlines->target) + ", legal limit " +
                         cases::formatDate(c.deadlines->legal));
    line("Summary:", c.summary);
    line("Handler:", record.handler);
    line(record.proposedFiling ? "Memo (簽陳):" : "Reply:", record.replyText);
    if (record.proposedFiling && !record.filedReason)
        line("Proposes:", "filing without handling (存查), reason " + std::to_string(int(*record.proposedFiling)) +
                              " " + std::string(cases::labelOf(*record.proposedFiling)));
    if (!record.replyText.empty()) {
        line("Draft:", record.replyRevision + " (approve --draft " + record.replyRevision + ")");
        line("Supervisor:", approvalText(record.supervisor));
        line("Approver:", approvalText(record.approver));
        line("Letter:", record.documentNumber.empty() ? "" : "發文字號 " + record.documentNumber);
    }
    if (record.closedAt) line("Closed:", cases::formatIso8601(*record.closedAt));
    if (record.filedReason)
        line("Filed (存查):", "reason " + std::to_string(int(*record.filedReason)) + " " +
                                  std::string(cases::labelOf(*record.filedReason)));
    line("Delay reason:", record.delayReason);
    if (record.needsReview)
        line("Review:", "a new message to read (complaintctl messages " + c.number.toString() +
                            "): from another sender, or after the reply; the handler decides (reopen --reason)");
    if (record.deliveryFailed) line("Delivery:", "a letter bounced: reply by post or phone");
    if (!record.possibleDuplicate.empty())
        line("Duplicate?:", record.possibleDuplicate + ", other content: check before answering twice");
    line("Reply by:", record.replyRoute.toString());
    for (const auto& s : record.suggestions)
        line("Suggestion:", "file without handling, reason " + std::to_string(int(s.reason)) + ": " + s.detail);
    for (const auto& a : record.attachments) line("Attachment:", a);
    for (const auto& d : record.defects) line("Defect:", d);
    out << "History\n";
    printHistory(out, record.history);
}

void printHistory(std::ostream& out, const std::vector<cases::CaseEvent>& history) {
    for (const auto& e : history) {
        std::string what(cases::idOf(e.kind));
        if (e.kind == cases::EventKind::Rerouted)
            what += " " + e.fromUnit + " -> " + e.toUnit;
        else if (!e.toUnit.empty())
            what += " -> " + e.toUnit;
        if (!e.note.empty()) what += ": " + e.note;
        out << "  " << cases::formatIso8601(e.at) << "  " << fitWidth(e.actor, 12) << what << "\n";
    }
}

}  // namespace complaintd::ctl
