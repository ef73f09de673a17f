#include "schema_steps.h"

#include <Poco/Data/Session.h>
#include <Poco/Tuple.h>

#include "cases/threading.h"
#include "center/search_text.h"

// Frozen: the statements of a released step never change (see schema_steps.h). A new step is a
// new kSchemaVN below and one line in steps().

namespace complaintd::center::schema {

using namespace Poco::Data::Keywords;

namespace {

// Version 1: messages, cases, events, attachments, outbox, mailboxes, counters.
const std::vector<const char*> kSchemaV1 = {
    R"(CREATE TABLE IF NOT EXISTS messages(
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER,
        uid INTEGER,
        message_id TEXT,
        sha256 TEXT NOT NULL,
        raw BLOB NOT NULL,
        size INTEGER NOT NULL,
        channel TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'processed', 'quarantined')),
        reason TEXT NOT NULL DEFAULT '',
        UNIQUE (source, mailbox, uidvalidity, uid)))",
    "CREATE UNIQUE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS messages_by_sha256 ON messages(sha256)",
    "CREATE INDEX IF NOT EXISTS messages_by_state ON messages(state)",
    R"(CREATE TABLE IF NOT EXISTS cases(
        id INTEGER PRIMARY KEY,
        roc_year INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        number TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        complainant_name TEXT NOT NULL,
        complainant_email TEXT NOT NULL,
        subject TEXT NOT NULL,
        summary TEXT NOT NULL,
        category TEXT NOT NULL,
        unit TEXT NOT NULL,
        status TEXT NOT NULL,
        rule TEXT NOT NULL,
        keywords TEXT NOT NULL,
        defects TEXT NOT NULL,
        message_row INTEGER UNIQUE REFERENCES messages(id),
        UNIQUE (roc_year, sequence)))",
    R"(CREATE TABLE IF NOT EXISTS case_events(
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        from_unit TEXT NOT NULL,
        to_unit TEXT NOT NULL,
        note TEXT NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS attachments(
        id INTEGER PRIMARY KEY,
        message_row INTEGER NOT NULL REFERENCES messages(id),
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS outbox(
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES cases(id),
        kind TEXT NOT NULL,
        envelope_from TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER))",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at)",
    R"(CREATE TABLE IF NOT EXISTS mailboxes(
        source TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        PRIMARY KEY (source, mailbox)))",
    "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
};

// Version 2: the procedure's case record (附表一), deadlines, sign-off, follow-ups, notices.
const std::vector<const char*> kSchemaV2 = {
    "ALTER TABLE cases ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN fax TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN address TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN organisation TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cases ADD COLUMN receipt_reference TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN target_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN legal_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN handler TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN reply_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN supervisor TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN supervisor_at INTEGER",
    "ALTER TABLE cases ADD COLUMN approver TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN approver_at INTEGER",
    "ALTER TABLE cases ADD COLUMN closed_at INTEGER",
    "ALTER TABLE cases ADD COLUMN suggestions TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE cases ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cases ADD COLUMN referral TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN filed_reason INTEGER",
    "ALTER TABLE cases ADD COLUMN delay_reason TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE case_messages(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0))",
    "INSERT INTO case_messages(message_row, case_id, kind) "
    "SELECT message_row, id, 'complaint' FROM cases WHERE message_row IS NOT NULL",
    R"(CREATE TABLE notices(
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        threshold INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (case_id, kind, threshold)))",
};

// Version 3: mail safety (bounced letters, automated messages).
const std::vector<const char*> kSchemaV3 = {
    "ALTER TABLE cases ADD COLUMN delivery_failed INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX outbox_by_recipient ON outbox(recipient, created_at)",
};

// Version 4: each source's last success and error, for status and backoff.
const std::vector<const char*> kSchemaV4 = {
    R"(CREATE TABLE IF NOT EXISTS source_status(
        name TEXT PRIMARY KEY,
        last_success INTEGER,
        last_error TEXT NOT NULL DEFAULT '',
        last_error_at INTEGER,
        failures INTEGER NOT NULL DEFAULT 0))",
};

