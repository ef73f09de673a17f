// The Store's case side: opening, reading, and every change of the lifecycle, each with its
// audit line in case_events, each in one transaction; the survey answers of a case.
#include <Poco/Data/RecordSet.h>

#include "cases/document_number.h"
#include "cases/lifecycle.h"
#include "cases/threading.h"
#include "center/search_text.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

namespace {

constexpr const char* kCaseSelect =
    "SELECT id, number, channel, received_at, complainant_name, complainant_email, phone, fax, address, "
    "organisation, subject, summary, category, unit, status, rule, keywords, category_reason, defects, confidential, "
    "receipt_reference, target_due, legal_due, handler, reply_text, supervisor, supervisor_at, approver, "
    "approver_at, closed_at, suggestions, needs_review, referral, filed_reason, delay_reason, delivery_failed, "
    "reply_route, ocr_text, message_row, possible_duplicate, proposed_filing, "
    "document_number, first_target_due, first_legal_due FROM cases ";

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

// What search finds a case by of its record form: subject, summary and the complainant's details
// (a confidential case's are searched only by one who may reveal it, complaintctl search --reveal).
std::string searchableFields(const cases::Case& c) {
    const auto& p = c.complainant;
    return c.subject + "\n" + c.summary + "\n" + p.name + "\n" + p.email + "\n" + p.phone + "\n" + p.fax + "\n" +
           p.address + "\n" + p.organisation + "\n" + c.receiptReference;
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
    c.routing = {text(rs, "rule"), fromJson(text(rs, "keywords")), text(rs, "category_reason")};
    c.confidential = integer(rs, "confidential").value_or(0) != 0;
    c.receiptReference = text(rs, "receipt_reference");
    const auto target = cases::parseDate(text(rs, "target_due"));
    const auto legal = cases::parseDate(text(rs, "legal_due"));
    if (target && legal) c.deadlines = cases::Deadlines{*target, *legal};
    return c;
}

cases::CaseRecord recordFrom(Poco::Data::RecordSet& rs) {
    cases::CaseRecord r;
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
    if (const auto reason = integer(rs, "proposed_filing")) r.proposedFiling = cases::filingReasonFrom(int(*reason));
    r.referral = text(rs, "referral");
    r.delayReason = text(rs, "delay_reason");
    r.needsReview = integer(rs, "needs_review").value_or(0) != 0;
    r.deliveryFailed = integer(rs, "delivery_failed").value_or(0) != 0;
    r.replyRoute = cases::ReplyRoute::parse(text(rs, "reply_route"));
    r.ocrText = text(rs, "ocr_text");
    r.possibleDuplicate = text(rs, "possible_duplicate");
    r.documentNumber = text(rs, "document_number");
    const auto firstTarget = cases::parseDate(text(rs, "first_target_due"));
    const auto firstLegal = cases::parseDate(text(rs, "first_legal_due"));
    if (firstTarget && firstLegal) r.firstDeadlines = cases::Deadlines{*firstTarget, *firstLegal};
    return r;
}

// The columns of cases::Case and the small flags: no OCR text, reply text, defects or suggestions.
constexpr const char* kCaseSummarySelect =
    "SELECT id, number, channel, received_at, complainant_name, complainant_email, phone, fax, address, "
    "organisation, subject, summary, category, unit, status, rule, keywords, category_reason, confidential, "
    "receipt_reference, "
    "target_due, legal_due, delay_reason, needs_review, delivery_failed FROM cases ";

cases::CaseRecord summaryFrom(Poco::Data::RecordSet& rs) {
    cases::CaseRecord r;
    r.fields = caseFrom(rs);
    r.delayReason = text(rs, "delay_reason");
    r.needsReview = integer(rs, "needs_review").value_or(0) != 0;
    r.deliveryFailed = integer(rs, "delivery_failed").value_or(0) != 0;
    return r;
}

std::string deadlineStatuses() {
    std::string list;
    for (const auto status : {CaseStatus::Received, CaseStatus::Assigned, CaseStatus::InProgress,
                              CaseStatus::ReplyDrafted, CaseStatus::Reopened, CaseStatus::SignedOff}) {
        if (!cases::deadlinesRun(status)) throw Error("deadlineStatuses() differs from cases::deadlinesRun");
        list += std::string(list.empty() ? "'" : ", '") + std::string(cases::idOf(status)) + "'";
    }
    return list;
}

std::string approvalColumn(cases::ApprovalRole role) {
    return role == cases::ApprovalRole::Supervisor ? "supervisor" : "approver";
}

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

void Store::addEvent(long long id, cases::EventKind kind, const std::string& actor, const std::string& note,
                     cases::Timestamp at, const std::string& fromUnit, const std::string& toUnit,
                     std::optional<StatusMove> move) {
    sql_->execute(
        "INSERT INTO case_events(case_id, at, actor, kind, from_unit, to_unit, note, from_status, to_status) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, toEpoch(at), actor, cases::idOf(kind), fromUnit, toUnit, note,
         move ? std::string(cases::idOf(move->from)) : "", move ? std::string(cases::idOf(move->to)) : ""});
}

