// The Store's case side: opening, reading, and every change of the lifecycle,
// each with its audit line in case_events, each in one transaction.
#include <Poco/Data/RecordSet.h>

#include "cases/lifecycle.h"
#include "cases/threading.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

namespace {

constexpr const char* kCaseSelect =
    "SELECT id, number, channel, received_at, complainant_name, complainant_email, phone, fax, address, "
    "organisation, subject, summary, category, unit, status, rule, keywords, defects, confidential, "
    "receipt_reference, target_due, legal_due, handler, reply_text, supervisor, supervisor_at, approver, "
    "approver_at, closed_at, suggestions, needs_review, referral, filed_reason, delay_reason, delivery_failed, "
    "reply_route, ocr_text, message_row, possible_duplicate "
    "FROM cases ";

std::string text(Poco::Data::RecordSet& rs, const std::string& column) {
    const auto& value = rs[column];
    return value.isEmpty() ? std::string() : value.convert<std::string>();
}

std::optional<Int64> integer(Poco::Data::RecordSet& rs, const std::string& column) {
    const auto& value = rs[column];
    if (value.isEmpty()) return std::nullopt;
    return value.convert<Int64>();
}

std::optional<cases::Timestamp> time(Poco::Data::RecordSet& rs, const std::string& column) {
    const auto value = integer(rs, column);
    if (!value) return std::nullopt;
    return fromEpoch(*value);
}

std::string suggestionsJson(const std::vector<cases::Suggestion>& suggestions) {
    Poco::JSON::Array array;
    for (const auto& s : suggestions) {
        Poco::JSON::Object item;
        item.set("reason", int(s.reason));
        item.set("detail", s.detail);
        array.add(item);
    }
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::vector<cases::Suggestion> suggestionsFrom(const std::string& json) {
    std::vector<cases::Suggestion> suggestions;
    const auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto item = array->getObject(unsigned(i));
        if (const auto reason = cases::filingReasonFrom(item->getValue<int>("reason")))
            suggestions.push_back({*reason, item->getValue<std::string>("detail")});
    }
    return suggestions;
}

cases::Case caseFrom(Poco::Data::RecordSet& rs) {
    cases::Case c;
    c.number = cases::CaseNumber::parse(text(rs, "number")).value_or(cases::CaseNumber{});
    c.channel = cases::channelFrom(text(rs, "channel")).value_or(cases::Channel::Email);
    c.receivedAt = fromEpoch(*integer(rs, "received_at"));
    c.complainant = {text(rs, "complainant_name"), text(rs, "complainant_email"), text(rs, "phone"), text(rs, "fax"),
                     text(rs, "address"),          text(rs, "organisation")};
    c.subject = text(rs, "subject");
    c.summary = text(rs, "summary");
    c.category = cases::categoryFrom(text(rs, "category")).value_or(cases::Category::Other);
    c.unit = text(rs, "unit");
    c.status = cases::statusFrom(text(rs, "status")).value_or(CaseStatus::Received);
    c.routing = {text(rs, "rule"), fromJson(text(rs, "keywords"))};
    c.confidential = integer(rs, "confidential").value_or(0) != 0;
    c.receiptReference = text(rs, "receipt_reference");
    const auto target = cases::parseDate(text(rs, "target_due"));
    const auto legal = cases::parseDate(text(rs, "legal_due"));
    if (target && legal) c.deadlines = cases::Deadlines{*target, *legal};
    return c;
}

CaseRecord recordFrom(Poco::Data::RecordSet& rs) {
    CaseRecord r;
    r.fields = caseFrom(rs);
    r.defects = fromJson(text(rs, "defects"));
    r.suggestions = suggestionsFrom(text(rs, "suggestions"));
    r.handler = text(rs, "handler");
    r.replyText = text(rs, "reply_text");
    if (!r.replyText.empty()) r.replyRevision = Store::draftRevision(r.handler, r.replyText);
    r.supervisor = {text(rs, "supervisor"), time(rs, "supervisor_at")};
    r.approver = {text(rs, "approver"), time(rs, "approver_at")};
    r.closedAt = time(rs, "closed_at");
    if (const auto reason = integer(rs, "filed_reason")) r.filedReason = cases::filingReasonFrom(int(*reason));
    r.referral = text(rs, "referral");
    r.delayReason = text(rs, "delay_reason");
    r.needsReview = integer(rs, "needs_review").value_or(0) != 0;
    r.deliveryFailed = integer(rs, "delivery_failed").value_or(0) != 0;
    r.replyRoute = text(rs, "reply_route");
    r.ocrText = text(rs, "ocr_text");
    r.possibleDuplicate = text(rs, "possible_duplicate");
    return r;
}

// The columns of cases::Case and the small flags: no OCR text, reply text, defects or suggestions.
constexpr const char* kCaseSummarySelect =
    "SELECT id, number, channel, received_at, complainant_name, complainant_email, phone, fax, address, "
    "organisation, subject, summary, category, unit, status, rule, keywords, confidential, receipt_reference, "
    "target_due, legal_due, delay_reason, needs_review, delivery_failed FROM cases ";

CaseRecord summaryFrom(Poco::Data::RecordSet& rs) {
    CaseRecord r;
    r.fields = caseFrom(rs);
    r.delayReason = text(rs, "delay_reason");
    r.needsReview = integer(rs, "needs_review").value_or(0) != 0;
    r.deliveryFailed = integer(rs, "delivery_failed").value_or(0) != 0;
    return r;
}

std::string awaitingAnswerStatuses() {
    std::string list;
    for (const auto status : {CaseStatus::Received, CaseStatus::Assigned, CaseStatus::InProgress,
                              CaseStatus::ReplyDrafted, CaseStatus::Reopened}) {
        if (!cases::isAwaitingAnswer(status))
            throw Error("awaitingAnswerStatuses() differs from cases::isAwaitingAnswer");
        list += std::string(list.empty() ? "'" : ", '") + std::string(cases::idOf(status)) + "'";
    }
    return list;
}

std::string approvalColumn(ApprovalRole role) { return role == ApprovalRole::Supervisor ? "supervisor" : "approver"; }

}  // namespace