// Version 5: faxes (reply route, OCR jobs and text) and returned surveys.
const std::vector<const char*> kSchemaV5 = {
    "ALTER TABLE cases ADD COLUMN reply_route TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN ocr_text TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE IF NOT EXISTS ocr_jobs(
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        message_row INTEGER NOT NULL REFERENCES messages(id),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        confidence INTEGER,
        pages TEXT NOT NULL DEFAULT '[]',
        last_error TEXT NOT NULL DEFAULT '',
        updated_at INTEGER))",
    R"(CREATE TABLE IF NOT EXISTS surveys(
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        answers TEXT NOT NULL,
        raw_text TEXT NOT NULL DEFAULT '',
        at INTEGER NOT NULL))",
};

// The raw bytes in a table of their own: a state change of a message no longer rewrites
// megabytes of BLOB into the WAL. And indexes for the lookups intake makes per message.
const std::vector<const char*> kSchemaV6 = {
    R"(CREATE TABLE IF NOT EXISTS message_raw(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        raw BLOB NOT NULL))",
    "INSERT INTO message_raw(message_row, raw) SELECT id, raw FROM messages",
    "ALTER TABLE messages DROP COLUMN raw",
    "DROP INDEX IF EXISTS outbox_by_recipient",
    "CREATE INDEX IF NOT EXISTS outbox_by_lower_recipient ON outbox(lower(recipient), created_at)",
    "CREATE INDEX IF NOT EXISTS cases_by_lower_email ON cases(lower(complainant_email))",
    "CREATE INDEX IF NOT EXISTS cases_by_name_phone ON cases(complainant_name, phone)",
};

// Version 7: automatic letters held for staff (a cap reached, an unauthenticated sender) with
// the reason, and the mailbox and domain each letter is counted under (cases::mailboxKey).
// SQLite cannot widen a CHECK: the table is rebuilt with the columns it has at version 6.
const std::vector<const char*> kSchemaV7 = {
    R"(CREATE TABLE outbox_v7(
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES cases(id),
        kind TEXT NOT NULL,
        envelope_from TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed', 'held', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER,
        held_reason TEXT NOT NULL DEFAULT '',
        recipient_key TEXT NOT NULL DEFAULT '',
        recipient_domain TEXT NOT NULL DEFAULT ''))",
    "INSERT INTO outbox_v7(id, case_id, kind, envelope_from, recipient, message_id, subject, raw, state, attempts, "
    "last_error, created_at, next_attempt_at, sent_at, recipient_key, recipient_domain) "
    "SELECT id, case_id, kind, envelope_from, recipient, message_id, subject, raw, state, attempts, last_error, "
    "created_at, next_attempt_at, sent_at, '', '' FROM outbox",  // keys: fillMailboxKeys()
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v7 RENAME TO outbox",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_lower_recipient ON outbox(lower(recipient), created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_recipient_key ON outbox(recipient_key, created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_recipient_domain ON outbox(recipient_domain, created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_created ON outbox(created_at)",
};