void Store::setStatus(long long id, const cases::CaseNumber& number, const cases::StatusChange& change) {
    const auto from = statusOf(id);
    if (const auto refusal = cases::refuseMove(number, from, change.to)) throw InvalidRequestError(*refusal);
    *session_ << "UPDATE cases SET status = ? WHERE id = ?", bind(std::string(cases::idOf(change.to))), bind(Int64(id)),
        now;
    if (change.to == CaseStatus::Closed)
        *session_ << "UPDATE cases SET closed_at = ? WHERE id = ?", bind(toEpoch(change.at)), bind(Int64(id)), now;
    if (change.to == CaseStatus::Reopened)
        *session_ << "UPDATE cases SET closed_at = NULL WHERE id = ?", bind(Int64(id)), now;
    const std::string move = std::string(cases::idOf(from)) + " -> " + std::string(cases::idOf(change.to));
    addEvent(id, cases::EventKind::Status, change.actor, change.note.empty() ? move : move + ": " + change.note,
             change.at, "", "", StatusMove{from, change.to});
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
            "legal_due, suggestions, referral, reply_route, category_reason) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
             draft.replyRoute.toString(),
             c.routing.categoryReason});
        const long long id = sql_->lastInsertRowId();
        std::string why = c.routing.rule.empty() ? std::string("no rule matched") : "rule " + c.routing.rule;
        if (!draft.referral.empty()) why += ", referred to " + draft.referral;
        addEvent(id, cases::EventKind::Opened, draft.actor, why, at, "", c.unit);
        indexText(id, "fields", searchableFields(c));
        if (draft.messageRowId) indexText(id, "message " + std::to_string(draft.messageRowId), draft.text);
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

void Store::indexText(long long caseId, const std::string& source, const std::string& text) {
    std::optional<long long> row;
    sql_->query("SELECT id FROM case_texts WHERE case_id = ? AND source = ?", {caseId, source},
                [&](const SqlRow& r) { row = r.integer(0); });
    if (row) sql_->execute("DELETE FROM case_search WHERE rowid = ?", {*row});
    const auto tokens = searchTokens(text);
    if (tokens.empty()) {
        if (row) sql_->execute("DELETE FROM case_texts WHERE id = ?", {*row});
        return;
    }
    if (!row) {
        sql_->execute("INSERT INTO case_texts(case_id, source) VALUES(?, ?)", {caseId, source});
        row = sql_->lastInsertRowId();
    }
    sql_->execute("INSERT INTO case_search(rowid, tokens) VALUES(?, ?)", {*row, tokens});
}

std::vector<cases::CaseRecord> Store::searchCases(const std::string& query) {
    const auto match = searchMatch(query);
    if (!match) throw InvalidRequestError("search \"" + query + "\": give a word, or at least two Chinese characters");
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kCaseSummarySelect) +
                      "WHERE id IN (SELECT t.case_id FROM case_search s JOIN case_texts t ON t.id = s.rowid "
                      "WHERE case_search MATCH ?) "
                      "ORDER BY roc_year, sequence",
            bind(*match);
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<cases::CaseRecord> records;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) records.push_back(summaryFrom(rs));
        return records;
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
    addEvent(caseId, cases::EventKind::PossibleDuplicate, "complaintd",
             flag + ", other content: check before answering twice", at);
}