long long Store::caseId(const cases::CaseNumber& number) {
    std::vector<Int64> ids;
    *session_ << "SELECT id FROM cases WHERE number = ?", bind(number.toString()), into(ids), now;
    if (ids.empty()) throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
    return ids.front();
}

CaseStatus Store::statusOf(long long id) {
    std::string status;
    *session_ << "SELECT status FROM cases WHERE id = ?", bind(Int64(id)), into(status), now;
    return cases::statusFrom(status).value_or(CaseStatus::Received);
}

void Store::addEvent(long long id, const std::string& kind, const std::string& actor, const std::string& note,
                     cases::Timestamp at, const std::string& fromUnit, const std::string& toUnit,
                     std::optional<StatusMove> move) {
    sql_->execute(
        "INSERT INTO case_events(case_id, at, actor, kind, from_unit, to_unit, note, from_status, to_status) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, toEpoch(at), actor, kind, fromUnit, toUnit, note, move ? std::string(cases::idOf(move->from)) : "",
         move ? std::string(cases::idOf(move->to)) : ""});
}

void Store::setStatus(long long id, const cases::CaseNumber& number, const StatusChange& change) {
    const auto from = statusOf(id);
    if (const auto refusal = cases::refuseMove(number, from, change.to)) throw InvalidRequestError(*refusal);
    *session_ << "UPDATE cases SET status = ? WHERE id = ?", bind(std::string(cases::idOf(change.to))), bind(Int64(id)),
        now;
    if (change.to == CaseStatus::Closed)
        *session_ << "UPDATE cases SET closed_at = ? WHERE id = ?", bind(toEpoch(change.at)), bind(Int64(id)), now;
    if (change.to == CaseStatus::Reopened)
        *session_ << "UPDATE cases SET closed_at = NULL WHERE id = ?", bind(Int64(id)), now;
    const std::string move = std::string(cases::idOf(from)) + " -> " + std::string(cases::idOf(change.to));
    addEvent(id, "status", change.actor, change.note.empty() ? move : move + ": " + change.note, change.at, "", "",
             StatusMove{from, change.to});
}

void Store::queueLetter(long long id, const QueuedLetter& letter, cases::Timestamp at) {
    sql_->execute(
        "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, "
        "created_at, next_attempt_at, state, held_reason, recipient_key, recipient_domain) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, letter.kind, letter.envelopeFrom, letter.recipient, letter.messageId, letter.subject, BlobView{letter.raw},
         toEpoch(at), toEpoch(at), letter.heldReason.empty() ? "queued" : "held", letter.heldReason,
         cases::mailboxKey(letter.recipient), cases::mailboxDomain(letter.recipient)});
}

