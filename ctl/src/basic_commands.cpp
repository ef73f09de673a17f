#include <Poco/JSON/Array.h>

#include <map>
#include <ostream>

#include "cases/deadlines.h"
#include "cases/lifecycle.h"
#include "center/center_book.h"
#include "center/confidential_view.h"
#include "center/settings.h"
#include "parsers/header_scan.h"
#include "parsers/text_decoding.h"

#include "case_view.h"
#include "commands.h"
#include "message_release.h"
#include "output_file.h"

namespace complaintd::ctl {
namespace {

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

}  // namespace

cases::CaseRecord requireCase(center::Store& store, const cases::CaseNumber& number) {
    auto record = store.findCase(number);
    if (!record) throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
    return std::move(*record);
}

namespace {

const std::string kListFilters =
    "[--unit U] [--status S] [--channel C] [--category C] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--overdue]";

cases::Date dateOption(const CommandLine& line, const std::string& name) {
    const auto date = cases::parseDate(*line.option(name));
    if (!date) throw UsageError("--" + name + " is a date like 2026-12-01");
    return *date;
}

// The cases of `list` that pass the filters of the command line (all when none is given).
std::vector<cases::CaseRecord> filtered(const Context& ctx, const CommandLine& line,
                                        const routing::UnitDirectory& units, std::vector<cases::CaseRecord> list) {
    std::optional<std::string> unit;
    if (const auto u = line.option("unit")) {
        const auto* found = units.find(*u);
        if (!found) throw NotFoundError("no unit \"" + *u + "\" (complaintctl units lists them)");
        unit = found->id;
    }
    std::optional<cases::CaseStatus> status;
    if (const auto s = line.option("status"); s && !(status = cases::statusFrom(*s)))
        throw UsageError("--status is a status id, like assigned, in-progress, replied or closed");
    std::optional<cases::Channel> channel;
    if (const auto c = line.option("channel"); c && !(channel = cases::channelFrom(*c)))
        throw UsageError("--channel is email, fax, phone, letter or in-person");
    std::optional<cases::Category> category;
    if (const auto c = line.option("category"); c && !(category = cases::categoryFrom(*c)))
        throw UsageError("--category is suggestion, inquiry, misconduct, rights or other");
    const auto since = line.option("since") ? std::optional(dateOption(line, "since")) : std::nullopt;
    const auto until = line.option("until") ? std::optional(dateOption(line, "until")) : std::nullopt;
    const bool overdue = line.flag("overdue");
    const auto today = cases::localDate(ctx.now());
    std::erase_if(list, [&](const cases::CaseRecord& r) {
        const auto& c = r.fields;
        const auto received = cases::localDate(c.receivedAt);
        return (unit && c.unit != *unit) || (status && c.status != *status) || (channel && c.channel != *channel) ||
               (category && c.category != *category) || (since && received < *since) || (until && received > *until) ||
               (overdue && !(cases::isAwaitingAnswer(c.status) && c.deadlines && c.deadlines->target < today));
    });
    return list;
}

void printCaseList(const Context& ctx, const CommandLine& line, center::Store& store,
                   const routing::UnitDirectory& units, const std::vector<cases::CaseRecord>& list) {
    const auto disclosure = disclosureFor(ctx, line, store, list);
    if (!line.flag("json")) return printCaseTable(ctx.out, list, units, disclosure);
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& r : list) {
        auto json = caseJson(r.fields, units, disclosure);
        json->set("reply_route", disclosure == Disclosure::Revealed
                                     ? r.replyRoute.toString()
                                     : center::redactedText(r.fields, r.replyRoute.toString()));
        json->set("possible_duplicate", r.possibleDuplicate);
        array->add(json);
    }
    printJson(ctx.out, array);
}

}  // namespace

void listCases(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "list " + kListFilters + " [--json] [--reveal]");
    const auto units = ctx.units();
    auto store = ctx.store();
    printCaseList(ctx, line, store, units, filtered(ctx, line, units, store.caseRecords()));
}

void searchCases(const Context& ctx, const CommandLine& line) {
    if (line.words.size() < 2)
        throw UsageError("usage: complaintctl search TEXT " + kListFilters + " [--json] [--reveal]");
    std::string query;
    for (std::size_t i = 1; i < line.words.size(); ++i) query += (query.empty() ? "" : " ") + line.words[i];
    const auto units = ctx.units();
    auto store = ctx.store();
    auto found = filtered(ctx, line, units, store.searchCases(query));
    // 密件: a confidential case's text names its complainant; found only with --reveal, by one who
    // may reveal it (recorded), else not even its number is shown for the query.
    if (!line.flag("reveal")) std::erase_if(found, [](const cases::CaseRecord& r) { return r.fields.confidential; });
    if (found.empty() && !line.flag("json")) {
        ctx.out << "No case holds \"" << query << "\".\n";
        return;
    }
    printCaseList(ctx, line, store, units, found);
}