std::vector<cases::Case> Store::listCases() {
    std::vector<cases::Case> list;
    for (auto& record : caseSummaries(CaseSelection::All)) list.push_back(std::move(record.fields));
    return list;
}

std::vector<cases::CaseRecord> Store::caseSummaries(CaseSelection which) {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kCaseSummarySelect) +
                      (which == CaseSelection::DeadlinesRunning
                           ? "WHERE status IN (" + deadlineStatuses() + ") AND target_due <> '' "
                           : std::string()) +
                      "ORDER BY roc_year, sequence";
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<cases::CaseRecord> records;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) records.push_back(summaryFrom(rs));
        return records;
    });
}

std::vector<cases::CaseRecord> Store::caseRecords(std::optional<int> rocYear) {
    return guarded([&] {
        Statement select(*session_);
        const Int64 year = rocYear.value_or(0);
        select << std::string(kCaseSelect) + "WHERE ? = 0 OR roc_year = ? ORDER BY roc_year, sequence", bind(year),
            bind(year);
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<cases::CaseRecord> records;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) records.push_back(recordFrom(rs));
        return records;
    });
}

std::optional<cases::CaseRecord> Store::findCase(const cases::CaseNumber& number) {
    return guarded([&] {
        Statement select(*session_);
        select << std::string(kCaseSelect) + "WHERE number = ?", bind(number.toString());
        select.execute();
        Poco::Data::RecordSet rs(select);
        if (!rs.moveFirst()) return std::optional<cases::CaseRecord>();
        auto record = recordFrom(rs);
        const Int64 id = rs["id"].convert<Int64>();
        std::vector<Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string, std::string,
                                std::string>>
            events;
        *session_ << "SELECT at, actor, kind, from_unit, to_unit, note, from_status, to_status FROM case_events "
                     "WHERE case_id = ? ORDER BY id",
            bind(id), into(events), now;
        for (const auto& e : events)
            record.history.push_back({fromEpoch(e.get<0>()), e.get<1>(), storedEventKind(e.get<2>()), e.get<3>(),
                                      e.get<4>(), e.get<5>(), cases::statusFrom(e.get<6>()),
                                      cases::statusFrom(e.get<7>())});
        std::vector<Poco::Tuple<std::string, std::string, Int64>> files;
        *session_ << "SELECT a.filename, a.content_type, a.size FROM attachments a "
                     "JOIN case_messages m ON m.message_row = a.message_row WHERE m.case_id = ? ORDER BY a.id",
            bind(id), into(files), now;
        for (const auto& f : files)
            record.attachments.push_back(f.get<0>() + " (" + f.get<1>() + ", " + std::to_string(f.get<2>()) +
                                         " bytes)");
        return std::optional<cases::CaseRecord>(std::move(record));
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
        // Signatures are the old unit's: the new unit's supervisor signs again (附表一, 主管 of the handling unit).
        *session_ << "UPDATE cases SET unit = ?, supervisor = '', supervisor_at = NULL, approver = '', "
                     "approver_at = NULL WHERE id = ?",
            bind(unitId), bind(Int64(id)), now;
        addEvent(id, cases::EventKind::Rerouted, actor, reason, at, unit, unitId);
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

void Store::addFollowUp(const cases::CaseNumber& number, long long messageRowId, bool flagged, bool needsReview,
                        const std::string& note, cases::Timestamp at, const std::string& text) {
    inTransaction([&] {
        const auto id = caseId(number);
        indexText(id, "message " + std::to_string(messageRowId), text);
        *session_ << "INSERT INTO case_messages(message_row, case_id, kind, flagged) VALUES(?, ?, 'follow-up', ?)",
            bind(Int64(messageRowId)), bind(Int64(id)), bind(int(flagged)), now;
        *session_ << "UPDATE messages SET state = 'processed' WHERE id = ?", bind(Int64(messageRowId)), now;
        if (needsReview) *session_ << "UPDATE cases SET needs_review = 1 WHERE id = ?", bind(Int64(id)), now;
        addEvent(id, cases::EventKind::FollowUp, "complaintd", note, at);
    });
}

void Store::changeStatus(const cases::CaseNumber& number, const cases::StatusChange& change) {
    inTransaction([&] { setStatus(caseId(number), number, change); });
}

void Store::recordReply(const cases::CaseNumber& number, const std::string& text, const std::string& handler,
                        cases::Timestamp at, std::optional<cases::FilingReason> proposedFiling) {
    inTransaction([&] {
        const auto id = caseId(number);
        setStatus(id, number,
                  {CaseStatus::ReplyDrafted, handler, proposedFiling ? "filing memo drafted" : "reply drafted", at});
        // A new draft needs new signatures.
        const auto filing = proposedFiling ? Poco::Nullable<int>(int(*proposedFiling)) : Poco::Nullable<int>();
        *session_ << "UPDATE cases SET reply_text = ?, handler = ?, supervisor = '', supervisor_at = NULL, "
                     "approver = '', approver_at = NULL, proposed_filing = ?, needs_review = 0 WHERE id = ?",
            bind(text), bind(handler), bind(filing), bind(Int64(id)), now;
        indexText(id, "reply", text);
    });
}

std::string Store::draftRevision(const std::string& handler, const std::string& text) {
    return sha256Hex(handler + '\0' + text).substr(0, 12);
}

cases::CaseRecord Store::sign(const cases::CaseNumber& number, cases::ApprovalRole role, const std::string& actor,
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
        addEvent(id, cases::EventKind::Approved, actor, column + ", draft " + draftRevision, at);
        auto signedRecord = *record;
        (role == cases::ApprovalRole::Supervisor ? signedRecord.supervisor : signedRecord.approver) = {actor, at};
        return signedRecord;
    });
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
        addEvent(id, cases::EventKind::DelayReason, actor, reason, at);
    });
}