cases::CaseNumber Store::openCase(const CaseDraft& draft, const LetterMaker& letterFor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto& c = draft.fields;
        const int year = cases::rocYearAt(c.receivedAt);
        long long last = 0;
        sql_->query("SELECT coalesce(max(sequence), 0) FROM cases WHERE roc_year = ?", {(long long)year},
                    [&](const SqlRow& row) { last = row.integer(0); });
        const auto number = cases::nextCaseNumber(year, int(last));
        const SqlValue messageRow = draft.messageRowId ? SqlValue(draft.messageRowId) : SqlValue();
        const std::string targetDue = c.deadlines ? cases::formatDate(c.deadlines->target) : "";
        const std::string legalDue = c.deadlines ? cases::formatDate(c.deadlines->legal) : "";
        const std::string numberText = number.toString(), channel(cases::idOf(c.channel)),
                          category(cases::idOf(c.category)), status(cases::idOf(c.status)),
                          keywords = toJson(c.routing.keywords), defects = toJson(draft.defects),
                          suggestions = suggestionsJson(draft.suggestions);
        sql_->execute(
            "INSERT INTO cases(roc_year, sequence, number, channel, received_at, complainant_name, "
            "complainant_email, phone, fax, address, organisation, subject, summary, category, unit, "
            "status, rule, keywords, defects, message_row, confidential, receipt_reference, target_due, "
            "legal_due, suggestions, referral, reply_route) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {(long long)year,
             (long long)number.sequence,
             numberText,
             channel,
             toEpoch(c.receivedAt),
             c.complainant.name,
             c.complainant.email,
             c.complainant.phone,
             c.complainant.fax,
             c.complainant.address,
             c.complainant.organisation,
             c.subject,
             c.summary,
             category,
             c.unit,
             status,
             c.routing.rule,
             keywords,
             defects,
             messageRow,
             (long long)c.confidential,
             c.receiptReference,
             targetDue,
             legalDue,
             suggestions,
             draft.referral,
             draft.replyRoute});
        const long long id = sql_->lastInsertRowId();
        std::string why = c.routing.rule.empty() ? std::string("no rule matched") : "rule " + c.routing.rule;
        if (!draft.referral.empty()) why += ", referred to " + draft.referral;
        addEvent(id, "opened", draft.actor, why, at, "", c.unit);
        for (const auto& a : draft.attachments) {
            sql_->execute(
                "INSERT INTO attachments(message_row, filename, content_type, size, sha256, data) "
                "VALUES(?, ?, ?, ?, ?, zeroblob(?))",
                {draft.messageRowId, a.filename, a.contentType, (long long)a.data.size(), sha256Hex(a.data),
                 (long long)a.data.size()});
            sql_->writeBlob("attachments", "data", sql_->lastInsertRowId(), a.data);
        }
        if (draft.messageRowId) {
            sql_->execute("UPDATE messages SET state = 'processed' WHERE id = ?", {draft.messageRowId});
            sql_->execute("INSERT INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'complaint')",
                          {draft.messageRowId, id});
        }
        if (draft.ocrPending && draft.messageRowId)
            sql_->execute("INSERT INTO ocr_jobs(case_id, message_row, updated_at) VALUES(?, ?, ?)",
                          {id, draft.messageRowId, toEpoch(at)});
        if (draft.messageRowId) flagPossibleDuplicate(id, draft.messageRowId, at);
        if (const auto letter = letterFor(number)) queueLetter(id, *letter, at);
        return number;
    });
}

// Another message came with the same Message-ID and other bytes: both are cases, and staff check
// that the complainant is not answered twice.
void Store::flagPossibleDuplicate(long long caseId, long long messageRowId, cases::Timestamp at) {
    std::string flag;
    sql_->query(
        "SELECT m.duplicate_of, coalesce((SELECT c.number FROM case_messages cm JOIN cases c ON c.id = cm.case_id "
        "WHERE cm.message_row = m.duplicate_of), '') FROM messages m WHERE m.id = ? AND m.duplicate_of IS NOT NULL",
        {messageRowId}, [&](const SqlRow& row) {
            const auto number = row.bytes(1);
            flag = "same Message-ID as message " + std::to_string(row.integer(0)) +
                   (number.empty() ? "" : " (case " + number + ")");
        });
    if (flag.empty()) return;
    sql_->execute("UPDATE cases SET possible_duplicate = ? WHERE id = ?", {flag, caseId});
    addEvent(caseId, "possible-duplicate", "complaintd", flag + ", other content: check before answering twice", at);
}

std::vector<cases::Case> Store::listCases() {
    std::vector<cases::Case> list;
    for (auto& record : caseSummaries(CaseSelection::All)) list.push_back(std::move(record.fields));
    return list;
}

std::vector<CaseRecord> Store::caseSummaries(CaseSelection which) {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kCaseSummarySelect) +
                      (which == CaseSelection::AwaitingAnswer
                           ? "WHERE status IN (" + awaitingAnswerStatuses() + ") AND target_due <> '' "
                           : std::string()) +
                      "ORDER BY roc_year, sequence";
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<CaseRecord> records;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) records.push_back(summaryFrom(rs));
        return records;
    });
}

std::vector<CaseRecord> Store::caseRecords(std::optional<int> rocYear) {
    return guarded([&] {
        Statement select(*session_);
        const Int64 year = rocYear.value_or(0);
        select << std::string(kCaseSelect) + "WHERE ? = 0 OR roc_year = ? ORDER BY roc_year, sequence", bind(year),
            bind(year);
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<CaseRecord> records;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) records.push_back(recordFrom(rs));
        return records;
    });
}