void showCase(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "show CASE [--json] [--reveal]");
    const auto number = caseNumberArgument(line.words[1]);
    const auto units = ctx.units();
    auto store = ctx.store();
    const auto record = requireCase(store, number);
    // Looking at a confidential case as stored is itself recorded.
    const auto disclosure = disclosureFor(ctx, line, store, {record});
    if (line.flag("json"))
        printJson(ctx.out, caseRecordJson(record, units, disclosure));
    else
        printCaseRecord(ctx.out, record, units, disclosure);
}

void showHistory(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "history CASE [--json] [--reveal]");
    auto store = ctx.store();
    const auto stored = requireCase(store, caseNumberArgument(line.words[1]));
    const auto record = shownRecord(stored, disclosureFor(ctx, line, store, {stored}));
    if (!line.flag("json")) return printHistory(ctx.out, record.history);
    printJson(ctx.out, historyJson(record.history));
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

long long idArgument(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const long long id = std::stoll(text, &used);
        if (used == text.size() && id > 0) return id;
    } catch (const std::exception&) {
    }
    throw UsageError("\"" + text + "\" is not a " + what + " number");
}

namespace {

void listQuarantine(const Context& ctx, const CommandLine& line) {
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

// A message no parser could read still is a complaint: staff open it as a case at the intake
// desk, read the original (quarantine show ID) and fill in the rest by hand (message_release.h).
void releaseQuarantined(const Context& ctx, const CommandLine& line, long long id) {
    Desk desk(ctx);
    const auto entries = desk.store.quarantined();
    const auto entry = std::find_if(entries.begin(), entries.end(), [&](const auto& q) { return q.id == id; });
    if (entry == entries.end()) throw NotFoundError("message " + std::to_string(id) + " is not quarantined");
    const auto message = desk.store.message(id);
    const auto person = actorFor(line, desk.store, cases::StaffAction::OpenCase);
    const auto draft = releaseDraft(ctx, desk.book, person.id, *message,
                                    "來信無法自動解析（" + entry->reason +
                                        "），原件請以 complaintctl quarantine show " + std::to_string(id) + " 查閱。");
    const auto number = desk.procedure.openWithoutLetter(draft, ctx.now());
    printReleased(ctx, number, draft, "quarantined message", id);
}

// A message quarantined now, or opened as a case from the quarantine (it keeps its reason).
bool wasQuarantined(const center::MessagePlace& place) {
    if (place.state == "quarantined") return true;
    return place.kind == "complaint" && !place.reason.empty() && !place.reason.starts_with("automated:") &&
           !place.reason.starts_with("bounce:");
}

// The message as it arrived, for staff to read (text filtered like all output) or to save exactly
// (--output FILE). Other messages are read through their case, where confidentiality is kept.
void showQuarantined(const Context& ctx, const CommandLine& line, center::Store& store, long long id) {
    const auto place = store.messagePlace(id);
    if (!place || !wasQuarantined(*place))
        throw NotFoundError("message " + std::to_string(id) + " is not quarantined (complaintctl quarantine list)");
    // The original of a confidential case names the complainant: --reveal, by one who may, recorded.
    const auto record = place->caseNumber ? store.findCase(*place->caseNumber) : std::nullopt;
    const bool confidential = record && record->fields.confidential;
    if (confidential && !line.flag("reveal"))
        throw InvalidRequestError("message " + std::to_string(id) + " belongs to confidential case " +
                                  place->caseNumber->toString() + ": add --reveal (it is recorded)");
    const auto person = confidential ? actorFor(line, store, cases::StaffAction::Reveal, record->fields.number)
                                     : actorFor(line, store, cases::StaffAction::MailDesk);
    if (confidential)
        store.audit(record->fields.number, cases::EventKind::Revealed, person.id,
                    line.option("reason").value_or("quarantine show " + std::to_string(id) + " --reveal"), ctx.now());
    const auto message = store.message(id);
    store.auditMessage(id, cases::EventKind::Shown, person.id,
                       line.option("output") ? "quarantine show --output" : "quarantine show", ctx.now());
    if (const auto file = line.option("output")) {
        writeNewFile(ctx, *file, message->raw);
        return;
    }
    ctx.out << message->raw;
}

}  // namespace

void quarantineCommand(const Context& ctx, const CommandLine& line) {
    const std::string usage =
        "quarantine list [--json] | show ID [--output FILE] [--reveal] | retry ID | release ID [--by ID]";
    if (line.words.size() == 2 && line.words[1] == "list") return listQuarantine(ctx, line);
    if (line.words.size() != 3) throw UsageError("usage: complaintctl " + usage);
    const auto id = idArgument(line.words[2], "message");
    if (line.words[1] == "release") return releaseQuarantined(ctx, line, id);
    auto store = ctx.store();
    if (line.words[1] == "show") return showQuarantined(ctx, line, store, id);
    if (line.words[1] == "retry") {
        const auto person = actorFor(line, store, cases::StaffAction::MailDesk);
        if (!store.retryQuarantined(id)) throw NotFoundError("message " + std::to_string(id) + " is not quarantined");
        store.auditMessage(id, cases::EventKind::Retried, person.id, "quarantine retry", ctx.now());
        ctx.out << "message " << id << " goes through intake again in the next cycle\n";
        return;
    }
    throw UsageError("usage: complaintctl " + usage);
}

namespace {

// From the settings and today's date alone: the daemon need not be running.
void printAccountWarnings(const Context& ctx) {
    const auto today = cases::localDate(ctx.now());
    std::vector<std::string> warnings;
    for (const auto& [account, prefix] :
         {std::pair{&ctx.settings().imap, "imap"}, std::pair{&ctx.settings().smtp, "smtp"}})
        if (auto warning = center::refreshTokenWarning(*account, prefix, today)) warnings.push_back(*warning);
    for (const auto& warning : center::placeholderWarnings(ctx.settings())) warnings.push_back(warning);
    if (warnings.empty()) return;
    ctx.out << "Warnings\n";
    for (const auto& warning : warnings) ctx.out << "  " << warning << "\n";
}

}  // namespace

namespace {

// Held mail is no case: counted here so that nothing that arrived is out of sight.
void printHeldCounts(const Context& ctx, center::Store& store) {
    int automated = 0, bounces = 0, automatedOpen = 0, spam = 0, spamOpen = 0;
    for (const auto& h : store.heldMessages(center::HeldList::Automated)) {
        ++automated;
        bounces += h.note.kind == "bounce";
        automatedOpen += h.releasedCase.empty();
    }
    for (const auto& h : store.heldMessages(center::HeldList::Spam)) {
        ++spam;
        spamOpen += h.releasedCase.empty();
    }
    ctx.out << "Held mail (no case: complaintctl automated list, complaintctl spam list)\n  automated " << automated
            << " (bounces " << bounces << ", not released " << automatedOpen << "), spam " << spam << " (not released "
            << spamOpen << ")\n";
}

}  // namespace

namespace {

// "failing" stays until the next success: a session problem (the sender refused at MAIL FROM, the
// login, an unreadable password file) shows here while the letters wait queued.
void printSourceStatus(const Context& ctx, const std::string& name, const center::SourceStatus& s) {
    ctx.out << "  " << fitWidth(name, 8) << "last success "
            << (s.lastSuccess ? cases::formatIso8601(*s.lastSuccess) : std::string("never"));
    if (s.failures > 0)
        ctx.out << ", failing (" << s.failures << " in a row) since "
                << (s.lastErrorAt ? cases::formatIso8601(*s.lastErrorAt) : "") << ": " << s.lastError;
    ctx.out << "\n";
}

}  // namespace

void statusCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "status");
    auto store = ctx.store();
    const auto statuses = store.sourceStatuses();
    ctx.out << "Sources\n";
    for (const auto& s : statuses)
        if (s.name != center::kOutboxTransport) printSourceStatus(ctx, s.name, s);
    using center::OutboxState;
    std::map<OutboxState, int> outbox;
    for (const auto& o : store.outbox(center::LetterBytes::Omitted)) ++outbox[o.state];
    ctx.out << "Outbox\n  queued " << outbox[OutboxState::Queued] << ", sent " << outbox[OutboxState::Sent]
            << ", failed " << outbox[OutboxState::Failed] << ", held for staff " << outbox[OutboxState::Held]
            << " (complaintctl outbox release ID)\n";
    for (const auto& s : statuses)
        if (s.name == center::kOutboxTransport) printSourceStatus(ctx, "sending", s);
    ctx.out << "Quarantine\n  " << store.quarantined().size() << " messages\n";
    printHeldCounts(ctx, store);
    std::map<std::string, int> byStatus;
    int bounced = 0;
    for (const auto& r : store.caseSummaries(center::Store::CaseSelection::All)) {
        ++byStatus[std::string(cases::idOf(r.fields.status))];
        bounced += r.deliveryFailed && !cases::isFinished(r.fields.status);
    }
    ctx.out << "Cases\n ";
    for (const auto& [status, count] : byStatus) ctx.out << " " << status << " " << count;
    ctx.out << "\n  needing a reply by post or phone (bounced) " << bounced << "\n";
    ctx.out << "Counters\n";
    for (const auto& [name, value] : store.counters()) ctx.out << "  " << fitWidth(name, 22) << value << "\n";
    printAccountWarnings(ctx);
}

