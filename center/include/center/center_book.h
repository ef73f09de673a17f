// What the center has configured, loaded together at start-up: units,
// referral directory, routing rules, the work calendar and the letter
// templates. Any mistake is a ConfigError naming the file and line.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cases/deadlines.h"
#include "cases/letter_kind.h"
#include "center/settings.h"
#include "center/store.h"
#include "center/traditional_copy.h"
#include "documents/reply_letter.h"
#include "documents/survey_form.h"
#include "fax/fax_reply.h"
#include "fax/gateway_config.h"
#include "routing/routing.h"
#include "templates/letter_template.h"
#include "templates/mail_composer.h"

namespace complaintd::center {

struct CenterBook {
    routing::UnitDirectory units;
    routing::ReferralDirectory referrals;
    routing::RuleSet rules;
    cases::WorkCalendar calendar;
    std::map<cases::LetterKind, templates::LetterTemplate> letters;  // templates.dir/KIND.txt, every kind
    fax::GatewaySet faxGateways;
    fax::FaxReplyAddressing faxReplies;
    TraditionalCopy traditional;

    // The routing rules on a complaint's subject and text, and on their Traditional copy
    // (traditional_copy.h): the one way every program routes.
    routing::RoutingDecision route(std::string_view subject, std::string_view body) const;
};

CenterBook loadCenterBook(const Settings& settings);
// Only the units file (for complaintctl commands that need no more).
routing::UnitDirectory loadUnitDirectory(const Settings& settings);

// The center book in use, replaced whole by a reload (SIGHUP) that waits for nobody: a cycle
// and an OCR job take the book as it is when they start and keep it to their end, so a reload
// takes effect from the next cycle or job, and the old book goes when the last of them is done.
class CenterBookInUse {
public:
    explicit CenterBookInUse(CenterBook book);
    std::shared_ptr<const CenterBook> get() const;
    void replace(CenterBook book);

private:
    mutable std::mutex mutex_;  // held only to copy or swap the pointer
    std::shared_ptr<const CenterBook> book_;
};

// Renders and composes letters about a case. Pure apart from the random part of Message-IDs.
class LetterOffice {
public:
    LetterOffice(const Settings& settings, const CenterBook& book);

    // A letter to the complainant; nullopt when there is no usable e-mail address. Every kind but
    // "reply" is automatic: it quotes the subject short (mail.auto_letter_subject_characters) and
    // neither the name nor the summary.
    // `threadIds` are the complaint's Message-ID and References, so replies thread.
    std::optional<QueuedLetter> toComplainant(cases::LetterKind kind, const cases::Case& c,
                                              const cases::CaseNumber& number, cases::Timestamp now,
                                              const templates::LetterFields& extra = {},
                                              const std::vector<std::string>& threadIds = {}) const;

    // The formal reply (函復) once signed off: the reply text with the satisfaction survey as a
    // text form in the body, and the letter and survey as PDF attachments. To the complainant's
    // e-mail, or as a fax through the e-mail-to-fax gateway; nullopt when neither is possible.
    // `contactPerson`: 聯絡人, the handler's name and phone from the staff directory ("" for none).
    std::optional<QueuedLetter> formalReply(const cases::CaseRecord& record, const cases::CaseNumber& number,
                                            cases::Timestamp now, const std::string& contactPerson = "") const;
    // The same reply for the post (documents/postal_reply.h): letter, survey and address slips in
    // one PDF, dated the day the reply was signed off, with its 發文字號.
    std::string postalReply(const cases::CaseRecord& record, const std::string& contactPerson = "") const;

    // The notice to the case's unit (c.unit) that the case is theirs: new, rerouted to them, or
    // reopened. Number, subject, due dates and a link to the case in the web console; for a
    // confidential case the number and the due dates only. nullopt when the unit has no address.
    enum class NoticeReason { Assigned, Rerouted, Reopened, FollowUp };
    std::optional<QueuedLetter> unitNotice(NoticeReason reason, const cases::Case& c, const cases::CaseNumber& number,
                                           cases::Timestamp now, const std::string& why = "") const;

    // A letter to the case's unit (reminders). Complainant fields of a confidential case are left out.
    std::optional<QueuedLetter> toUnit(cases::LetterKind kind, const cases::Case& c, const cases::CaseNumber& number,
                                       cases::Timestamp now, const templates::LetterFields& extra = {}) const;

private:
    documents::ReplyLetter replyLetter(const cases::CaseRecord& record, cases::Date date,
                                       const std::string& contactPerson) const;
    documents::SurveyPrefill surveyPrefill(const cases::Case& c) const;
    templates::LetterFields fieldsFor(const cases::Case& c, const cases::CaseNumber& number,
                                      cases::Timestamp now) const;
    QueuedLetter compose(cases::LetterKind kind, const templates::MailAddress& to,
                         const templates::LetterFields& fields, cases::Timestamp now,
                         const std::vector<std::string>& threadIds,
                         const std::vector<templates::OutgoingAttachment>& attachments = {},
                         const std::string& bodySuffix = "") const;

    const Settings& settings_;
    const CenterBook& book_;
};

}  // namespace complaintd::center