std::optional<CaseRecord> Store::findCase(const cases::CaseNumber& number) {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kCaseSelect) + "WHERE number = ?", bind(number.toString());
        select.execute();
        Poco::Data::RecordSet rs(select);
        if (!rs.moveFirst()) return std::optional<CaseRecord>();
        auto record = recordFrom(rs);
        const Int64 id = rs["id"].convert<Int64>();
        std::vector<Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string, std::string,
                                std::string>>
            events;
        *session_ << "SELECT at, actor, kind, from_unit, to_unit, note, from_status, to_status FROM case_events "
                     "WHERE case_id = ? ORDER BY id",
            bind(id), into(events), now;
        for (const auto& e : events)
            record.history.push_back({fromEpoch(e.get<0>()), e.get<1>(), e.get<2>(), e.get<3>(), e.get<4>(), e.get<5>(),
                                      cases::statusFrom(e.get<6>()), cases::statusFrom(e.get<7>())});
        std::vector<Poco::Tuple<std::string, std::string, Int64>> files;
        *session_ << "SELECT a.filename, a.content_type, a.size FROM attachments a "
                     "JOIN case_messages m ON m.message_row = a.message_row WHERE m.case_id = ? ORDER BY a.id",
            bind(id), into(files), now;
        for (const auto& f : files)
            record.attachments.push_back(f.get<0>() + " (" + f.get<1>() + ", " + std::to_string(f.get<2>()) +
                                         " bytes)");
        return std::optional<CaseRecord>(std::move(record));
    });
}

void Store::reroute(const cases::CaseNumber& number, const std::string& unitId, const std::string& actor,
                    const std::string& reason, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        std::string unit;
        *session_ << "SELECT unit FROM cases WHERE id = ?", bind(Int64(id)), into(unit), now;
        if (unit == unitId) throw InvalidRequestError("case " + number.toString() + " is already with " + unitId);
        if (cases::isFinished(statusOf(id)))
            throw InvalidRequestError(number.toString() + " is " + std::string(cases::idOf(statusOf(id))) +
                                      ": reopen it before rerouting");
        *session_ << "UPDATE cases SET unit = ? WHERE id = ?", bind(unitId), bind(Int64(id)), now;
        addEvent(id, "rerouted", actor, reason, at, unit, unitId);
        // A case waiting at the intake desk is assigned by being given a unit.
        if (statusOf(id) == CaseStatus::Received)
            setStatus(id, number, {CaseStatus::Assigned, actor, "rerouted to " + unitId, at});
    });
}

std::vector<cases::EarlierCase> Store::earlierCasesOf(const cases::Complainant& who) {
    std::vector<cases::EarlierCase> list;
    sql_->query(
        "SELECT number, status, subject, summary FROM cases WHERE "
        "(? <> '' AND lower(complainant_email) = lower(?)) OR "
        "(? <> '' AND ? <> '' AND complainant_name = ? AND phone = ?) ORDER BY id",
        {who.email, who.email, who.name, who.phone, who.name, who.phone}, [&](const SqlRow& row) {
            list.push_back({cases::CaseNumber::parse(row.bytes(0)).value_or(cases::CaseNumber{}),
                            cases::statusFrom(row.bytes(1)).value_or(CaseStatus::Received), row.bytes(2),
                            row.bytes(3)});
        });
    return list;
}

std::optional<cases::CaseNumber> Store::caseOfSentLetter(const std::vector<std::string>& messageIds) {
    for (const auto& id : messageIds) {
        std::optional<cases::CaseNumber> number;
        sql_->query("SELECT c.number FROM outbox o JOIN cases c ON c.id = o.case_id WHERE o.message_id = ?", {id},
                    [&](const SqlRow& row) { number = cases::CaseNumber::parse(row.bytes(0)); });
        if (number) return number;
    }
    return std::nullopt;
}

void Store::addFollowUp(const cases::CaseNumber& number, long long messageRowId, bool flagged, const std::string& note,
                        cases::Timestamp at, FollowUpEffect effect) {
    inTransaction([&] {
        const auto id = caseId(number);
        *session_ << "INSERT INTO case_messages(message_row, case_id, kind, flagged) VALUES(?, ?, 'follow-up', ?)",
            bind(Int64(messageRowId)), bind(Int64(id)), bind(int(flagged)), now;
        *session_ << "UPDATE messages SET state = 'processed' WHERE id = ?", bind(Int64(messageRowId)), now;
        if (flagged) *session_ << "UPDATE cases SET needs_review = 1 WHERE id = ?", bind(Int64(id)), now;
        addEvent(id, "follow-up", "complaintd", note, at);
        // 不滿意則續辦: a new message after the answer reopens the case.
        const auto status = statusOf(id);
        if (effect == FollowUpEffect::ReopenAnswered && !flagged &&
            (status == CaseStatus::Replied || status == CaseStatus::Closed))
            setStatus(id, number, {CaseStatus::Reopened, "complaintd", "new message from the complainant", at});
    });
}

void Store::changeStatus(const cases::CaseNumber& number, const StatusChange& change) {
    inTransaction([&] { setStatus(caseId(number), number, change); });
}

