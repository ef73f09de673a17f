#include "center/procedure.h"

#include "cases/error.h"
#include "parsers/contact_details.h"

namespace complaintd::center {
namespace {

using cases::CaseStatus;

std::string unitList(const routing::UnitDirectory& units) {
    std::string list;
    for (const auto& u : units.all()) list += (list.empty() ? "" : ", ") + u.id + " (" + u.name + ")";
    return list;
}

// The rule of sign-off (核判): the supervisor's and the approver's signatures on the same draft.
bool signaturesComplete(const cases::CaseRecord& record) { return record.supervisor.at && record.approver.at; }

void fillMissing(std::string& field, const std::string& found) {
    if (field.empty()) field = found;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

}  // namespace

bool routingUntouchedSinceIntake(const cases::CaseRecord& record) {
    if (record.fields.status != CaseStatus::Received) return false;
    std::optional<std::string> openedWith;
    for (const auto& e : record.history) {
        if (e.kind == cases::EventKind::Rerouted || e.kind == cases::EventKind::Status) return false;
        if (e.kind == cases::EventKind::Opened && !openedWith) openedWith = e.toUnit;
    }
    return !openedWith || *openedWith == record.fields.unit;
}

bool recordLetterAccepted(Store& store, long long outboxId, const std::string& messageId, cases::Timestamp now) {
    bool recorded = false;
    store.inOneTransaction([&] {
        const auto letter = store.markAccepted(outboxId, messageId, now);
        if (!letter) return;
        recorded = true;
        if (letter->kind != cases::LetterKind::Reply || !letter->caseNumber) return;
        const auto record = store.findCase(*letter->caseNumber);
        if (record && record->fields.status == CaseStatus::SignedOff)
            store.changeStatus(*letter->caseNumber,
                               {CaseStatus::Replied, "complaintd", "reply letter accepted by the mail server", now});
    });
    return recorded;
}

void applyRouting(const routing::RoutingDecision& decision, CaseDraft& draft) {
    auto& c = draft.fields;
    c.unit = decision.unitId;
    c.category = decision.category;
    c.routing = decision.routing;
    c.status = decision.openingStatus();
    draft.referral = decision.referralId;
}

std::optional<ReplyVia> replyViaFrom(const std::string& id) {
    if (id == "post") return ReplyVia::Post;
    if (id == "phone") return ReplyVia::Phone;
    return std::nullopt;
}

Procedure::Procedure(Store& store, const Settings& settings, const CenterBook& book)
    : store_(store), settings_(settings), book_(book), letters_(settings, book) {}

OpenedCase Procedure::open(const CaseDraft& draft, cases::Timestamp now, const FirstLetterTerms& terms) {
    OpenedCase opened;
    store_.inOneTransaction([&] {
        opened.number = store_.openCase(
            draft,
            [&](const cases::CaseNumber& number) {
                auto letter = firstLetter(draft, number, now, terms.threadIds);
                if (letter && terms.holdFor) letter->heldReason = *terms.holdFor;
                opened.letterQueued = letter.has_value();
                opened.letterHeld = letter && terms.holdFor;
                return letter;
            },
            now);
        // A case the rules gave a unit is that unit's from now: it is told, in the same transaction.
        // Not while the first letter is held (a flood, an unauthenticated sender): staff look first.
        if (draft.fields.status == CaseStatus::Assigned && !terms.holdFor)
            tellUnit(LetterOffice::NoticeReason::Assigned, opened.number, "complaintd", "", now);
    });
    return opened;
}

cases::CaseNumber Procedure::openWithoutLetter(const CaseDraft& draft, cases::Timestamp now) {
    return store_.openCase(
        draft, [](const cases::CaseNumber&) { return std::optional<QueuedLetter>(); }, now);
}

std::optional<QueuedLetter> Procedure::firstLetter(const CaseDraft& draft, const cases::CaseNumber& number,
                                                   cases::Timestamp now,
                                                   const std::vector<std::string>& threadIds) const {
    if (draft.referral.empty())
        return letters_.toComplainant(cases::LetterKind::Acknowledgement, draft.fields, number, now, {}, threadIds);
    return referralLetter(draft.fields, draft.referral, number, now, threadIds);
}

std::optional<QueuedLetter> Procedure::referralLetter(const cases::Case& c, const std::string& referralId,
                                                      const cases::CaseNumber& number, cases::Timestamp now,
                                                      const std::vector<std::string>& threadIds) const {
    const auto* referral = book_.referrals.find(referralId);
    if (!referral) {
        std::string ids;
        for (const auto& r : book_.referrals.all()) ids += (ids.empty() ? "" : ", ") + r.id + " (" + r.name + ")";
        throw NotFoundError("no referral \"" + referralId + "\" in the referral directory; it has " + ids);
    }
    return letters_.toComplainant(cases::LetterKind::Referral, c, number, now,
                                  {{"referral_name", referral->name},
                                   {"referral_phone", referral->phone},
                                   {"referral_address", referral->address},
                                   {"referral_web", referral->web}},
                                  threadIds);
}

bool Procedure::refer(const cases::CaseNumber& number, const std::string& referralId, const std::string& note,
                      const cases::StaffMember& by, cases::Timestamp now) {
    bool queued = false;
    store_.inOneTransaction([&] {
        const auto record = caseFor(by, cases::StaffAction::Correct, number);
        const auto letter = referralLetter(record.fields, referralId, number, now, {});
        store_.recordReferral(number, referralId, by.id,
                              "referred to " + referralId + (note.empty() ? "" : ": " + note), now);
        if (letter) {
            store_.queueLetter(number, *letter, now);
            queued = true;
        } else {
            store_.audit(number, cases::EventKind::Reply, by.id,
                         "no e-mail address: tell the complainant of the referral by post or phone", now);
        }
    });
    return queued;
}

std::optional<cases::CaseRecord> authorise(Store& store, const cases::StaffMember& acting, cases::StaffAction action,
                                           const std::optional<cases::CaseNumber>& number) {
    // The directory as it stands now (inside the caller's transaction): a role taken or a person
    // disabled since the program found them counts.
    const auto current = store.findStaff(acting.id);
    const auto& person = current ? *current : acting;
    if (!number) {
        if (const auto why = cases::refusal(person, action, "")) throw NotPermittedError(*why);
        return std::nullopt;
    }
    auto record = store.findCase(*number);
    if (!record) throw NotFoundError("no case " + number->toString() + " (complaintctl list shows them)");
    if (const auto why = cases::refusal(person, action, record->fields.unit))
        throw NotPermittedError(number->toString() + ": " + *why);
    return record;
}

cases::CaseRecord Procedure::caseFor(const cases::StaffMember& person, cases::StaffAction action,
                                     const cases::CaseNumber& number) {
    return *authorise(store_, person, action, number);
}

const routing::Unit& Procedure::reroute(const cases::CaseNumber& number, const std::string& unitId,
                                        const cases::StaffMember& by, const std::string& reason, cases::Timestamp now) {
    const auto* unit = book_.units.find(unitId);
    if (!unit) throw NotFoundError("no unit \"" + unitId + "\"; units: " + unitList(book_.units));
    store_.inOneTransaction([&] {
        caseFor(by, cases::StaffAction::Route, number);
        store_.reroute(number, unit->id, by.id, reason, now);
        tellUnit(LetterOffice::NoticeReason::Rerouted, number, by.id, reason, now);
    });
    return *unit;
}

void Procedure::changeStatus(const cases::CaseNumber& number, CaseStatus to, const cases::StaffMember& by,
                             const std::string& note, cases::Timestamp now) {
    const auto action = to == CaseStatus::Archived ? cases::StaffAction::Archive : cases::StaffAction::Handle;
    store_.inOneTransaction([&] {
        caseFor(by, action, number);
        store_.changeStatus(number, {to, by.id, note, now});
        if (to != CaseStatus::Reopened) return;
        renewDeadlines(number, by.id, now);
        tellUnit(LetterOffice::NoticeReason::Reopened, number, by.id, note, now);
    });
}

std::string Procedure::draftReply(const cases::CaseNumber& number, const std::string& text,
                                  const cases::StaffMember& handler, cases::Timestamp now) {
    store_.inOneTransaction([&] {
        caseFor(handler, cases::StaffAction::Handle, number);
        store_.recordReply(number, text, handler.id, now);
    });
    return Store::draftRevision(handler.id, text);
}

std::string Procedure::proposeFiling(const cases::CaseNumber& number, cases::FilingReason reason,
                                     const std::string& note, const cases::StaffMember& handler, cases::Timestamp now) {
    // The memo the signers read: the reason of the procedure and the handler's note.
    const std::string memo = "簽陳存查：理由 " + std::to_string(int(reason)) + "（" +
                             std::string(cases::labelOf(reason)) + "）" + (note.empty() ? "" : "：" + note);
    store_.inOneTransaction([&] {
        caseFor(handler, cases::StaffAction::Handle, number);
        store_.recordReply(number, memo, handler.id, now, reason);
    });
    return Store::draftRevision(handler.id, memo);
}

SignOff Procedure::approve(const cases::CaseNumber& number, cases::ApprovalRole role, const cases::StaffMember& signer,
                           const std::string& draftRevision, cases::Timestamp now) {
    SignOff result;
    store_.inOneTransaction([&] {
        // Decided on the record under the write lock: who drafted and who signed are as they are now.
        const auto before = caseFor(signer, cases::StaffAction::Sign, number);
        if (before.fields.status == CaseStatus::ReplyDrafted && before.replyRevision == draftRevision)
            if (const auto why = cases::signOffRefusal(before, role, signer))
                throw NotPermittedError(number.toString() + ": " + *why);
        const auto record = store_.sign(number, role, signer.id, draftRevision, now);
        if (!signaturesComplete(record)) return;
        result.signedOff = true;
        const std::string signers = "signed off by " + record.supervisor.by + " (主管) and " + record.approver.by +
                                    " (批准), draft " + draftRevision;
        if (record.proposedFiling) {
            store_.file(number, *record.proposedFiling, signer.id, signers, now);
            result.filed = true;
            return;
        }
        store_.changeStatus(number, {CaseStatus::SignedOff, signer.id, signers, now});
        // The letter is made from the record as signed, in the same transaction, with its 發文字號.
        auto signedRecord = record;
        signedRecord.documentNumber = store_.assignDocumentNumber(number, settings_.documentNumberPattern, now);
        if (const auto letter = letters_.formalReply(signedRecord, number, now, contactPerson(record))) {
            store_.queueLetter(number, *letter, now);
            result.letterQueued = true;
        } else {
            store_.audit(number, cases::EventKind::Reply, signer.id, "no e-mail address: reply by post or phone", now);
        }
    });
    return result;
}

void Procedure::renewDeadlines(const cases::CaseNumber& number, const std::string& actor, cases::Timestamp now) {
    store_.renewDeadlines(number, cases::deadlinesFor(now, settings_.deadlines, book_.calendar), actor, now);
}

std::string Procedure::contactPerson(const cases::CaseRecord& record) {
    const auto handler = store_.findStaff(record.handler);
    return handler ? handler->name + (handler->phone.empty() ? "" : " " + handler->phone) : std::string();
}

std::string Procedure::printForPost(const cases::CaseNumber& number, const cases::StaffMember& by, cases::Timestamp now,
                                    const std::function<void(const std::string&)>& deliver) {
    std::string pdf;
    store_.inOneTransaction([&] {
        const auto record = caseFor(by, cases::StaffAction::Print, number);
        const auto status = record.fields.status;
        const bool signedReply = !record.replyText.empty() && !record.proposedFiling && !record.filedReason &&
                                 (status == CaseStatus::SignedOff || status == CaseStatus::Replied ||
                                  status == CaseStatus::Closed || status == CaseStatus::Archived);
        if (!signedReply)
            throw InvalidRequestError(number.toString() + " is " + std::string(cases::idOf(status)) +
                                      ": only a signed-off reply is printed (complaintctl show " + number.toString() +
                                      " says what it waits for)");
        // The letter names the complainant: of a confidential case only for one who may reveal it.
        if (record.fields.confidential)
            if (const auto why = cases::refusal(by, cases::StaffAction::Reveal, record.fields.unit))
                throw NotPermittedError(number.toString() + " is confidential (密件): " + *why);
        if (record.fields.complainant.address.empty())
            throw InvalidRequestError(number.toString() + " has no postal address: complaintctl edit " +
                                      number.toString() + " --address TEXT, then print it");
        pdf = letters_.postalReply(record, contactPerson(record));
        if (deliver) deliver(pdf);  // written (or failed) before the case says it was printed
        store_.audit(number, cases::EventKind::Printed, by.id,
                     "reply letter " +
                         (record.documentNumber.empty() ? std::string("(no 發文字號)") : record.documentNumber) +
                         " printed for the post",
                     now);
    });
    return pdf;
}

void Procedure::recordRepliedBy(const cases::CaseNumber& number, ReplyVia via, const std::string& note,
                                const cases::StaffMember& by, cases::Timestamp now) {
    const std::string how = via == ReplyVia::Post ? "post" : "phone";
    store_.inOneTransaction([&] {
        caseFor(by, cases::StaffAction::Handle, number);
        store_.changeStatus(
            number, {CaseStatus::Replied, by.id, "reply sent by " + how + (note.empty() ? "" : ": " + note), now});
    });
}

std::vector<cases::FieldChange> Procedure::correct(const cases::CaseNumber& number,
                                                   const cases::CaseCorrection& correction,
                                                   const cases::StaffMember& by, cases::Timestamp now) {
    std::vector<cases::FieldChange> changes;
    store_.inOneTransaction([&] {
        const auto record = caseFor(by, cases::StaffAction::Correct, number);
        const auto after = cases::corrected(record.fields, correction);
        // Clearing 密件 shows the complainant to everyone: only one who may reveal the case does it.
        if (record.fields.confidential && !after.confidential)
            if (const auto why = cases::refusal(by, cases::StaffAction::Reveal, record.fields.unit))
                throw NotPermittedError(number.toString() + ": " + *why);
        changes = cases::changesBetween(record.fields, after);
        if (changes.empty())
            throw InvalidRequestError(number.toString() + ": nothing to correct, the values are as given");
        const bool confidential = record.fields.confidential || after.confidential;
        std::vector<std::string> notes;
        for (const auto& change : changes) notes.push_back(cases::historyNote(change, confidential));
        store_.correctCase(number, after, notes, by.id, now);
    });
    return changes;
}

void Procedure::recordReviewOpinion(const cases::CaseNumber& number, const std::string& opinion,
                                    const cases::StaffMember& by, cases::Timestamp now) {
    if (opinion.empty()) throw InvalidRequestError("the opinion is empty");
    store_.inOneTransaction([&] {
        caseFor(by, cases::StaffAction::Review, number);
        store_.audit(number, cases::EventKind::ReviewOpinion, by.id, opinion, now);
    });
}

void Procedure::recordDelayReason(const cases::CaseNumber& number, const std::string& reason,
                                  const cases::StaffMember& by, cases::Timestamp now) {
    store_.inOneTransaction([&] {
        caseFor(by, cases::StaffAction::Handle, number);
        store_.setDelayReason(number, reason, by.id, now);
    });
}

void Procedure::tellUnit(LetterOffice::NoticeReason reason, const cases::CaseNumber& number, const std::string& actor,
                         const std::string& why, cases::Timestamp now) {
    const auto record = store_.findCase(number);
    const auto letter = letters_.unitNotice(reason, record->fields, number, now, why);
    if (!letter) return;  // the unit has no address: it reads its cases in the register
    store_.queueLetter(number, *letter, now);
    store_.audit(number, cases::EventKind::UnitNotice, actor, "unit " + record->fields.unit + " told", now);
}

void Procedure::recordFollowUp(const cases::CaseRecord& record, long long messageRowId, bool flagged,
                               const std::string& note, cases::Timestamp now, const std::string& text) {
    const auto& number = record.fields.number;
    const auto status = record.fields.status;
    const bool afterReply = status == CaseStatus::Replied || cases::isFinished(status);
    store_.inOneTransaction([&] {
        store_.addFollowUp(
            number, messageRowId, flagged, flagged || afterReply,
            note + (afterReply ? "; new message after reply: the handler decides (reopen --reason)" : ""), now, text);
        if (flagged) return;
        const auto letter = letters_.unitNotice(LetterOffice::NoticeReason::FollowUp, record.fields, number, now);
        if (letter)
            store_.queueNoticeOnce(number, cases::LetterKind::UnitNotice, int(now.time_since_epoch().count() / 86400),
                                   letter, now);
    });
}

void Procedure::reopenDissatisfied(const cases::CaseRecord& record, const std::string& how, cases::Timestamp now) {
    const auto& number = record.fields.number;
    const auto status = record.fields.status;
    if (status != CaseStatus::Replied && status != CaseStatus::Closed) return;
    store_.inOneTransaction([&] {
        store_.changeStatus(number, {CaseStatus::Reopened, "complaintd", "dissatisfied (" + how + ")", now});
        renewDeadlines(number, "complaintd", now);
        if (const auto letter = letters_.toUnit(cases::LetterKind::Dissatisfied, record.fields, number, now))
            store_.queueNoticeOnce(number, cases::LetterKind::Dissatisfied, int(now.time_since_epoch().count() / 86400),
                                   letter, now);
    });
}

OcrApplied Procedure::applyOcr(const cases::CaseNumber& number, const OcrReading& reading, cases::Timestamp now) {
    auto applied = OcrApplied::NothingToRoute;
    store_.inOneTransaction([&] {
        // Read in the transaction: what staff did up to this moment decides.
        const auto record = store_.findCase(number);
        if (!record) throw NotFoundError("no case " + number.toString());
        const auto outcome = ocrOutcome(*record, reading);
        const auto& c = outcome.updated;
        if (!c.routing.rule.empty())
            applied = routingUntouchedSinceIntake(*record) ? OcrApplied::Routed : OcrApplied::Suggested;
        store_.completeOcr(number, outcome, applied, now);
        if (applied == OcrApplied::Routed && c.status != CaseStatus::Received)
            store_.changeStatus(number, {c.status, "complaintd", "routed by OCR, rule " + c.routing.rule, now});
        if (applied == OcrApplied::Routed && c.status == CaseStatus::Assigned)
            tellUnit(LetterOffice::NoticeReason::Assigned, number, "complaintd", "", now);
    });
    return applied;
}

OcrOutcome Procedure::ocrOutcome(const cases::CaseRecord& record, const OcrReading& reading) const {
    OcrOutcome o;
    o.updated = record.fields;
    o.text = reading.text;
    o.confidence = reading.confidence;
    o.pagesJson = reading.pagesJson;
    auto& c = o.updated;
    const auto summary = cases::summarizeBody(reading.text, settings_.summaryCharacters);
    if (!summary.empty()) c.summary = summary;
    const auto contact = parsers::extractContactDetails(reading.text, "");
    fillMissing(c.complainant.name, contact.name);
    fillMissing(c.complainant.phone, contact.phones.empty() ? "" : contact.phones.front());
    fillMissing(c.complainant.address, contact.address);
    fillMissing(c.complainant.organisation, contact.organisation);
    c.confidential = c.confidential || contact.confidential;
    o.note = std::to_string(reading.pages) + " pages read, confidence " + std::to_string(reading.confidence);
    if (reading.needsManualSummary) {
        // A person summarises and routes it from the intake desk.
        o.note += "; needs a manual summary: " + joined(reading.reasons, "; ");
        return o;
    }
    const auto decision = book_.route(c.subject, reading.text);
    c.category = decision.category;
    c.routing = decision.routing;
    if (!decision.routing.rule.empty()) {
        c.unit = decision.unitId;
        c.status = decision.openingStatus();
    }
    o.note += decision.routing.rule.empty() ? "; no rule matched" : "; rule " + decision.routing.rule;
    return o;
}

}  // namespace complaintd::center