void Store::recordReferral(const cases::CaseNumber& number, const std::string& referralId, const std::string& actor,
                           const std::string& note, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        setStatus(id, number, {CaseStatus::Referred, actor, note, at});
        *session_ << "UPDATE cases SET referral = ? WHERE id = ?", bind(referralId), bind(Int64(id)), now;
    });
}

void Store::correctCase(const cases::CaseNumber& number, const cases::Case& c, const std::vector<std::string>& notes,
                        const std::string& actor, cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        const auto& p = c.complainant;
        const std::string category(cases::idOf(c.category));
        *session_ << "UPDATE cases SET subject = ?, summary = ?, complainant_name = ?, phone = ?, fax = ?, "
                     "address = ?, complainant_email = ?, organisation = ?, receipt_reference = ?, category = ?, "
                     "category_reason = ?, confidential = ? WHERE id = ?",
            bind(c.subject), bind(c.summary), bind(p.name), bind(p.phone), bind(p.fax), bind(p.address), bind(p.email),
            bind(p.organisation), bind(c.receiptReference), bind(category), bind(c.routing.categoryReason),
            bind(int(c.confidential)), bind(Int64(id)), now;
        for (const auto& note : notes) addEvent(id, cases::EventKind::Corrected, actor, note, at);
        indexText(id, "fields", searchableFields(c));
    });
}

void Store::audit(const cases::CaseNumber& number, cases::EventKind kind, const std::string& actor,
                  const std::string& note, cases::Timestamp at) {
    inTransaction([&] { addEvent(caseId(number), kind, actor, note, at); });
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
        *session_ << "INSERT INTO survey_rounds(case_id, status, source, answers, raw_text, at) "
                     "VALUES(?, ?, ?, ?, ?, ?)",
            bind(Int64(id)), bind(survey.status), bind(survey.source), bind(survey.answersJson), bind(rawText),
            bind(toEpoch(survey.at)), now;
        addEvent(id, cases::EventKind::Survey, actor, survey.status + " survey by " + survey.source, survey.at);
    });
}