void Store::recordReply(const cases::CaseNumber& number, const std::string& text, const std::string& handler,
                        cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        setStatus(id, number, {CaseStatus::ReplyDrafted, handler, "reply drafted", at});
        // A new draft needs new signatures.
        *session_ << "UPDATE cases SET reply_text = ?, handler = ?, supervisor = '', supervisor_at = NULL, "
                     "approver = '', approver_at = NULL WHERE id = ?",
            bind(text), bind(handler), bind(Int64(id)), now;
    });
}

std::string Store::draftRevision(const std::string& handler, const std::string& text) {
    return sha256Hex(handler + '\0' + text).substr(0, 12);
}

CaseRecord Store::sign(const cases::CaseNumber& number, ApprovalRole role, const std::string& actor,
                       const std::string& draftRevision, cases::Timestamp at) {
    return inTransaction([&] {
        // Read and checked under the write lock: a reply recorded after the signer read the draft is
        // refused here, and the caller decides on the very record returned.
        const auto record = findCase(number);
        if (!record) throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
        const auto id = caseId(number);
        if (record->fields.status != CaseStatus::ReplyDrafted)
            throw InvalidRequestError(number.toString() + " is " + std::string(cases::idOf(record->fields.status)) +
                                      ": only a drafted reply (complaintctl reply) can be approved");
        if (record->replyRevision != draftRevision)
            throw InvalidRequestError(number.toString() + ": the draft changed since you read it (you approve draft " +
                                      draftRevision + ", the case now has draft " + record->replyRevision + " by " +
                                      record->handler + "); nothing was signed. Read it (complaintctl show " +
                                      number.toString() + ") and approve --draft " + record->replyRevision);
        const auto column = approvalColumn(role);
        *session_ << "UPDATE cases SET " + column + " = ?, " + column + "_at = ? WHERE id = ?", bind(actor),
            bind(toEpoch(at)), bind(Int64(id)), now;
        addEvent(id, "approved", actor, column + ", draft " + draftRevision, at);
        auto signedRecord = *record;
        (role == ApprovalRole::Supervisor ? signedRecord.supervisor : signedRecord.approver) = {actor, at};
        return signedRecord;
    });
}

void Store::queueLetter(const cases::CaseNumber& number, const QueuedLetter& letter, cases::Timestamp at) {
    inTransaction([&] { queueLetter(caseId(number), letter, at); });
}

void Store::file(const cases::CaseNumber& number, cases::FilingReason reason, const std::string& actor,
                 const std::string& note, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        setStatus(id, number,
                  {CaseStatus::Filed, actor,
                   "reason " + std::to_string(int(reason)) + " (" + std::string(cases::labelOf(reason)) + ")" +
                       (note.empty() ? "" : ": " + note),
                   at});
        *session_ << "UPDATE cases SET filed_reason = ? WHERE id = ?", bind(int(reason)), bind(Int64(id)), now;
    });
}

void Store::setDelayReason(const cases::CaseNumber& number, const std::string& reason, const std::string& actor,
                           cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        *session_ << "UPDATE cases SET delay_reason = ? WHERE id = ?", bind(reason), bind(Int64(id)), now;
        addEvent(id, "delay-reason", actor, reason, at);
    });
}

void Store::audit(const cases::CaseNumber& number, const std::string& kind, const std::string& actor,
                  const std::string& note, cases::Timestamp at) {
    inTransaction([&] { addEvent(caseId(number), kind, actor, note, at); });
}

namespace {

void insertHeld(StatementCache& sql, long long messageRowId, const HeldNote& note, std::optional<long long> caseId,
                cases::Timestamp at) {
    sql.execute(
        "INSERT OR IGNORE INTO held_messages(message_row, kind, reason, sender, subject, confidential, held_at, "
        "case_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
        {messageRowId, note.kind, note.reason, note.sender, note.subject, (long long)note.confidential, toEpoch(at),
         caseId ? SqlValue(*caseId) : SqlValue()});
}

}  // namespace

void Store::recordAutomated(long long messageRowId, const HeldNote& note,
                            const std::optional<cases::CaseNumber>& number, cases::Timestamp at) {
    inTransaction([&] {
        *session_ << "UPDATE messages SET state = 'processed', reason = ? WHERE id = ?",
            bind("automated: " + note.reason), bind(Int64(messageRowId)), now;
        std::optional<long long> id;
        if (number) {
            id = caseId(*number);
            *session_ << "INSERT INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'automated')",
                bind(Int64(messageRowId)), bind(Int64(*id)), now;
            addEvent(*id, "automatic-reply", "complaintd",
                     "message " + std::to_string(messageRowId) + ": " + note.reason, at);
        }
        insertHeld(*sql_, messageRowId, note, id, at);
    });
}

