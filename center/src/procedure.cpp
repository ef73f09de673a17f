#include "center/procedure.h"

#include "cases/error.h"

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

}  // namespace

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
    : store_(store), book_(book), letters_(settings, book) {}

OpenedCase Procedure::open(const CaseDraft& draft, cases::Timestamp now, const FirstLetterTerms& terms) {
    OpenedCase opened;
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
    const auto* referral = book_.referrals.find(draft.referral);
    if (!referral) throw NotFoundError("no referral \"" + draft.referral + "\" in the referral directory");
    return letters_.toComplainant(cases::LetterKind::Referral, draft.fields, number, now,
                                  {{"referral_name", referral->name},
                                   {"referral_phone", referral->phone},
                                   {"referral_address", referral->address},
                                   {"referral_web", referral->web}},
                                  threadIds);
}

const routing::Unit& Procedure::reroute(const cases::CaseNumber& number, const std::string& unitId,
                                        const std::string& actor, const std::string& reason, cases::Timestamp now) {
    const auto* unit = book_.units.find(unitId);
    if (!unit) throw NotFoundError("no unit \"" + unitId + "\"; units: " + unitList(book_.units));
    store_.reroute(number, unit->id, actor, reason, now);
    return *unit;
}

void Procedure::changeStatus(const cases::CaseNumber& number, const cases::StatusChange& change) {
    store_.changeStatus(number, change);
}

std::string Procedure::draftReply(const cases::CaseNumber& number, const std::string& text, const std::string& handler,
                                  cases::Timestamp now) {
    store_.recordReply(number, text, handler, now);
    return Store::draftRevision(handler, text);
}

SignOff Procedure::approve(const cases::CaseNumber& number, cases::ApprovalRole role, const std::string& actor,
                           const std::string& draftRevision, cases::Timestamp now) {
    SignOff result;
    store_.inOneTransaction([&] {
        const auto record = store_.sign(number, role, actor, draftRevision, now);
        if (!signaturesComplete(record)) return;
        store_.changeStatus(number, {CaseStatus::SignedOff, actor,
                                     "signed off by supervisor and approver, draft " + draftRevision, now});
        result.signedOff = true;
        // The letter is made from the record as signed, in the same transaction.
        if (const auto letter = letters_.formalReply(record, number, now)) {
            store_.queueLetter(number, *letter, now);
            result.letterQueued = true;
        } else {
            store_.audit(number, "reply", actor, "no e-mail address: reply by post or phone", now);
        }
    });
    return result;
}

void Procedure::recordRepliedBy(const cases::CaseNumber& number, ReplyVia via, const std::string& note,
                                const std::string& actor, cases::Timestamp now) {
    const std::string how = via == ReplyVia::Post ? "post" : "phone";
    store_.changeStatus(number,
                        {CaseStatus::Replied, actor, "reply sent by " + how + (note.empty() ? "" : ": " + note), now});
}

void Procedure::file(const cases::CaseNumber& number, cases::FilingReason reason, const std::string& note,
                     const std::string& actor, cases::Timestamp now) {
    store_.file(number, reason, actor, note, now);
}

void Procedure::reopenDissatisfied(const cases::CaseRecord& record, const std::string& how, cases::Timestamp now) {
    const auto& number = record.fields.number;
    const auto status = record.fields.status;
    if (status != CaseStatus::Replied && status != CaseStatus::Closed) return;
    store_.inOneTransaction([&] {
        store_.changeStatus(number, {CaseStatus::Reopened, "complaintd", "dissatisfied (" + how + ")", now});
        if (const auto letter = letters_.toUnit(cases::LetterKind::Dissatisfied, record.fields, number, now))
            store_.queueNoticeOnce(number, cases::LetterKind::Dissatisfied, int(now.time_since_epoch().count() / 86400),
                                   letter, now);
    });
}

}  // namespace complaintd::center
