#include "daemon/intake.h"

#include <Poco/UUIDGenerator.h>

#include "daemon/logging.h"
#include "file_contents.h"
#include "parsers/mime_parser.h"
#include "templates/mail_composer.h"

namespace complaintd::daemon {
namespace {

std::string readConfigFile(const std::string& path, const std::string& key) {
    auto content = fileContents(path);
    if (!content) throw ConfigError(key + " = \"" + path + "\": cannot read the file");
    return std::move(*content);
}

cases::Case caseFrom(const parsers::ParsedMessage& parsed, const StoredMessage& message,
                     const routing::RoutingDecision& decision, std::size_t summaryCharacters) {
    cases::Case c;
    c.channel = message.channel;
    c.receivedAt = message.receivedAt;
    c.complainant = {parsed.from.name, parsed.from.address};
    c.subject = parsed.subject.empty() ? "（無主旨）" : parsed.subject;
    c.summary = cases::summarizeBody(parsed.textBody, summaryCharacters);
    c.category = decision.category;
    c.unit = decision.unitId;
    c.status = decision.routing.rule.empty() ? cases::CaseStatus::Received : cases::CaseStatus::Assigned;
    c.routing = decision.routing;
    return c;
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
}

}  // namespace

routing::UnitDirectory loadUnitDirectory(const Settings& s) {
    return routing::UnitDirectory::parse(readConfigFile(s.unitsFile, "routing.units_file"), s.unitsFile, s.intakeUnit);
}

CenterBook loadCenterBook(const Settings& s) {
    auto units = loadUnitDirectory(s);
    auto rules = routing::RuleSet::parse(readConfigFile(s.rulesFile, "routing.rules_file"), s.rulesFile, units);
    const std::string ackFile = s.templatesDir + "/acknowledgement.txt";
    auto ack = templates::LetterTemplate::parse(readConfigFile(ackFile, "templates.dir"), ackFile,
                                                templates::acknowledgementFields());
    return {std::move(units), std::move(rules), std::move(ack)};
}

IntakeProcessor::IntakeProcessor(const Settings& settings, const CenterBook& book) : settings_(settings), book_(book) {}

IntakeReport IntakeProcessor::processPending(Store& store, const Clock& clock, const std::atomic<bool>& stopping) {
    constexpr std::size_t kBatch = 50;
    IntakeReport report;
    for (;;) {
        const auto batch = store.pendingMessages(kBatch);
        for (const auto& message : batch) {
            if (stopping) return report;
            processOne(store, clock, message, report);
        }
        if (batch.size() < kBatch) return report;
    }
}

void IntakeProcessor::processOne(Store& store, const Clock& clock, const StoredMessage& message, IntakeReport& report) {
    auto log = moduleLogger("intake");
    const auto result = parsers::parseMessage(message.raw, settings_.limits);
    if (const auto* failure = std::get_if<parsers::ParseFailure>(&result)) {
        store.quarantine(message.id, failure->reason);
        store.bump("messages_quarantined");
        ++report.quarantined;
        log->warn("message={} quarantined reason=\"{}\"", message.id, failure->reason);
        return;
    }
    const auto& parsed = std::get<parsers::ParsedMessage>(result);
    const auto decision = book_.rules.route(parsed.subject, parsed.textBody);
    CaseDraft draft{message.id, caseFrom(parsed, message, decision, settings_.summaryCharacters), parsed.attachments,
                    parsed.defects};
    const auto now = clock.now();
    auto references = parsed.references;
    if (!parsed.messageId.empty()) references.push_back(parsed.messageId);
    const auto number = store.openCase(
        draft,
        [&](const cases::CaseNumber& n) { return acknowledgement(draft.fields, parsed.messageId, references, n, now); },
        now);
    store.bump("cases_opened");
    ++report.opened;
    const auto* unit = book_.units.find(decision.unitId);
    log->info("{}: message={} rule={} unit={} category={} keywords={} defects={}", number.toString(), message.id,
              decision.routing.rule.empty() ? "-" : decision.routing.rule, unit ? unit->name : decision.unitId,
              cases::idOf(decision.category), joined(decision.routing.keywords), parsed.defects.size());
    log->debug("{}: from=<{}> subject=\"{}\"", number.toString(), parsed.from.address, parsed.subject);
}

std::optional<QueuedLetter> IntakeProcessor::acknowledgement(const cases::Case& c, const std::string& inReplyTo,
                                                             const std::vector<std::string>& references,
                                                             const cases::CaseNumber& number,
                                                             cases::Timestamp now) const {
    auto log = moduleLogger("intake");
    if (!templates::isPlainAddress(c.complainant.email)) {
        log->warn("{}: no acknowledgement: the sender has no usable e-mail address", number.toString());
        return std::nullopt;
    }
    const auto* unit = book_.units.find(c.unit);
    const templates::LetterFields fields{
        {"case_number", number.toString()},
        {"received_date", cases::formatRocDate(c.receivedAt)},
        {"received_at", cases::formatIso8601(c.receivedAt)},
        {"subject", c.subject},
        {"summary", c.summary},
        {"channel", std::string(cases::labelOf(c.channel))},
        {"category", std::string(cases::labelOf(c.category))},
        {"unit_name", unit ? unit->name : c.unit},
        {"complainant_name", c.complainant.name},
        {"center_name", settings_.centerName},
        {"center_address", settings_.centerAddress},
        {"center_phone", settings_.centerPhone},
        {"center_email", settings_.centerEmail},
        {"today", cases::formatRocDate(now)},
    };
    const auto letter = book_.acknowledgement.render(fields);
    templates::OutgoingMail mail;
    mail.from = {settings_.centerName, settings_.centerEmail};
    mail.to = {c.complainant.name, c.complainant.email};
    mail.subject = letter.subject;
    mail.body = letter.body;
    mail.date = now;
    mail.messageId = templates::makeMessageId(
        "ack." + number.toString() + "." + Poco::UUIDGenerator::defaultGenerator().createRandom().toString(),
        settings_.mailDomain);
    mail.inReplyTo = inReplyTo;
    mail.references = references;
    mail.autoSubmitted = templates::AutoSubmitted::AutoReplied;
    try {
        return QueuedLetter{"acknowledgement", settings_.centerEmail, c.complainant.email,
                            mail.messageId,    letter.subject,        templates::composeMail(mail)};
    } catch (const InvalidRequestError& e) {
        log->warn("{}: no acknowledgement: {}", number.toString(), e.what());
        return std::nullopt;
    }
}

}  // namespace complaintd::daemon