std::optional<cases::CaseNumber> Store::recordBounce(long long messageRowId, const std::vector<std::string>& letterIds,
                                                     const HeldNote& note, cases::Timestamp at) {
    return inTransaction([&] {
        const auto& reason = note.reason;
        *session_ << "UPDATE messages SET state = 'processed', reason = ? WHERE id = ?", bind("bounce: " + reason),
            bind(Int64(messageRowId)), now;
        for (const auto& letterId : letterIds) {
            std::vector<Poco::Tuple<Int64, Int64, std::string, std::string>> rows;
            // A letter that was never sent (held, discarded) cannot bounce: such a "bounce" is forged.
            *session_ << "SELECT o.id, o.case_id, o.kind, c.number FROM outbox o JOIN cases c ON c.id = o.case_id "
                         "WHERE o.message_id = ? AND o.state NOT IN ('held', 'discarded')",
                bind(letterId), into(rows), now;
            if (rows.empty()) continue;
            const Int64 outboxId = rows.front().get<0>();
            const Int64 id = rows.front().get<1>();
            const std::string kind = rows.front().get<2>();
            const std::string number = rows.front().get<3>();
            *session_ << "UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?", bind("bounced: " + reason),
                bind(outboxId), now;
            *session_ << "UPDATE cases SET delivery_failed = 1 WHERE id = ?", bind(id), now;
            *session_ << "INSERT OR IGNORE INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'bounce')",
                bind(Int64(messageRowId)), bind(id), now;
            addEvent(id, "delivery-failed", "complaintd",
                     "the " + kind + " letter bounced (" + reason + "): reply by post or phone", at);
            insertHeld(*sql_, messageRowId, note, id, at);
            return cases::CaseNumber::parse(number);
        }
        insertHeld(*sql_, messageRowId, note, std::nullopt, at);
        return std::optional<cases::CaseNumber>();
    });
}

void Store::holdSpam(long long messageRowId, const HeldNote& note, cases::Timestamp at) {
    inTransaction([&] {
        sql_->execute("UPDATE messages SET state = 'processed', reason = ? WHERE id = ?",
                      {"spam: " + note.reason, messageRowId});
        insertHeld(*sql_, messageRowId, note, std::nullopt, at);
    });
}

namespace {
constexpr const char* kHeldSelect =
    "SELECT h.message_row, h.kind, h.reason, h.sender, h.subject, m.received_at, h.held_at, coalesce(c.number, ''), "
    "coalesce(r.number, ''), h.released_by, h.released_at IS NOT NULL, coalesce(h.released_at, 0), "
    "coalesce(c.confidential, 0), h.confidential "
    "FROM held_messages h JOIN messages m ON m.id = h.message_row LEFT JOIN cases c ON c.id = h.case_id "
    "LEFT JOIN cases r ON r.id = h.released_case_id ";

HeldMessage heldFrom(const SqlRow& row) {
    HeldMessage held;
    held.id = row.integer(0);
    held.note = {row.bytes(1), row.bytes(2), row.bytes(3), row.bytes(4)};
    held.receivedAt = fromEpoch(row.integer(5));
    held.heldAt = fromEpoch(row.integer(6));
    held.linkedCase = row.bytes(7);
    held.releasedCase = row.bytes(8);
    held.releasedBy = row.bytes(9);
    if (row.integer(10)) held.releasedAt = fromEpoch(row.integer(11));
    held.linkedConfidential = row.integer(12) != 0;
    held.note.confidential = row.integer(13) != 0;
    return held;
}
}  // namespace

std::vector<HeldMessage> Store::heldMessages(HeldList list) {
    return guarded([&] {
        std::vector<HeldMessage> held;
        sql_->query(std::string(kHeldSelect) + "WHERE (h.kind = 'spam') = ? ORDER BY h.message_row",
                    {(long long)(list == HeldList::Spam)}, [&](const SqlRow& row) { held.push_back(heldFrom(row)); });
        return held;
    });
}

std::optional<HeldMessage> Store::heldMessage(long long messageRowId) {
    return guarded([&] {
        std::optional<HeldMessage> held;
        sql_->query(std::string(kHeldSelect) + "WHERE h.message_row = ?", {messageRowId},
                    [&](const SqlRow& row) { held = heldFrom(row); });
        return held;
    });
}

void Store::auditMessage(long long messageRowId, const std::string& kind, const std::string& actor,
                         const std::string& note, cases::Timestamp at) {
    inTransaction([&] {
        sql_->execute("INSERT INTO message_events(message_row, at, actor, kind, note) VALUES(?, ?, ?, ?, ?)",
                      {messageRowId, toEpoch(at), actor, kind, note});
    });
}

std::vector<CaseEvent> Store::messageHistory(long long messageRowId) {
    return guarded([&] {
        std::vector<CaseEvent> events;
        sql_->query("SELECT at, actor, kind, note FROM message_events WHERE message_row = ? ORDER BY id",
                    {messageRowId}, [&](const SqlRow& row) {
                        events.push_back({fromEpoch(row.integer(0)), row.bytes(1), row.bytes(2), "", "", row.bytes(3)});
                    });
        return events;
    });
}

