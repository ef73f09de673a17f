#include "center/center_book.h"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

#include "center/confidential_view.h"
#include "center/file_contents.h"
#include "center/logging.h"
#include "documents/postal_reply.h"
#include "documents/reply_letter.h"
#include "documents/survey_form.h"

namespace complaintd::center {
namespace {

std::string readConfigFile(const std::string& path, const std::string& key) {
    auto content = fileContents(path);
    if (!content) throw ConfigError(key + " = \"" + path + "\": cannot read the file");
    return std::move(*content);
}

}  // namespace

routing::UnitDirectory loadUnitDirectory(const Settings& s) {
    return routing::UnitDirectory::parse(readConfigFile(s.unitsFile, "routing.units_file"), s.unitsFile, s.intakeUnit);
}

CenterBook loadCenterBook(const Settings& s) {
    auto units = loadUnitDirectory(s);
    auto referrals =
        routing::ReferralDirectory::parse(readConfigFile(s.referralsFile, "routing.referrals_file"), s.referralsFile);
    auto rules =
        routing::RuleSet::parse(readConfigFile(s.rulesFile, "routing.rules_file"), s.rulesFile, units, referrals);
    cases::WorkCalendar calendar;
    if (s.deadlines.counting == cases::DayCounting::Working)
        calendar =
            cases::WorkCalendar::parse(readConfigFile(s.holidaysFile, "deadlines.holidays_file"), s.holidaysFile);
    std::map<cases::LetterKind, templates::LetterTemplate> letters;
    for (const auto kind : cases::allLetterKinds()) {
        const std::string file = s.templatesDir + "/" + std::string(cases::idOf(kind)) + ".txt";
        letters.emplace(kind, templates::LetterTemplate::parse(readConfigFile(file, "templates.dir"), file,
                                                               templates::letterFields()));
    }
    auto faxGateways =
        fax::GatewaySet::parse(readConfigFile(s.faxGatewaysFile, "fax.gateways_file"), s.faxGatewaysFile);
    auto faxReplies = fax::FaxReplyAddressing::parse(s.faxReplyGateway, "fax.reply_gateway");
    return {std::move(units),   std::move(referrals),   std::move(rules),      std::move(calendar),
            std::move(letters), std::move(faxGateways), std::move(faxReplies), TraditionalCopy()};
}

routing::RoutingDecision CenterBook::route(std::string_view subject, std::string_view body) const {
    // A keyword is found in the text as sent or in its copy: Traditional text stays as it matched.
    const std::string both = std::string(subject) + "\n" + traditional.of(subject);
    return rules.route(both, std::string(body) + "\n" + traditional.of(body));
}

CenterBookInUse::CenterBookInUse(CenterBook book) : book_(std::make_shared<const CenterBook>(std::move(book))) {}

std::shared_ptr<const CenterBook> CenterBookInUse::get() const {
    const std::lock_guard lock(mutex_);
    return book_;
}

void CenterBookInUse::replace(CenterBook book) {
    auto fresh = std::make_shared<const CenterBook>(std::move(book));
    const std::lock_guard lock(mutex_);
    book_.swap(fresh);  // the old book is released outside the lock, by `fresh`
}

LetterOffice::LetterOffice(const Settings& settings, const CenterBook& book) : settings_(settings), book_(book) {}

templates::LetterFields LetterOffice::fieldsFor(const cases::Case& c, const cases::CaseNumber& number,
                                                cases::Timestamp now) const {
    const auto* unit = book_.units.find(c.unit);
    templates::LetterFields fields{
        {"case_number", number.toString()},
        {"received_date", cases::formatRocDate(c.receivedAt)},
        {"received_at", cases::formatIso8601(c.receivedAt)},
        {"subject", c.subject},
        {"summary", c.summary},
        {"channel", std::string(cases::labelOf(c.channel))},
        {"category", std::string(cases::labelOf(c.category))},
        {"unit_name", unit ? unit->name : c.unit},
        {"complainant_name", c.complainant.name},
        {"salutation", cases::salutationOf(c.complainant.name)},
        {"center_name", settings_.centerName},
        {"center_address", settings_.centerAddress},
        {"center_phone", settings_.centerPhone},
        {"center_email", settings_.centerEmail},
        {"center_fax", settings_.centerFax},
        {"today", cases::formatRocDate(now)},
        {"status", std::string(cases::labelOf(c.status))},
    };
    if (c.deadlines) {
        fields["target_due"] = cases::formatDate(c.deadlines->target);
        fields["legal_due"] = cases::formatDate(c.deadlines->legal);
        fields["days_left"] = std::to_string(cases::daysUntil(cases::localDate(now), c.deadlines->target));
    }
    return fields;
}

QueuedLetter LetterOffice::compose(cases::LetterKind kind, const templates::MailAddress& to,
                                   const templates::LetterFields& fields, cases::Timestamp now,
                                   const std::vector<std::string>& threadIds,
                                   const std::vector<templates::OutgoingAttachment>& attachments,
                                   const std::string& bodySuffix) const {
    const auto letter = book_.letters.at(kind).render(fields);
    templates::OutgoingMail mail;
    mail.from = {settings_.centerName, settings_.centerEmail};
    mail.to = to;
    mail.subject = letter.subject;
    mail.body = letter.body + bodySuffix;
    mail.attachments = attachments;
    mail.date = now;
    mail.messageId = templates::makeMessageId(std::string(cases::idOf(kind)) + "." + fields.at("case_number") + "." +
                                                  Poco::UUIDGenerator::defaultGenerator().createRandom().toString(),
                                              settings_.mailDomain);
    if (!threadIds.empty()) mail.inReplyTo = threadIds.back();
    mail.references = threadIds;
    // Acknowledgements answer a message automatically (RFC 3834); the others are written by staff or rules.
    mail.autoSubmitted = kind == cases::LetterKind::Acknowledgement ? templates::AutoSubmitted::AutoReplied
                         : kind == cases::LetterKind::Reply         ? templates::AutoSubmitted::No
                                                                    : templates::AutoSubmitted::AutoGenerated;
    return {kind, settings_.centerEmail, to.address, mail.messageId, letter.subject, templates::composeMail(mail)};
}

std::optional<QueuedLetter> LetterOffice::toComplainant(cases::LetterKind kind, const cases::Case& c,
                                                        const cases::CaseNumber& number, cases::Timestamp now,
                                                        const templates::LetterFields& extra,
                                                        const std::vector<std::string>& threadIds) const {
    if (!templates::isPlainAddress(c.complainant.email)) return std::nullopt;
    auto fields = fieldsFor(c, number, now);
    // No one approves an automatic letter, and the From it goes to may be forged: it quotes a
    // short subject and nothing else the sender wrote. The salutation is the templates' generic
    // 陳情人 and the To: header carries the address alone. The formal reply, signed off by
    // staff, keeps the subject and name.
    const bool automatic = cases::isAutomatic(kind);
    if (automatic) {
        fields["subject"] = templates::quotedSubject(c.subject, settings_.autoLetterSubjectCharacters);
        fields["complainant_name"] = "";
        fields["salutation"] = "";
        fields["summary"] = "";
    }
    for (const auto& [key, value] : extra) fields[key] = value;
    try {
        return compose(kind, {automatic ? "" : c.complainant.name, c.complainant.email}, fields, now, threadIds);
    } catch (const InvalidRequestError& e) {
        moduleLogger("letters")->warn("{}: no {} letter: {}", number.toString(), cases::idOf(kind), e.what());
        return std::nullopt;
    }
}

documents::ReplyLetter LetterOffice::replyLetter(const cases::CaseRecord& record, cases::Date date,
                                                 const std::string& contactPerson) const {
    const auto& c = record.fields;
    const auto* unit = book_.units.find(c.unit);
    documents::CenterContact center;
    center.name = settings_.centerName;
    center.address = settings_.centerAddress;
    center.phone = settings_.centerPhone;
    center.fax = settings_.centerFax;
    center.email = settings_.centerEmail;
    center.contactPerson = contactPerson;
    auto letter = documents::replyLetterFor(c, record.replyText, date, center, unit ? unit->name : c.unit);
    letter.documentNumber = record.documentNumber;
    return letter;
}

documents::SurveyPrefill LetterOffice::surveyPrefill(const cases::Case& c) const {
    auto prefill = documents::surveyPrefillFor(c);
    prefill.centerName = settings_.centerName;
    prefill.returnAddress = settings_.centerAddress;
    prefill.replyEmail = settings_.centerEmail;
    prefill.centerFax = settings_.centerFax;
    return prefill;
}

std::optional<QueuedLetter> LetterOffice::formalReply(const cases::CaseRecord& record, const cases::CaseNumber& number,
                                                      cases::Timestamp now, const std::string& contactPerson) const {
    const auto& c = record.fields;
    const bool byFax = record.replyRoute.way == cases::ReplyRoute::Way::Fax;
    const std::string address = byFax ? record.replyRoute.detail : c.complainant.email;
    if (!templates::isPlainAddress(address)) return std::nullopt;
    const auto letterPdf = documents::renderReplyLetterPdf(replyLetter(record, cases::localDate(now), contactPerson));
    const auto prefill = surveyPrefill(c);
    std::vector<templates::OutgoingAttachment> attachments{
        {number.toString() + "-函復.pdf", "application/pdf", letterPdf},
        {number.toString() + "-客訴案件處理情形調查表.pdf", "application/pdf", documents::renderSurveyPdf(prefill)}};
    auto fields = fieldsFor(c, number, now);
    fields["reply_text"] = record.replyText;
    fields["handler"] = record.handler;
    fields["contact_person"] = contactPerson;
    // By e-mail the survey also travels as a text form to answer by replying; a fax carries the PDF only.
    const std::string survey = byFax ? "" : "\n" + documents::renderSurveyText(prefill);
    return compose(cases::LetterKind::Reply, {c.complainant.name, address}, fields, now, {}, attachments, survey);
}

std::string LetterOffice::postalReply(const cases::CaseRecord& record, const std::string& contactPerson) const {
    // Dated the day it was signed off, as the mailed letter would be: a reprint is the same letter.
    const auto signedAt =
        std::max(record.supervisor.at.value_or(cases::Timestamp{}), record.approver.at.value_or(cases::Timestamp{}));
    return documents::renderPostalReplyPdf(replyLetter(record, cases::localDate(signedAt), contactPerson),
                                           surveyPrefill(record.fields));
}

std::optional<QueuedLetter> LetterOffice::toUnit(cases::LetterKind kind, const cases::Case& c,
                                                 const cases::CaseNumber& number, cases::Timestamp now,
                                                 const templates::LetterFields& extra) const {
    const auto* unit = book_.units.find(c.unit);
    if (!unit || !templates::isPlainAddress(unit->notifyAddress)) return std::nullopt;
    // 密件: the unit sees that a case is due and what it is about, not who complained or what they wrote.
    auto fields = fieldsFor(redactedCase(c), number, now);
    if (c.confidential) fields["summary"] = "（密件，內容請洽總收文）";
    for (const auto& [key, value] : extra) fields[key] = value;
    return compose(kind, {unit->name, unit->notifyAddress}, fields, now, {});
}

std::optional<QueuedLetter> LetterOffice::unitNotice(NoticeReason reason, const cases::Case& c,
                                                     const cases::CaseNumber& number, cases::Timestamp now,
                                                     const std::string& why) const {
    templates::LetterFields extra;
    switch (reason) {
        case NoticeReason::Assigned:
            extra["notice_title"] = "新分派客訴案件";
            extra["notice_text"] = "下列客訴案件已分派　貴單位承辦，請於期限內辦理。";
            break;
        case NoticeReason::Rerouted:
            extra["notice_title"] = "改分客訴案件";
            extra["notice_text"] = "下列客訴案件已改分　貴單位承辦，請於期限內辦理。";
            break;
        case NoticeReason::Reopened:
            extra["notice_title"] = "客訴案件續辦";
            extra["notice_text"] = "下列客訴案件已重新開啟續辦，請於新的期限內辦理。";
            break;
        case NoticeReason::FollowUp:
            extra["notice_title"] = "陳情人來信";
            extra["notice_text"] = "陳情人就下列客訴案件再次來信，請承辦人閱覽（complaintctl messages " +
                                   number.toString() + "），並判斷是否續辦（complaintctl reopen " + number.toString() +
                                   " --reason ...）。";
            break;
    }
    // 密件: the number and the due dates only; the reason may quote the complaint.
    if (!why.empty() && !c.confidential) extra["notice_text"] += "\n說明：" + why;
    if (c.confidential) {
        extra["subject"] = "（密件，內容請洽總收文）";
        extra["summary"] = "（密件）";
    }
    if (!settings_.webBaseUrl.empty()) extra["case_link"] = settings_.webBaseUrl + "/cases/" + number.toString();
    return toUnit(cases::LetterKind::UnitNotice, c, number, now, extra);
}

}  // namespace complaintd::center
