// The moves of the complaint procedure that change the register, shared by every program
// (complaintd's workers, complaintctl and the web console) so that all apply the same rules.
// Each decides with the pure rules of cases/ and routing/, applies the decision through the
// store in one transaction with its history line, and queues the letters it calls for. None
// reads a clock: `now` is passed in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cases/correction.h"
#include "cases/staff.h"
#include "center/center_book.h"
#include "center/settings.h"
#include "center/store.h"
#include "routing/routing.h"

namespace complaintd::center {

// What the routing rules decided, written into a new case: unit, category, the explanation, the
// status it opens with (routing::RoutingDecision::openingStatus) and the referral it calls for.
// The same for intake, complaintctl new and a message staff open from the quarantine.
void applyRouting(const routing::RoutingDecision& decision, CaseDraft& draft);

// How the first letter of a mailed complaint goes out.
struct FirstLetterTerms {
    std::vector<std::string> threadIds;  // the complaint's Message-ID and References, so replies thread
    std::optional<std::string> holdFor;  // held for staff (a flood, an unauthenticated sender): why
};

struct OpenedCase {
    cases::CaseNumber number;
    bool letterQueued = false;  // false: the complainant has no usable e-mail address
    bool letterHeld = false;
};

// The outcome of a signature on a drafted reply.
struct SignOff {
    bool signedOff = false;     // both signatures are on the draft: the case is signed off
    bool letterQueued = false;  // the reply letter (with the survey) is queued by mail or fax
    bool filed = false;         // the draft was a filing memo: the case is filed (存查)
};

// What OCR read from a fax's pages (the daemon's OCR engine, fax/ocr_engine.h, in the center's
// terms: the center does not link the engine).
struct OcrReading {
    std::string text;
    int confidence = 0;  // 0-100, over pages with text
    int pages = 0;
    std::string pagesJson;  // per page: number, confidence, low, defect
    bool needsManualSummary = false;
    std::vector<std::string> reasons;  // why a person must summarise it
};

// The routing of a fax case is OCR's to fill only while nobody decided it: the case is still
// `received` with the unit it was opened with, and no reroute or status change is on its history.
bool routingUntouchedSinceIntake(const cases::CaseRecord& record);

// How a reply went when it did not go by mail.
enum class ReplyVia { Post, Phone };
std::optional<ReplyVia> replyViaFrom(const std::string& id);  // "post", "phone"

// 函復送達: the mail server accepted outbox letter `outboxId` (queued under `messageId`), recorded
// once (false when it was recorded before, see Store::markAccepted). The formal reply moves its
// signed-off case to replied. Needs no center book: the outbox dispatcher calls it.
bool recordLetterAccepted(Store& store, long long outboxId, const std::string& messageId, cases::Timestamp now);

// The check of every staff action: NotPermittedError naming what the action needs when `person`'s
// roles do not allow it on case `number` (cases::refusal), NotFoundError without the case. Returns
// the case as it stands; nullopt for an action on no case. For what a program does outside the
// moves of Procedure: read the quarantine, release a letter, reveal a confidential case.
std::optional<cases::CaseRecord> authorise(Store& store, const cases::StaffMember& person, cases::StaffAction action,
                                           const std::optional<cases::CaseNumber>& number = std::nullopt);

class Procedure {
public:
    Procedure(Store& store, const Settings& settings, const CenterBook& book);

    // 收文: opens the case with the next number of its year and queues its first letter, the
    // acknowledgement or, for a case outside the center's remit, the referral letter. None when the
    // complainant has no usable e-mail address (they are answered by post or phone). A case the rules
    // gave a unit is that unit's: it is told (LetterOffice::unitNotice), unless the first letter is
    // held for staff.
    OpenedCase open(const CaseDraft& draft, cases::Timestamp now, const FirstLetterTerms& terms = {});
    // A case that gets no first letter: a fax whose pages wait for OCR (it is never answered to the
    // gateway), a message staff open from the quarantine (they answer it through the procedure).
    cases::CaseNumber openWithoutLetter(const CaseDraft& draft, cases::Timestamp now);

    // Every staff move below takes the person acting, from the staff directory, and refuses
    // (NotPermittedError, see authorise) what their roles do not allow; their id is the actor of
    // the history line.

    // 改分: gives the case to another unit of the directory (NotFoundError naming the units when
    // there is no such unit) and tells that unit; a case waiting at the intake desk becomes assigned.
    // Signatures on its draft are void: they were the old unit's.
    const routing::Unit& reroute(const cases::CaseNumber& number, const std::string& unitId,
                                 const cases::StaffMember& by, const std::string& reason, cases::Timestamp now);

    // Any other move of the lifecycle (start, close, archive, reopen by hand), checked by cases/lifecycle.
    // A case reopened by hand is the unit's again: it is told, and it gets new deadlines (7 and 30
    // days from the reopening; the first ones stay for the reports).
    void changeStatus(const cases::CaseNumber& number, cases::CaseStatus to, const cases::StaffMember& by,
                      const std::string& note, cases::Timestamp now);