cases::CaseNumber Store::releaseHeld(long long messageRowId, const CaseDraft& draft, cases::Timestamp at) {
    return inTransaction([&] {
        const auto held = heldMessage(messageRowId);
        if (!held) throw NotFoundError("message " + std::to_string(messageRowId) + " is not held");
        if (!held->releasedCase.empty())
            throw InvalidRequestError("message " + std::to_string(messageRowId) + " was released as " +
                                      held->releasedCase + " by " + held->releasedBy);
        // The link to the case it threaded to (or whose letter bounced) stays in held_messages.case_id.
        sql_->execute("DELETE FROM case_messages WHERE message_row = ?", {messageRowId});
        const auto number = openCase(
            draft, [](const cases::CaseNumber&) { return std::optional<QueuedLetter>(); }, at);
        const auto id = caseId(number);
        sql_->execute(
            "UPDATE held_messages SET released_case_id = ?, released_by = ?, released_at = ? "
            "WHERE message_row = ?",
            {id, draft.actor, toEpoch(at), messageRowId});
        addEvent(id, "released", draft.actor,
                 "from message " + std::to_string(messageRowId) + ", held as " + held->note.kind + " (" +
                     held->note.reason + ")",
                 at);
        auditMessage(messageRowId, "released", draft.actor, "as case " + number.toString(), at);
        return number;
    });
}

namespace {
// Automatic letters that went or will go out: held and discarded ones do not count.
constexpr const char* kCountAutomatic =
    "SELECT count(*) FROM outbox WHERE kind IN ('acknowledgement', 'referral') "
    "AND state NOT IN ('held', 'discarded') AND created_at >= ? ";
}  // namespace

