// The moves of the complaint procedure that change the register, shared by every program
// (complaintd's workers, complaintctl and the web console) so that all apply the same rules.
// Each decides with the pure rules of cases/ and routing/, applies the decision through the
// store in one transaction with its history line, and queues the letters it calls for. None
// reads a clock: `now` is passed in.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
};

// How a reply went when it did not go by mail.
enum class ReplyVia { Post, Phone };
std::optional<ReplyVia> replyViaFrom(const std::string& id);  // "post", "phone"

class Procedure {
public:
    Procedure(Store& store, const Settings& settings, const CenterBook& book);

    // 收文: opens the case with the next number of its year and queues its first letter, the
    // acknowledgement or, for a case outside the center's remit, the referral letter. None when the
    // complainant has no usable e-mail address (they are answered by post or phone).
    OpenedCase open(const CaseDraft& draft, cases::Timestamp now, const FirstLetterTerms& terms = {});
    // A case that gets no first letter: a fax whose pages wait for OCR (it is never answered to the
    // gateway), a message staff open from the quarantine (they answer it through the procedure).
    cases::CaseNumber openWithoutLetter(const CaseDraft& draft, cases::Timestamp now);

    // 改分: gives the case to another unit of the directory (NotFoundError naming the units when
    // there is no such unit); a case waiting at the intake desk becomes assigned.
    const routing::Unit& reroute(const cases::CaseNumber& number, const std::string& unitId, const std::string& actor,
                                 const std::string& reason, cases::Timestamp now);

    // Any other move of the lifecycle (start, close, archive, reopen by hand), checked by cases/lifecycle.
    void changeStatus(const cases::CaseNumber& number, const cases::StatusChange& change);

    // 擬辦: the handler's draft of the reply; earlier signatures are void. Returns the draft's revision,
    // which each signer names.
    std::string draftReply(const cases::CaseNumber& number, const std::string& text, const std::string& handler,
                           cases::Timestamp now);
    // 核判: a signature on the draft named `draftRevision`. Once the supervisor (主管) and the
    // approver (批准) have both signed it, the case is signed off and the formal reply with the
    // survey is queued, by e-mail or through the fax gateway; without either the history says to
    // reply by post or phone.
    SignOff approve(const cases::CaseNumber& number, cases::ApprovalRole role, const std::string& actor,
                    const std::string& draftRevision, cases::Timestamp now);
    // The reply went by post or phone (staff record it; a mailed reply is recorded when the mail
    // server accepts it).
    void recordRepliedBy(const cases::CaseNumber& number, ReplyVia via, const std::string& note,
                         const std::string& actor, cases::Timestamp now);
    // 存查: filed without handling for one of the procedure's four reasons.
    void file(const cases::CaseNumber& number, cases::FilingReason reason, const std::string& note,
              const std::string& actor, cases::Timestamp now);
    // 不滿意則續辦: reopens an answered case after a dissatisfied survey and tells its unit
    // (the "dissatisfied" notice, once a day at most). Nothing for a case not answered.
    void reopenDissatisfied(const cases::CaseRecord& record, const std::string& how, cases::Timestamp now);

    // The acknowledgement, or the referral letter when the draft names a referral.
    std::optional<QueuedLetter> firstLetter(const CaseDraft& draft, const cases::CaseNumber& number,
                                            cases::Timestamp now, const std::vector<std::string>& threadIds) const;

private:
    Store& store_;
    const CenterBook& book_;
    LetterOffice letters_;
};

}  // namespace complaintd::center
