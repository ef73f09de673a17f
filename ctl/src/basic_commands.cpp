#include <Poco/JSON/Array.h>

#include <ostream>

#include "case_view.h"
#include "commands.h"

namespace complaintd::ctl {
namespace {

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

daemon::CaseRecord requireCase(daemon::Store& store, const cases::CaseNumber& number) {
    auto record = store.findCase(number);
    if (!record) throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
    return std::move(*record);
}

}  // namespace

void listCases(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "list [--json]");
    const auto units = ctx.units();
    const auto list = ctx.store().listCases();
    if (!line.flag("json")) return printCaseTable(ctx.out, list, units);
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& c : list) array->add(caseJson(c, units));
    printJson(ctx.out, array);
}

void showCase(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "show CASE [--json] [--reveal]");
    const auto number = caseNumberArgument(line.words[1]);
    const auto units = ctx.units();
    auto store = ctx.store();
    const auto record = requireCase(store, number);
    const auto disclosure = line.flag("reveal") ? Disclosure::Revealed : Disclosure::Redacted;
    // Looking at a confidential complainant is itself recorded.
    if (record.fields.confidential && disclosure == Disclosure::Revealed)
        store.audit(number, "revealed", actorOf(line), line.option("reason").value_or("show --reveal"), ctx.now());
    if (line.flag("json"))
        printJson(ctx.out, caseRecordJson(record, units, disclosure));
    else
        printCaseRecord(ctx.out, record, units, disclosure);
}

void showHistory(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "history CASE [--json]");
    auto store = ctx.store();
    const auto record = requireCase(store, caseNumberArgument(line.words[1]));
    if (!line.flag("json")) return printHistory(ctx.out, record.history);
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& e : record.history) {
        auto item = object();
        item->set("at", cases::formatIso8601(e.at));
        item->set("actor", e.actor);
        item->set("kind", e.kind);
        item->set("from_unit", e.fromUnit);
        item->set("to_unit", e.toUnit);
        item->set("note", e.note);
        array->add(item);
    }
    printJson(ctx.out, array);
}

void listUnits(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "units [--json]");
    const auto units = ctx.units();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& u : units.all()) {
        if (!line.flag("json")) {
            ctx.out << fitWidth(u.id, 20) << fitWidth(u.name, 14) << u.notifyAddress
                    << (u.id == units.intake().id ? "  (intake desk)" : "") << "\n";
            continue;
        }
        auto json = object();
        json->set("id", u.id);
        json->set("name", u.name);
        json->set("notify", u.notifyAddress);
        array->add(json);
    }
    if (line.flag("json")) printJson(ctx.out, array);
}

void quarantineCommand(const Context& ctx, const CommandLine& line) {
    if (line.words.size() != 2 || line.words[1] != "list") throw UsageError("usage: complaintctl quarantine list");
    const auto entries = ctx.store().quarantined();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& q : entries) {
        if (!line.flag("json")) {
            ctx.out << "message " << q.id << "  " << cases::formatIso8601(q.receivedAt) << "  " << q.source << "  "
                    << q.size << " bytes  " << q.reason << "\n";
            continue;
        }
        auto json = object();
        json->set("message", q.id);
        json->set("received_at", cases::formatIso8601(q.receivedAt));
        json->set("source", q.source);
        json->set("mailbox", q.mailbox);
        json->set("bytes", q.size);
        json->set("reason", q.reason);
        array->add(json);
    }
    if (line.flag("json"))
        printJson(ctx.out, array);
    else if (entries.empty())
        ctx.out << "The quarantine is empty.\n";
}

void outboxCommand(const Context& ctx, const CommandLine& line) {
    if (line.words.size() != 2 || line.words[1] != "list") throw UsageError("usage: complaintctl outbox list");
    const auto items = ctx.store().outbox();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& o : items) {
        if (!line.flag("json")) {
            ctx.out << fitWidth(std::to_string(o.id), 6) << fitWidth(o.caseNumber, 9) << fitWidth(o.kind, 17)
                    << fitWidth(o.state, 8) << "attempts=" << o.attempts
                    << (o.state == "queued" ? " next=" + cases::formatIso8601(o.nextAttemptAt) : "")
                    << (o.lastError.empty() ? "" : " error=\"" + o.lastError + "\"") << "\n";
            continue;
        }
        auto json = object();
        json->set("id", o.id);
        json->set("case", o.caseNumber);
        json->set("kind", o.kind);
        json->set("state", o.state);
        json->set("attempts", o.attempts);
        json->set("subject", o.subject);
        json->set("next_attempt_at", cases::formatIso8601(o.nextAttemptAt));
        json->set("last_error", o.lastError);
        array->add(json);
    }
    if (line.flag("json"))
        printJson(ctx.out, array);
    else if (items.empty())
        ctx.out << "The outbox is empty.\n";
}

void printConfig(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "config [--reference]");
    if (line.flag("reference")) {
        // The key table of docs/configuration.md, from the one declaration of the keys.
        ctx.out << "| key | default | meaning |\n| --- | --- | --- |\n";
        for (const auto& key : daemon::settingKeys())
            ctx.out << "| `" << key.name << "` | "
                    << (key.defaultValue.empty() ? "(empty)" : "`" + key.defaultValue + "`") << " | " << key.description
                    << " |\n";
        return;
    }
    for (const auto& s : ctx.loaded.effective)
        ctx.out << s.name << " = " << s.value << (s.origin == "default" ? "" : "    # from " + s.origin) << "\n";
}

}  // namespace complaintd::ctl