int Store::automaticLettersTo(const std::string& recipient, cases::Timestamp since) {
    int count = 0;
    sql_->query(std::string(kCountAutomatic) + "AND recipient_key = ?", {toEpoch(since), cases::mailboxKey(recipient)},
                [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

int Store::automaticLettersToDomain(const std::string& recipient, cases::Timestamp since) {
    int count = 0;
    sql_->query(std::string(kCountAutomatic) + "AND recipient_domain = ?",
                {toEpoch(since), cases::mailboxDomain(recipient)},
                [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

int Store::automaticLettersSince(cases::Timestamp since) {
    int count = 0;
    sql_->query(kCountAutomatic, {toEpoch(since)}, [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

void Store::saveSurvey(const cases::CaseNumber& number, const StoredSurvey& survey, const std::string& rawText,
                       const std::string& actor) {
    inTransaction([&] {
        const auto id = caseId(number);
        *session_ << "INSERT INTO surveys(case_id, status, source, answers, raw_text, at) VALUES(?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT(case_id) DO UPDATE SET status = excluded.status, source = excluded.source, "
                     "answers = excluded.answers, raw_text = excluded.raw_text, at = excluded.at",
            bind(Int64(id)), bind(survey.status), bind(survey.source), bind(survey.answersJson), bind(rawText),
            bind(toEpoch(survey.at)), now;
        addEvent(id, "survey", actor, survey.status + " survey by " + survey.source, survey.at);
    });
}

std::optional<Store::StoredSurvey> Store::survey(const cases::CaseNumber& number) {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, std::string, std::string, Int64>> rows;
        *session_ << "SELECT s.status, s.source, s.answers, s.at FROM surveys s JOIN cases c ON c.id = s.case_id "
                     "WHERE c.number = ?",
            bind(number.toString()), into(rows), now;
        if (rows.empty()) return std::optional<StoredSurvey>();
        const auto& r = rows.front();
        return std::optional<StoredSurvey>(StoredSurvey{r.get<0>(), r.get<1>(), r.get<2>(), fromEpoch(r.get<3>())});
    });
}

std::vector<OcrJob> Store::pendingOcrJobs(std::size_t limit) {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, Int64, int>> rows;
        *session_ << "SELECT c.number, j.message_row, j.attempts FROM ocr_jobs j JOIN cases c ON c.id = j.case_id "
                     "WHERE j.state = 'pending' ORDER BY j.case_id LIMIT ?",
            bind(Int64(limit)), into(rows), now;
        std::vector<OcrJob> jobs;
        for (const auto& r : rows)
            jobs.push_back(
                {cases::CaseNumber::parse(r.get<0>()).value_or(cases::CaseNumber{}), r.get<1>(), r.get<2>()});
        return jobs;
    });
}

namespace {

// The routing of a fax case is OCR's to fill only while nobody decided it: the case is still
// `received` with the unit it was opened with, and no reroute or status change is on its history.
constexpr const char* kRoutingUntouched =
    "SELECT c.status = 'received' AND c.unit = coalesce((SELECT e.to_unit FROM case_events e "
    "WHERE e.case_id = c.id AND e.kind = 'opened' ORDER BY e.id LIMIT 1), c.unit) "
    "AND NOT EXISTS(SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('rerouted', 'status')) "
    "FROM cases c WHERE c.id = ?";

}  // namespace

OcrApplied Store::completeOcr(const cases::CaseNumber& number, const OcrOutcome& o, cases::Timestamp at) {
    return inTransaction([&] {
        const auto id = caseId(number);
        const auto& c = o.updated;
        int untouched = 0;
        *session_ << kRoutingUntouched, bind(Int64(id)), into(untouched), now;
        std::string unit, status;
        *session_ << "SELECT unit, status FROM cases WHERE id = ?", bind(Int64(id)), into(unit), into(status), now;
        // What staff cannot type (the text's summary, the complainant read from the pages) fills only
        // what is still empty or a placeholder; 密件 is only ever added.
        *session_ << "UPDATE cases SET summary = CASE WHEN summary IN (?, ?) THEN ? ELSE summary END, category = ?, "
                     "complainant_name = CASE WHEN complainant_name = '' THEN ? ELSE complainant_name END, "
                     "phone = CASE WHEN phone = '' THEN ? ELSE phone END, "
                     "address = CASE WHEN address = '' THEN ? ELSE address END, "
                     "organisation = CASE WHEN organisation = '' THEN ? ELSE organisation END, "
                     "confidential = (confidential OR ?), ocr_text = ? WHERE id = ?",
            bind(std::string(kFaxSummaryPending)), bind(std::string(kFaxSummaryUnread)), bind(c.summary),
            bind(std::string(cases::idOf(c.category))), bind(c.complainant.name), bind(c.complainant.phone),
            bind(c.complainant.address), bind(c.complainant.organisation), bind(int(c.confidential)), bind(o.text),
            bind(Int64(id)), now;
        *session_ << "UPDATE ocr_jobs SET state = 'done', attempts = attempts + 1, confidence = ?, pages = ?, "
                     "updated_at = ? WHERE case_id = ?",
            bind(o.confidence), bind(o.pagesJson), bind(toEpoch(at)), bind(Int64(id)), now;
        const bool proposesRouting = !c.routing.rule.empty();
        const bool apply = proposesRouting && untouched != 0;
        addEvent(id, "ocr", "complaintd", o.note, at, "", apply ? c.unit : "");
        if (apply) {
            *session_ << "UPDATE cases SET unit = ?, rule = ?, keywords = ? WHERE id = ?", bind(c.unit),
                bind(c.routing.rule), bind(toJson(c.routing.keywords)), bind(Int64(id)), now;
            if (c.status != CaseStatus::Received)
                setStatus(id, number, {c.status, "complaintd", "routed by OCR, rule " + c.routing.rule, at});
            return OcrApplied::Routed;
        }
        if (!proposesRouting) return OcrApplied::NothingToRoute;
        // Staff decided meanwhile: their unit and status stay, OCR's routing is a suggestion on the history.
        addEvent(id, "ocr-suggestion", "complaintd",
                 "OCR suggests " + c.unit + " (" + std::string(cases::idOf(c.status)) + ", rule " + c.routing.rule +
                     "); kept " + unit + " (" + status + ") as staff set it: complaintctl reroute to follow it",
                 at, unit, c.unit);
        return OcrApplied::Suggested;
    });
}

void Store::failOcr(const cases::CaseNumber& number, const std::string& error, int maxAttempts, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        *session_ << "UPDATE ocr_jobs SET attempts = attempts + 1, last_error = ?, updated_at = ?, "
                     "state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE case_id = ?",
            bind(error), bind(toEpoch(at)), bind(maxAttempts), bind(Int64(id)), now;
        *session_ << "UPDATE cases SET summary = ? WHERE id = ? AND summary = ? "
                     "AND (SELECT state FROM ocr_jobs WHERE case_id = ?) = 'failed'",
            bind(std::string(kFaxSummaryUnread)), bind(Int64(id)), bind(std::string(kFaxSummaryPending)),
            bind(Int64(id)), now;
        addEvent(id, "ocr", "complaintd", "OCR failed: " + error, at);
    });
}

bool Store::queueNoticeOnce(const cases::CaseNumber& number, const std::string& kind, int threshold,
                            const std::optional<QueuedLetter>& letter, cases::Timestamp at) {
    return inTransaction([&] {
        const auto id = caseId(number);
        Statement insert(*session_);
        insert << "INSERT OR IGNORE INTO notices(case_id, kind, threshold, created_at) VALUES(?, ?, ?, ?)",
            bind(Int64(id)), bind(kind), bind(threshold), bind(toEpoch(at));
        if (insert.execute() == 0) return false;
        if (!letter) return true;
        queueLetter(id, *letter, at);
        addEvent(id, kind, "complaintd", "queued (threshold " + std::to_string(threshold) + ")", at);
        return true;
    });
}

}  // namespace complaintd::center