namespace {

// A held letter waits for a person: released it goes out in the next cycle, discarded it stays
// listed and never goes. Both are recorded on the case's history with who did it.
void decideHeldLetter(const Context& ctx, const CommandLine& line, const std::string& decision) {
    const auto id = idArgument(line.words[2], "letter");
    auto store = ctx.store();
    const auto person = actorFor(line, store, cases::StaffAction::MailDesk);
    const bool done = decision == "release" ? store.releaseLetter(id, person.id, ctx.now())
                                            : store.discardLetter(id, person.id, ctx.now());
    if (!done) throw NotFoundError("letter " + std::to_string(id) + " is not held (complaintctl outbox list)");
    ctx.out << "letter " << id
            << (decision == "release" ? " is released: it goes out in the next cycle\n"
                                      : " is discarded: it will not be sent\n");
}

}  // namespace

void outboxCommand(const Context& ctx, const CommandLine& line) {
    const std::string usage = "outbox list [--json] | retry ID | release ID [--by ID] | discard ID [--by ID]";
    if (line.words.size() == 3 && (line.words[1] == "release" || line.words[1] == "discard"))
        return decideHeldLetter(ctx, line, line.words[1]);
    if (line.words.size() == 3 && line.words[1] == "retry") {
        const auto id = idArgument(line.words[2], "letter");
        auto store = ctx.store();
        const auto person = actorFor(line, store, cases::StaffAction::MailDesk);
        if (!store.retryLetter(id, person.id, ctx.now()))
            throw NotFoundError("letter " + std::to_string(id) + " has not failed (complaintctl outbox list)");
        ctx.out << "letter " << id << " is queued again\n";
        return;
    }
    if (line.words.size() != 2 || line.words[1] != "list") throw UsageError("usage: complaintctl " + usage);
    auto store = ctx.store();
    const auto items = store.outbox(center::LetterBytes::Omitted);
    // A letter's subject and error quote its case: a confidential one's are redacted.
    std::map<std::string, cases::Case> confidential;
    for (auto& c : store.listCases())
        if (c.confidential) confidential.emplace(c.number.toString(), std::move(c));
    const auto shown = [&](const center::OutboxItem& o, const std::string& text) {
        const auto c = confidential.find(o.caseNumber);
        return c == confidential.end() ? text : center::redactedText(c->second, text);
    };
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& o : items) {
        if (!line.flag("json")) {
            ctx.out << fitWidth(std::to_string(o.id), 6) << fitWidth(o.caseNumber, 9)
                    << fitWidth(std::string(cases::idOf(o.kind)), 17)
                    << fitWidth(std::string(center::idOf(o.state)), 10) << "attempts=" << o.attempts
                    << (o.state == center::OutboxState::Queued ? " next=" + cases::formatIso8601(o.nextAttemptAt) : "")
                    << (o.heldReason.empty() ? "" : " held=\"" + o.heldReason + "\"")
                    << (o.lastError.empty() ? "" : " error=\"" + shown(o, o.lastError) + "\"") << "\n";
            continue;
        }
        auto json = object();
        json->set("id", o.id);
        json->set("case", o.caseNumber);
        json->set("kind", std::string(cases::idOf(o.kind)));
        json->set("state", std::string(center::idOf(o.state)));
        json->set("held_reason", o.heldReason);
        json->set("attempts", o.attempts);
        json->set("subject", shown(o, o.subject));
        json->set("next_attempt_at", cases::formatIso8601(o.nextAttemptAt));
        json->set("last_error", shown(o, o.lastError));
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
        for (const auto& key : center::settingKeys())
            ctx.out << "| `" << key.name << "` | "
                    << (key.defaultValue.empty() ? "(empty)" : "`" + key.defaultValue + "`") << " | " << key.description
                    << (key.bounds ? " From " + std::to_string(key.bounds->minimum) + " to " +
                                         std::to_string(key.bounds->maximum) + "."
                                   : "")
                    << " |\n";
        return;
    }
    for (const auto& s : ctx.loaded.effective)
        ctx.out << s.name << " = " << s.value << (s.origin == "default" ? "" : "    # from " + s.origin) << "\n";
}

}  // namespace complaintd::ctl