// Version 8: nothing that arrives disappears. A Message-ID seen before with other bytes is a message of its own
// (the content hash stays unique: the same bytes again are a re-fetch), flagged on its case. Automated
// mail and spam are held in a list staff can read and release into a case; each look and release is
// recorded in message_events.
const std::vector<const char*> kSchemaV8 = {
    "DROP INDEX IF EXISTS messages_by_message_id",
    "CREATE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
    "ALTER TABLE messages ADD COLUMN duplicate_of INTEGER REFERENCES messages(id)",
    "ALTER TABLE cases ADD COLUMN possible_duplicate TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE IF NOT EXISTS held_messages(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        kind TEXT NOT NULL CHECK (kind IN ('bounce', 'auto-reply', 'list', 'null-sender', 'spam')),
        reason TEXT NOT NULL,
        sender TEXT NOT NULL,
        subject TEXT NOT NULL,
        confidential INTEGER NOT NULL DEFAULT 0,
        held_at INTEGER NOT NULL,
        case_id INTEGER REFERENCES cases(id),
        released_case_id INTEGER REFERENCES cases(id),
        released_by TEXT NOT NULL DEFAULT '',
        released_at INTEGER))",
    "CREATE INDEX IF NOT EXISTS held_messages_by_kind ON held_messages(kind, message_row)",
    R"(CREATE TABLE IF NOT EXISTS message_events(
        id INTEGER PRIMARY KEY,
        message_row INTEGER NOT NULL REFERENCES messages(id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        note TEXT NOT NULL))",
    // Automated mail recorded before this version becomes visible in the list.
    // (Those with "null sender" were mostly complaints with an empty From: now staff can release them.)
    "INSERT OR IGNORE INTO held_messages(message_row, kind, reason, sender, subject, held_at, case_id) "
    "SELECT m.id, CASE WHEN m.reason LIKE 'bounce: %' THEN 'bounce' "
    "WHEN m.reason LIKE 'automated: null sender%' THEN 'null-sender' "
    "WHEN m.reason LIKE 'automated: Precedence%' OR m.reason LIKE 'automated: List-%' THEN 'list' "
    "ELSE 'auto-reply' END, "
    "CASE WHEN m.reason LIKE 'bounce: %' THEN substr(m.reason, 9) ELSE substr(m.reason, 12) END, '', '', "
    "m.received_at, (SELECT cm.case_id FROM case_messages cm WHERE cm.message_row = m.id) FROM messages m "
    "WHERE m.state = 'processed' AND (m.reason LIKE 'automated: %' OR m.reason LIKE 'bounce: %')",
};

// Version 9: a status change is a structured event (from_status, to_status) written by the one
// status writer (Store::setStatus); documents and reports read those columns, not the note's text.
// Earlier "status" events had the move only in their note ("received -> assigned: why"): filled from it.
const std::vector<const char*> kSchemaV9 = {
    "ALTER TABLE case_events ADD COLUMN from_status TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE case_events ADD COLUMN to_status TEXT NOT NULL DEFAULT ''",
    "UPDATE case_events SET from_status = substr(note, 1, instr(note, ' -> ') - 1), "
    "to_status = rtrim(substr(substr(note, instr(note, ' -> ') + 4), 1, "
    "CASE WHEN instr(substr(note, instr(note, ' -> ') + 4), ':') > 0 "
    "THEN instr(substr(note, instr(note, ' -> ') + 4), ':') - 1 ELSE length(note) END)) "
    "WHERE kind = 'status' AND instr(note, ' -> ') > 1",
};

// The staff directory (who may do what, cases/staff.h) with the history of its changes, and the
// filing memo (簽陳存查) a draft may propose instead of a reply.
const std::vector<const char*> kSchemaV10 = {
    "CREATE TABLE staff ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " unit TEXT NOT NULL DEFAULT '',"
    " roles TEXT NOT NULL,"
    " os_user TEXT NOT NULL DEFAULT '',"
    " phone TEXT NOT NULL DEFAULT '',"
    " email TEXT NOT NULL DEFAULT '',"
    " disabled INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX staff_by_os_user ON staff(os_user)",
    "CREATE TABLE staff_events ("
    " id INTEGER PRIMARY KEY,"
    " staff_id TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " note TEXT NOT NULL)",
    "ALTER TABLE cases ADD COLUMN proposed_filing INTEGER",
};

// The search index (center/search_text.h): one row per text of a case (its fields, each message,
// the OCR text, the reply), as words and CJK character pairs. case_texts names the rows (an FTS5
// table has no index but its rowid: a text is replaced by its rowid, never by a scan). Existing
// cases are indexed by their record form (subject, summary, complainant), OCR text and reply;
// messages that came before are not.
const std::vector<const char*> kSchemaV11 = {
    "CREATE TABLE case_texts ("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES cases(id),"
    " source TEXT NOT NULL,"
    " UNIQUE(case_id, source))",
    "CREATE VIRTUAL TABLE case_search USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')",
};

