#include "daemon/intake.h"

#include <algorithm>

#include "cases/threading.h"
#include "center/logging.h"
#include "center/procedure.h"
#include "center/survey_codec.h"
#include "daemon/letter_gate.h"
#include "documents/survey_reply.h"
#include "fax/fax_recognition.h"
#include "parsers/mail_safety.h"

namespace complaintd::daemon {
namespace {

// The complainant's details: the name written in the text (聯絡人：...) before the
// From display name; phone, fax, address and company from the text; the reply
// goes to the address that wrote to us.
cases::Complainant complainantOf(const parsers::ParsedMessage& parsed) {
    const auto& contact = parsed.contact;
    cases::Complainant who;
    who.name = contact.name.empty() ? parsed.from.name : contact.name;
    who.email = parsed.from.address;
    who.phone = contact.phones.empty() ? "" : contact.phones.front();
    who.fax = contact.faxes.empty() ? "" : contact.faxes.front();
    who.address = contact.address;
    who.organisation = contact.organisation;
    return who;
}

cases::Case caseFrom(const parsers::ParsedMessage& parsed, const center::StoredMessage& message,
                     const center::Settings& settings, const cases::WorkCalendar& calendar) {
    cases::Case c;
    c.channel = message.channel;
    c.receivedAt = message.receivedAt;
    c.complainant = complainantOf(parsed);
    c.confidential = parsed.contact.confidential;
    c.subject = parsed.subject.empty() ? "（無主旨）" : parsed.subject;
    // A forwarded complaint with no words of its own: the inner message is the complaint.
    const bool onlyForwarded = cases::summarizeBody(parsed.textBody, 1).empty() && !parsed.forwarded.empty();
    c.summary = cases::summarizeBody(onlyForwarded ? parsed.forwarded.front().textBody : parsed.textBody,
                                     settings.summaryCharacters);
    c.deadlines = cases::deadlinesFor(c.receivedAt, settings.deadlines, calendar);
    return c;
}

std::vector<std::string> recipientsOf(const parsers::ParsedMessage& parsed) {
    std::vector<std::string> addresses;
    for (const auto* list : {&parsed.to, &parsed.cc})
        for (const auto& mailbox : *list) addresses.push_back(mailbox.address);
    return addresses;
}

// The complaint's Message-ID after its References: what our letters refer to.
std::vector<std::string> threadIdsOf(const parsers::ParsedMessage& parsed) {
    auto ids = parsed.references;
    if (!parsed.messageId.empty()) ids.push_back(parsed.messageId);
    return ids;
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
}

}  // namespace

parsers::SenderAuthentication IntakeProcessor::senderAuthentication(const center::StoredMessage& message,
                                                                    const parsers::ParsedMessage& parsed) const {
    return parsers::authenticateSender(message.raw, parsed.from.address, settings_.authservId,
                                       settings_.authservIdForm);
}

IntakeProcessor::IntakeProcessor(const center::Settings& settings, const center::CenterBook& book, Progress progress)
    : settings_(settings), book_(book), progress_(std::move(progress)) {}

IntakeReport IntakeProcessor::processPending(center::Store& store, const center::Clock& clock,
                                             const std::atomic<bool>& stopping) {
    constexpr std::size_t kBatch = 50;
    IntakeReport report;
    for (;;) {
        const auto batch = store.pendingMessageIds(kBatch);
        // One commit (one sync to disk) for the batch; each message is still all or nothing (a savepoint).
        // The raw bytes are read one message at a time: a batch of large mails never sits in memory.
        store.inOneTransaction([&] {
            for (const auto id : batch) {
                if (stopping) return;
                processIsolated(store, clock, id, report);
                if (progress_) progress_();
            }
        });
        if (stopping || batch.size() < kBatch) return report;
    }
}

void IntakeProcessor::processIsolated(center::Store& store, const center::Clock& clock, long long messageRowId,
                                      IntakeReport& report) {
    IntakeReport mine;  // added only once the message's work stands
    try {
        store.inSavepoint([&] {
            if (const auto message = store.message(messageRowId)) processOne(store, clock, *message, mine);
        });
    } catch (const center::StoreError&) {
        throw;  // the store is unwell, not the message: the batch rolls back and the cycle reports it
    } catch (const std::exception& e) {
        // The one deliberate exception to "broken invariants end the daemon" (../shared/docs/style.md,
        // "Errors"): a bug met by one message must not stop intake for every other. Its work is rolled
        // back to its savepoint; it is moved aside, visible and retryable (complaintctl quarantine), as
        // Postfix moves a message to its corrupt queue, and the rest of the batch goes on.
        const std::string reason = std::string("internal error: ") + e.what();
        store.quarantine(messageRowId, reason);
        store.bump(center::Counter::MessagesPoisoned);
        ++report.poisoned;
        center::moduleLogger("intake")->error(
            "message={} poisoned reason=\"{}\": quarantined, intake goes on (complaintctl quarantine show {})",
            messageRowId, reason, messageRowId);
        return;
    }
    report.opened += mine.opened;
    report.followUps += mine.followUps;
    report.automated += mine.automated;
    report.spam += mine.spam;
    report.quarantined += mine.quarantined;
}

void IntakeProcessor::processOne(center::Store& store, const center::Clock& clock, const center::StoredMessage& message,
                                 IntakeReport& report) {
    auto result = parsers::parseMessage(message.raw, settings_.limits);
    if (const auto* failure = std::get_if<parsers::ParseFailure>(&result)) {
        store.quarantine(message.id, failure->reason);
        store.bump(center::Counter::MessagesQuarantined);
        ++report.quarantined;
        center::moduleLogger("intake")->warn("message={} quarantined reason=\"{}\"", message.id, failure->reason);
        return;
    }
    auto& parsed = std::get<parsers::ParsedMessage>(result);
    const auto now = clock.now();
    if (message.channel == cases::Channel::Fax) {
        // Gateway mail: never answered, never threaded; OCR reads the pages later.
        openFaxCase(store, parsed, message, now);
        store.bump(center::Counter::CasesOpened);
        ++report.opened;
        return;
    }
    if (holdSpam(store, parsed, message, now)) {
        store.bump(center::Counter::MessagesSpam);
        ++report.spam;
        return;
    }
    if (recordAutomated(store, parsed, message, now)) {
        store.bump(center::Counter::MessagesAutomated);
        ++report.automated;
        return;
    }
    if (attachFollowUp(store, parsed, message, now)) {
        store.bump(center::Counter::FollowUps);
        ++report.followUps;
        return;
    }
    openNewCase(store, parsed, message, now);
    store.bump(center::Counter::CasesOpened);
    ++report.opened;
}

std::optional<cases::CaseNumber> IntakeProcessor::threadOf(center::Store& store, const parsers::ParsedMessage& parsed,
                                                           std::string& how) const {
    // Chinese webmail often drops References: the subject tag alone is enough to thread.
    if (auto number = cases::caseTagIn(parsed.subject); number && store.findCase(*number)) {
        how = "subject tag";
        return number;
    }
    // One store query per id: only the newest references, as a forged References header can hold
    // a hundred thousand (a real thread's are far fewer, and ours are the latest).
    constexpr std::size_t kMaxThreadIds = 20;
    const auto& refs = parsed.references;
    std::vector<std::string> ids(refs.end() - std::ptrdiff_t(std::min(refs.size(), kMaxThreadIds)), refs.end());
    if (!parsed.inReplyTo.empty()) ids.insert(ids.begin(), parsed.inReplyTo);
    how = "reply to our letter";
    return store.caseOfSentLetter(ids);
}

namespace {

// What the held list shows: the From as written (a complaint may have no parsable address) and the subject.
center::HeldNote heldNote(std::string_view kind, const std::string& reason, const parsers::ParsedMessage& parsed) {
    std::string sender = parsed.from.address;
    if (sender.empty()) sender = parsed.from.name;
    return {std::string(kind), reason, sender, parsed.subject, parsed.contact.confidential};
}

}  // namespace

bool IntakeProcessor::holdSpam(center::Store& store, const parsers::ParsedMessage& parsed,
                               const center::StoredMessage& message, cases::Timestamp now) {
    const auto mark = parsers::spamMarkOf(message.raw, settings_.spamMarks);
    if (!mark) return false;
    store.holdSpam(message.id, heldNote("spam", *mark, parsed), now);
    center::moduleLogger("intake")->info(
        "-: message={} spam mark=\"{}\" held: no case, no letter (complaintctl spam list)", message.id, *mark);
    return true;
}

bool IntakeProcessor::recordAutomated(center::Store& store, const parsers::ParsedMessage& parsed,
                                      const center::StoredMessage& message, cases::Timestamp now) {
    const auto automated = parsers::automatedMessage(message.raw, parsed.from.address, settings_.mailDomain);
    if (!automated) return false;
    auto log = center::moduleLogger("intake");
    const auto note = heldNote(idOf(automated->kind), automated->reason, parsed);
    if (automated->kind == parsers::AutomatedKind::Bounce) {
        const auto number =
            store.recordBounce(message.id, parsers::messageIdsOfDomain(message.raw, settings_.mailDomain), note, now);
        log->warn("{}: message={} bounce of our letter: reply by post or phone", number ? number->toString() : "-",
                  message.id);
        return true;
    }
    std::string how;
    const auto number = threadOf(store, parsed, how);
    store.recordAutomated(message.id, note, number, now);
    log->info("{}: message={} automated reason=\"{}\" held: no case, no letter (complaintctl automated list)",
              number ? number->toString() : "-", message.id, automated->reason);
    return true;
}

namespace {

// What the search index keeps of a message: its subject, text and forwarded texts.
std::string searchableText(const parsers::ParsedMessage& parsed) {
    std::string text = parsed.subject + "\n" + parsed.textBody;
    for (const auto& f : parsed.forwarded) text += "\n" + f.subject + "\n" + f.textBody;
    return text;
}

}  // namespace

bool IntakeProcessor::attachFollowUp(center::Store& store, const parsers::ParsedMessage& parsed,
                                     const center::StoredMessage& message, cases::Timestamp now) {
    std::string how;
    const auto number = threadOf(store, parsed, how);
    if (!number) return false;
    const auto record = store.findCase(*number);
    if (!record) return false;
    // A number in a subject is no proof of identity, nor is a From anyone can write: another sender,
    // or one the center's server did not authenticate, is attached but flagged, and never reopens
    // the case or answers its survey.
    const bool otherSender = !cases::sameAddress(parsed.from.address, record->fields.complainant.email);
    const bool unauthenticated =
        senderAuthentication(message, parsed) == parsers::SenderAuthentication::NotAuthenticated;
    const bool flagged = otherSender || unauthenticated;
    if (!flagged && recordSurveyReply(store, *record, parsed, message, now)) return true;
    const std::string note = "message " + std::to_string(message.id) + " (" + how + ")" +
                             (otherSender       ? ", from another sender: review"
                              : unauthenticated ? ", sender not authenticated (Authentication-Results): review"
                                                : "");
    center::Procedure(store, settings_, book_)
        .recordFollowUp(*record, message.id, flagged, note, now, searchableText(parsed));
    center::moduleLogger("intake")->info("{}: message={} follow-up by={} flagged={}", number->toString(), message.id,
                                         how == "subject tag" ? "tag" : "reference", flagged ? "yes" : "no");
    return true;
}

void IntakeProcessor::openNewCase(center::Store& store, parsers::ParsedMessage& parsed,
                                  const center::StoredMessage& message, cases::Timestamp now) {
    const auto decision = book_.route(parsed.subject, parsed.textBody);
    center::CaseDraft draft;
    draft.messageRowId = message.id;
    draft.fields = caseFrom(parsed, message, settings_, book_.calendar);
    center::applyRouting(decision, draft);
    draft.attachments = std::move(parsed.attachments);  // large: moved, not copied
    draft.defects = parsed.defects;
    draft.text = searchableText(parsed);
    draft.suggestions = cases::suggestDispositions(
        draft.fields, recipientsOf(parsed), store.earlierCasesOf(draft.fields.complainant), settings_.dispositions);
    // A flood, or a sender the center's server did not authenticate, gets cases; the letters wait for staff.
    const auto hold = automaticLetterHold(
        store, settings_, {parsed.from.address, senderAuthentication(message, parsed), message.sharesMessageId}, now);
    const auto opened = center::Procedure(store, settings_, book_).open(draft, now, {threadIdsOf(parsed), hold});
    const auto& number = opened.number;
    if (!opened.letterQueued)
        center::moduleLogger("intake")->warn("{}: no letter: the sender has no usable e-mail address",
                                             number.toString());
    if (opened.letterHeld) {
        store.bump(center::Counter::LettersHeld);
        center::moduleLogger("intake")->warn("{}: letter held for staff ({}): complaintctl outbox release",
                                             number.toString(), *hold);
    }
    auto log = center::moduleLogger("intake");
    if (draft.fields.confidential) {
        // 密件: nothing of the case beyond its number is ever logged.
        log->info("{}: message={} confidential=yes unit={}", number.toString(), message.id, decision.unitId);
        return;
    }
    const auto* unit = book_.units.find(decision.unitId);
    log->info("{}: message={} rule={} unit={} category={} keywords={} referral={} suggestions={} defects={}",
              number.toString(), message.id, decision.routing.rule.empty() ? "-" : decision.routing.rule,
              unit ? unit->name : decision.unitId, cases::idOf(decision.category), joined(decision.routing.keywords),
              decision.referralId.empty() ? "-" : decision.referralId, draft.suggestions.size(), parsed.defects.size());
    log->debug("{}: from=<{}> subject=\"{}\"", number.toString(), parsed.from.address, parsed.subject);
}

bool IntakeProcessor::recordSurveyReply(center::Store& store, const cases::CaseRecord& record,
                                        const parsers::ParsedMessage& parsed, const center::StoredMessage& message,
                                        cases::Timestamp now) {
    const auto status = record.fields.status;
    if (status != cases::CaseStatus::Replied && status != cases::CaseStatus::Closed) return false;
    const auto answers = documents::parseSurveyReply(parsed.textBody);
    // An unreadable form is an ordinary follow-up; partial answers are kept as such, never guessed.
    if (answers.status == documents::FormStatus::Unreadable) return false;
    const auto& number = record.fields.number;
    store.addFollowUp(number, message.id, false, false, "message " + std::to_string(message.id) + ": survey reply",
                      now);
    store.saveSurvey(number, {std::string(documents::idOf(answers.status)), "mail", center::surveyToJson(answers), now},
                     parsed.textBody, "complaintd");
    auto log = center::moduleLogger("intake");
    log->info("{}: message={} survey={} dissatisfied={}", number.toString(), message.id,
              documents::idOf(answers.status), documents::isDissatisfied(answers) ? "yes" : "no");
    if (documents::isDissatisfied(answers))
        center::Procedure(store, settings_, book_).reopenDissatisfied(record, "survey reply", now);
    return true;
}

void IntakeProcessor::openFaxCase(center::Store& store, parsers::ParsedMessage& parsed,
                                  const center::StoredMessage& message, cases::Timestamp now) {
    const auto info = fax::recogniseFax(parsed, book_.faxGateways);
    center::CaseDraft draft;
    draft.messageRowId = message.id;
    auto& c = draft.fields;
    c.channel = cases::Channel::Fax;
    c.receivedAt = message.receivedAt;
    c.complainant.fax = info.number;  // the gateway's From address is not the complainant's
    c.subject = "傳真陳情";           // the number is in the Fax field, where a confidential case hides it
    c.summary = info.documents.empty() ? "（傳真未附頁面）" : center::Store::kFaxSummaryPending;
    c.unit = book_.units.intake().id;
    c.status = cases::CaseStatus::Received;
    c.deadlines = cases::deadlinesFor(c.receivedAt, settings_.deadlines, book_.calendar);
    draft.attachments = std::move(parsed.attachments);  // large: moved, not copied
    draft.defects = parsed.defects;
    draft.defects.insert(draft.defects.end(), info.defects.begin(), info.defects.end());
    draft.ocrPending = !info.documents.empty();
    draft.replyRoute = replyRouteFor(info.number);
    const auto number = center::Procedure(store, settings_, book_).openWithoutLetter(draft, now);
    center::moduleLogger("intake")->info("{}: message={} channel=fax gateway={} pages={} ocr={} reply={}",
                                         number.toString(), message.id, info.gateway.empty() ? "-" : info.gateway,
                                         info.pages ? std::to_string(*info.pages) : "-",
                                         draft.ocrPending ? "pending" : "none",
                                         draft.replyRoute.way == cases::ReplyRoute::Way::Fax ? "fax" : "post-or-phone");
}

cases::ReplyRoute IntakeProcessor::replyRouteFor(const std::string& faxNumber) const {
    if (faxNumber.empty()) return cases::ReplyRoute::byPostOrPhone("the fax gateway gave no sender number");
    const auto route = book_.faxReplies.route(faxNumber);
    if (const auto* byFax = std::get_if<fax::ReplyByFax>(&route)) return cases::ReplyRoute::byFax(byFax->address);
    return cases::ReplyRoute::byPostOrPhone(std::get<fax::ReplyByPostOrPhone>(route).reason);
}

}  // namespace complaintd::daemon