    // 擬辦: the handler's draft of the reply; earlier signatures are void. Returns the draft's revision,
    // which each signer names.
    std::string draftReply(const cases::CaseNumber& number, const std::string& text, const cases::StaffMember& handler,
                           cases::Timestamp now);
    // 簽陳存查: the handler's memo proposing to file the case without handling for one of the
    // procedure's four reasons. It is signed off like a reply (approve), and then the case is
    // filed; no letter goes. Returns the memo's revision.
    std::string proposeFiling(const cases::CaseNumber& number, cases::FilingReason reason, const std::string& note,
                              const cases::StaffMember& handler, cases::Timestamp now);
    // 核判: a signature on the draft named `draftRevision`, by a supervisor of the handling unit or an
    // approver, neither of them the drafter nor the other signer (cases::signOffRefusal). Once both
    // signed it, the case is signed off and the formal reply with the survey is queued, by e-mail or
    // through the fax gateway (without either the history says to reply by post or phone); a filing
    // memo files the case instead.
    SignOff approve(const cases::CaseNumber& number, cases::ApprovalRole role, const cases::StaffMember& signer,
                    const std::string& draftRevision, cases::Timestamp now);
    // 郵寄: the signed-off reply for the post (LetterOffice::postalReply), as a PDF, with a "printed"
    // history line. For a case signed off, replied, closed or archived (a reprint is the same
    // letter); a confidential case only for one who may reveal it; InvalidRequestError without a
    // signed-off reply or without a postal address. `deliver` (writing the file) runs inside the
    // move's transaction: when it throws, nothing is recorded and the reply stays pending.
    std::string printForPost(const cases::CaseNumber& number, const cases::StaffMember& by, cases::Timestamp now,
                             const std::function<void(const std::string&)>& deliver = {});
    // The reply went by post or phone (staff record it; a mailed reply is recorded when the mail
    // server accepts it).
    void recordRepliedBy(const cases::CaseNumber& number, ReplyVia via, const std::string& note,
                         const cases::StaffMember& by, cases::Timestamp now);
    // 移送: refers the case by hand to the competent authority `referralId` of the referral directory
    // (NotFoundError naming them otherwise) and queues the referral letter, which tells the
    // complainant whom to contact; no cap of automatic letters holds it. false when the
    // complainant has no e-mail address (tell them by post or phone; the history says so).
    bool refer(const cases::CaseNumber& number, const std::string& referralId, const std::string& note,
               const cases::StaffMember& by, cases::Timestamp now);
    // 更正: corrects what intake got wrong (the complainant's details, subject, summary, category,
    // 密件, the receipt reference), each change a history line with old and new value (without the
    // values for a confidential case). Returns the changes; InvalidRequestError when nothing changes.
    std::vector<cases::FieldChange> correct(const cases::CaseNumber& number, const cases::CaseCorrection& correction,
                                            const cases::StaffMember& by, cases::Timestamp now);
    // 附表三: management's opinion (長官、主管及各單位意見及建議) on the case's review form, by a
    // supervisor or an approver; the latest is the form's.
    void recordReviewOpinion(const cases::CaseNumber& number, const std::string& opinion, const cases::StaffMember& by,
                             cases::Timestamp now);
    // 延長辦理: why the case takes longer; the complainant is told before the legal limit.
    void recordDelayReason(const cases::CaseNumber& number, const std::string& reason, const cases::StaffMember& by,
                           cases::Timestamp now);
    // A follow-up from the mail (not a survey answer) attached to its case. A message after the
    // reply flags the case for the handler ("new message after reply") and tells the unit, once a
    // day at most; it reopens nothing: a thank-you is no continued handling, the handler decides
    // (reopen --reason). `flagged`: not from the complainant (attached, flagged, never reopens).
    void recordFollowUp(const cases::CaseRecord& record, long long messageRowId, bool flagged, const std::string& note,
                        cases::Timestamp now, const std::string& text = "");
    // 不滿意則續辦: reopens an answered case after a dissatisfied survey and tells its unit
    // (the "dissatisfied" notice, once a day at most). Nothing for a case not answered.
    void reopenDissatisfied(const cases::CaseRecord& record, const std::string& how, cases::Timestamp now);

    // 傳真辨識: writes what OCR read into the fax's case. The text's summary and the complainant
    // fill what intake left empty; the routing rules run on the text and their unit and status are
    // applied only while staff have not routed the case themselves (else the history suggests it).
    // A reading that needs a manual summary routes nothing; a fax OCR assigns to a unit tells it.
    // NotFoundError without the case.
    OcrApplied applyOcr(const cases::CaseNumber& number, const OcrReading& reading, cases::Timestamp now);

    // The acknowledgement, or the referral letter when the draft names a referral.
    std::optional<QueuedLetter> firstLetter(const CaseDraft& draft, const cases::CaseNumber& number,
                                            cases::Timestamp now, const std::vector<std::string>& threadIds) const;

private:
    std::optional<QueuedLetter> referralLetter(const cases::Case& c, const std::string& referralId,
                                               const cases::CaseNumber& number, cases::Timestamp now,
                                               const std::vector<std::string>& threadIds) const;
    // 通知承辦單位: queues the unit's notice about the case as it stands, with its history line.
    void tellUnit(LetterOffice::NoticeReason reason, const cases::CaseNumber& number, const std::string& actor,
                  const std::string& why, cases::Timestamp now);
    // 續辦: a reopened case is handled again within the procedure's days, counted from now.
    void renewDeadlines(const cases::CaseNumber& number, const std::string& actor, cases::Timestamp now);
    // 聯絡人: the drafter's name and phone from the staff directory.
    std::string contactPerson(const cases::CaseRecord& record);
    cases::CaseRecord caseFor(const cases::StaffMember& person, cases::StaffAction action,
                              const cases::CaseNumber& number);
    OcrOutcome ocrOutcome(const cases::CaseRecord& record, const OcrReading& reading) const;

    Store& store_;
    const Settings& settings_;
    const CenterBook& book_;
    LetterOffice letters_;
};

}  // namespace complaintd::center