std::vector<Store::StoredSurvey> Store::surveyRounds(const cases::CaseNumber& number) {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, std::string, std::string, Int64>> rows;
        *session_ << "SELECT s.status, s.source, s.answers, s.at FROM survey_rounds s JOIN cases c ON c.id = "
                     "s.case_id WHERE c.number = ? ORDER BY s.id",
            bind(number.toString()), into(rows), now;
        std::vector<StoredSurvey> rounds;
        for (const auto& r : rows) rounds.push_back({r.get<0>(), r.get<1>(), r.get<2>(), fromEpoch(r.get<3>())});
        return rounds;
    });
}

std::vector<cases::CaseNumber> Store::repliesToPrint() {
    return guarded([&] {
        // Since the signatures: a reply of an earlier round, printed or mailed, is not this one.
        const std::string signedAt = "MAX(COALESCE(c.supervisor_at, 0), COALESCE(c.approver_at, 0))";
        std::vector<std::string> numbers;
        *session_ << "SELECT c.number FROM cases c WHERE c.status = '" +
                         std::string(cases::idOf(CaseStatus::SignedOff)) +
                         "' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.id AND o.kind = '" +
                         std::string(cases::idOf(cases::LetterKind::Reply)) +
                         "' AND o.state <> 'failed' AND o.created_at >= " + signedAt +
                         ") AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = '" +
                         std::string(cases::idOf(cases::EventKind::Printed)) + "' AND e.at >= " + signedAt +
                         ") ORDER BY c.id",
            into(numbers), now;
        std::vector<cases::CaseNumber> out;
        for (const auto& n : numbers)
            if (const auto number = cases::CaseNumber::parse(n)) out.push_back(*number);
        return out;
    });
}

void Store::renewDeadlines(const cases::CaseNumber& number, const cases::Deadlines& deadlines, const std::string& actor,
                           cases::Timestamp at) {
    inTransaction([&] {
        const auto id = caseId(number);
        const auto target = cases::formatDate(deadlines.target), legal = cases::formatDate(deadlines.legal);
        // The first deadlines stay for the reports; the reminders and the delay notice start again.
        *session_ << "UPDATE cases SET first_target_due = CASE WHEN first_target_due = '' THEN target_due "
                     "ELSE first_target_due END, first_legal_due = CASE WHEN first_legal_due = '' THEN legal_due "
                     "ELSE first_legal_due END, target_due = ?, legal_due = ?, delay_reason = '' WHERE id = ?",
            bind(target), bind(legal), bind(Int64(id)), now;
        *session_ << "DELETE FROM notices WHERE case_id = ? AND kind IN ('" +
                         std::string(cases::idOf(cases::LetterKind::Reminder)) + "', '" +
                         std::string(cases::idOf(cases::LetterKind::DelayNotice)) + "')",
            bind(Int64(id)), now;
        addEvent(id, cases::EventKind::DeadlinesRenewed, actor, "target " + target + ", legal limit " + legal, at);
    });
}

std::string Store::assignDocumentNumber(const cases::CaseNumber& number, const std::string& pattern,
                                        cases::Timestamp at) {
    return inTransaction([&] {
        const auto id = caseId(number);
        const int year = cases::rocYearAt(at);
        *session_ << "INSERT INTO document_numbers(roc_year, last) VALUES(?, 1) "
                     "ON CONFLICT(roc_year) DO UPDATE SET last = last + 1",
            bind(year), now;
        int last = 0;
        *session_ << "SELECT last FROM document_numbers WHERE roc_year = ?", bind(year), into(last), now;
        const auto documentNumber = cases::formatDocumentNumber(pattern, year, last);
        *session_ << "UPDATE cases SET document_number = ? WHERE id = ?", bind(documentNumber), bind(Int64(id)), now;
        return documentNumber;
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

}  // namespace complaintd::center