// 發文字號 (cases/document_number.h): the letters of each ROC year counted, the number a case's
// reply letter carries (kept for a reprint). And every round of survey answers: `surveys` stays
// the latest (reports read it), `survey_rounds` keeps each, starting with the latest so far.
// A reopened case runs on new deadlines; first_*_due keep the first ones, which reports count.
// category_reason: why a case has its category (routing/category.h), shown beside it.
const std::vector<const char*> kSchemaV12 = {
    "CREATE TABLE document_numbers (roc_year INTEGER PRIMARY KEY, last INTEGER NOT NULL)",
    "ALTER TABLE cases ADD COLUMN document_number TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN first_target_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN first_legal_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN category_reason TEXT NOT NULL DEFAULT ''",
    "CREATE TABLE survey_rounds ("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES cases(id),"
    " status TEXT NOT NULL,"
    " source TEXT NOT NULL,"
    " answers TEXT NOT NULL,"
    " raw_text TEXT NOT NULL DEFAULT '',"
    " at INTEGER NOT NULL)",
    "CREATE INDEX survey_rounds_by_case ON survey_rounds(case_id)",
    "INSERT INTO survey_rounds(case_id, status, source, answers, raw_text, at) "
    "SELECT case_id, status, source, answers, raw_text, at FROM surveys",
};

void indexExistingCases(Poco::Data::Session& session) {
    std::vector<Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string>> rows;
    session << "SELECT id, subject || char(10) || summary || char(10) || complainant_name || char(10) || "
               "complainant_email || char(10) || phone || char(10) || fax || char(10) || address || char(10) || "
               "organisation || char(10) || receipt_reference, '', ocr_text, reply_text FROM cases",
        into(rows), now;
    for (const auto& row : rows) {
        const std::string fields = searchTokens(row.get<1>());
        const std::string ocr = searchTokens(row.get<3>()), reply = searchTokens(row.get<4>());
        const Poco::Int64 id = row.get<0>();
        for (const auto& [source, tokens] :
             {std::pair{"fields", fields}, std::pair{"ocr", ocr}, std::pair{"reply", reply}}) {
            if (tokens.empty()) continue;
            const std::string name = source;
            session << "INSERT INTO case_texts(case_id, source) VALUES(?, ?)", bind(id), bind(name), now;
            session << "INSERT INTO case_search(rowid, tokens) VALUES(last_insert_rowid(), ?)", bind(tokens), now;
        }
    }
}

// The letters queued before version 7 counted under cases::mailboxKey, which SQL cannot compute.
void fillMailboxKeys(Poco::Data::Session& session) {
    std::vector<Poco::Tuple<Poco::Int64, std::string>> rows;
    session << "SELECT id, recipient FROM outbox WHERE recipient_key = ''", into(rows), now;
    for (const auto& row : rows) {
        const std::string key = cases::mailboxKey(row.get<1>()), domain = cases::mailboxDomain(row.get<1>());
        session << "UPDATE outbox SET recipient_key = ?, recipient_domain = ? WHERE id = ?", bind(key), bind(domain),
            bind(row.get<0>()), now;
    }
}

}  // namespace

const std::vector<Step>& steps() {
    static const std::vector<Step> list{
        {1, kSchemaV1},
        {2, kSchemaV2},
        {3, kSchemaV3},
        {4, kSchemaV4},
        {5, kSchemaV5},
        {6, kSchemaV6},
        {7, kSchemaV7, &fillMailboxKeys},
        {8, kSchemaV8},
        {9, kSchemaV9},
        {10, kSchemaV10},
        {11, kSchemaV11, &indexExistingCases},
        {12, kSchemaV12},
    };
    return list;
}

int currentVersion() { return int(steps().size()); }

void apply(Poco::Data::Session& session, const Step& step) {
    for (const char* statement : step.statements) session << statement, now;
    if (step.finish) step.finish(session);
    session << "PRAGMA user_version = " + std::to_string(step.version), now;
}

}  // namespace complaintd::center::schema
