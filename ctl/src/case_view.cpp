#include "case_view.h"

#include <Poco/JSON/Array.h>

#include <ostream>

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

Poco::JSON::Object::Ptr caseJson(const cases::Case& c, const routing::UnitDirectory& units) {
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
    Poco::JSON::Object::Ptr complainant = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    complainant->set("name", c.complainant.name);
    complainant->set("email", c.complainant.email);
    json->set("complainant", complainant);
    Poco::JSON::Object::Ptr routing = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    routing->set("rule", c.routing.rule);
    routing->set("keywords", jsonArray(c.routing.keywords));
    json->set("routing", routing);
    return json;
}

Poco::JSON::Object::Ptr caseRecordJson(const daemon::CaseRecord& record, const routing::UnitDirectory& units) {
    auto json = caseJson(record.fields, units);
    json->set("summary", record.fields.summary);
    json->set("defects", jsonArray(record.defects));
    json->set("attachments", jsonArray(record.attachments));
    Poco::JSON::Array::Ptr history = new Poco::JSON::Array;
    for (const auto& event : record.history) {
        Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        e->set("at", cases::formatIso8601(event.at));
        e->set("actor", event.actor);
        e->set("kind", event.kind);
        e->set("from_unit", event.fromUnit);
        e->set("to_unit", event.toUnit);
        e->set("note", event.note);
        history->add(e);
    }
    json->set("history", history);
    return json;
}

void printJson(std::ostream& out, const Poco::Dynamic::Var& value) {
    if (value.type() == typeid(Poco::JSON::Array::Ptr))
        value.extract<Poco::JSON::Array::Ptr>()->stringify(out, 2);
    else
        value.extract<Poco::JSON::Object::Ptr>()->stringify(out, 2);
    out << "\n";
}

void printCaseTable(std::ostream& out, const std::vector<cases::Case>& list, const routing::UnitDirectory& units) {
    if (list.empty()) {
        out << "No cases.\n";
        return;
    }
    out << fitWidth("NUMBER", 9) << fitWidth("RECEIVED", 18) << fitWidth("CHANNEL", 10) << fitWidth("STATUS", 10)
        << fitWidth("UNIT", 14) << "SUBJECT\n";
    for (const auto& c : list) {
        auto received = cases::formatIso8601(c.receivedAt).substr(0, 16);
        received[10] = ' ';
        out << fitWidth(c.number.toString(), 9) << fitWidth(received, 18) << fitWidth(cases::idOf(c.channel), 10)
            << fitWidth(cases::idOf(c.status), 10) << fitWidth(unitName(units, c.unit), 14) << c.subject << "\n";
    }
}

void printCaseRecord(std::ostream& out, const daemon::CaseRecord& record, const routing::UnitDirectory& units) {
    const auto& c = record.fields;
    auto line = [&out](std::string_view label, const std::string& value) {
        out << "  " << fitWidth(label, 13) << value << "\n";
    };
    out << "Case " << c.number.toString() << "\n";
    line("Status:", labelled(cases::idOf(c.status), cases::labelOf(c.status)));
    line("Channel:", labelled(cases::idOf(c.channel), cases::labelOf(c.channel)));
    line("Received:", cases::formatIso8601(c.receivedAt) + " (" + cases::formatRocDate(c.receivedAt) + ")");
    line("Complainant:", c.complainant.name + (c.complainant.email.empty() ? "" : " <" + c.complainant.email + ">"));
    line("Subject:", c.subject);
    line("Category:", labelled(cases::idOf(c.category), cases::labelOf(c.category)));
    line("Unit:", labelled(c.unit, unitName(units, c.unit)));
    std::string keywords;
    for (const auto& k : c.routing.keywords) keywords += (keywords.empty() ? "" : "、") + k;
    line("Routing:", c.routing.rule.empty() ? "no rule matched (intake desk triage)"
                                            : "rule " + c.routing.rule + ", keywords " + keywords);
    line("Summary:", c.summary);
    for (const auto& a : record.attachments) line("Attachment:", a);
    for (const auto& d : record.defects) line("Defect:", d);
    out << "History\n";
    for (const auto& e : record.history) {
        std::string what = e.kind;
        if (e.kind == "rerouted")
            what += " " + e.fromUnit + " -> " + e.toUnit;
        else if (!e.toUnit.empty())
            what += " -> " + e.toUnit;
        if (!e.note.empty()) what += ": " + e.note;
        out << "  " << cases::formatIso8601(e.at) << "  " << fitWidth(e.actor, 12) << what << "\n";
    }
}

}  // namespace complaintd::ctl
