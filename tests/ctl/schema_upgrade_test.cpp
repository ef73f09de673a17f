// A database made by every earlier schema version is taken to the current one with its data:
// the fixture is built from the frozen steps 1..N (schema_steps.h), each version writing the
// rows it knew about right after its step, and then read through complaintctl and the daemon.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "center/settings.h"
#include "center/store.h"
#include "ctl/complaintctl.h"
#include "daemon/service.h"
#include "schema_steps.h"
#include "test_clock.h"
#include "test_mail.h"
#include "test_staff.h"

namespace complaintd::ctl {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;
using Poco::Data::Session;

// 2026-11-2D 09:00 in Taiwan: version k wrote its rows on day 20 + k.
Poco::Int64 dayOf(int version) { return daemon::utc(2026, 11, unsigned(20 + version), 1).time_since_epoch().count(); }

std::string numberOf(int version) { return "115-00" + std::to_string(version); }

std::string rawMail(int version, const std::string& what) {
    return "From: writer" + std::to_string(version) +
           "@example.org\r\nTo: complaints@shugu.example\r\n"
           "Subject: " +
           what + "\r\nMessage-ID: <" + what + "-" + std::to_string(version) +
           "@example.org>\r\n\r\nwritten by schema version " + std::to_string(version) + "\r\n";
}

// The rows a complaintd of schema version `v` wrote, with the columns that version had.
class VersionWriter {
public:
    VersionWriter(Session& session, int v) : s_(session), v_(v) {}

    void write() {
        const Poco::Int64 message = insertMessage("complaint", "processed", "");
        const Poco::Int64 caseId = insertCase(message);
        insertEvent(caseId, "opened", "case opened by version " + std::to_string(v_));
        // Before version 9 a status change was known by its note only.
        insertEvent(caseId, "status", "received -> assigned: routed by rule streetlight");
        insertLetter(caseId, "acknowledgement", "sent", "");
        if (v_ == 1) {
            const Poco::Int64 bad = insertMessage("unreadable", "quarantined", "header block over limits.header_bytes");
            s_ << "INSERT INTO attachments(message_row, filename, content_type, size, sha256, data) "
                  "VALUES(?, 'photo.jpg', 'image/jpeg', 3, 'att-sha', ?)",
                bind(message), bind(Poco::Data::BLOB(reinterpret_cast<const unsigned char*>("JPG"), 3)), now;
            (void)bad;
            s_ << "INSERT INTO mailboxes(source, mailbox, uidvalidity) VALUES('imap', 'imap://host/INBOX', 77)", now;
            s_ << "INSERT INTO counters(name, value) VALUES('fetched', 2)", now;
        }
        if (v_ >= 2) {
            const Poco::Int64 automated =
                insertMessage("auto-reply", "processed", "automated: Auto-Submitted: auto-replied");
            s_ << "INSERT INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'automated')", bind(automated),
                bind(caseId), now;
            // From version 8 intake holds it in the list staff read.
            if (v_ >= 8)
                s_ << "INSERT INTO held_messages(message_row, kind, reason, sender, subject, held_at, case_id) "
                      "VALUES(?, 'auto-reply', 'Auto-Submitted: auto-replied', '', '', ?, ?)",
                    bind(automated), bind(dayOf(v_)), bind(caseId), now;
            s_ << "INSERT INTO notices(case_id, kind, threshold, created_at) VALUES(?, 'reminder', 2, ?)", bind(caseId),
                bind(dayOf(v_)), now;
            s_ << "UPDATE cases SET phone = '0912-000-00" + std::to_string(v_) + "', handler = 'handler-v" +
                      std::to_string(v_) + "', target_due = '2026-12-0" + std::to_string(v_) + "' WHERE id = ?",
                bind(caseId), now;
        }
        if (v_ >= 3 && v_ == 3) s_ << "UPDATE cases SET delivery_failed = 1 WHERE id = ?", bind(caseId), now;
        if (v_ == 4)
            s_ << "INSERT INTO source_status(name, last_success, failures) VALUES('imap', ?, 0)", bind(dayOf(v_)), now;
        if (v_ == 5) {
            s_ << "UPDATE cases SET channel = 'fax', reply_route = 'post', ocr_text = 'ocr of version 5' WHERE id = ?",
                bind(caseId), now;
            s_ << "INSERT INTO ocr_jobs(case_id, message_row, state, attempts, confidence, updated_at) "
                  "VALUES(?, ?, 'done', 1, 88, ?)",
                bind(caseId), bind(message), bind(dayOf(v_)), now;
        }
        if (v_ == 7) insertLetter(caseId, "acknowledgement-held", "held", "per-address cap");
    }

private:
    Poco::Int64 insertMessage(const std::string& what, const std::string& state, const std::string& reason) {
        const std::string raw = rawMail(v_, what);
        const std::string messageId = what + "-" + std::to_string(v_) + "@example.org";
        const Poco::Data::BLOB blob(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
        const Poco::Int64 uid = ++uid_ + 100 * v_;
        const std::string sha = "sha-" + what + "-" + std::to_string(v_);
        if (v_ < 6)
            s_ << "INSERT INTO messages(source, mailbox, uidvalidity, uid, message_id, sha256, raw, size, channel, "
                  "received_at, state, reason) VALUES('imap', 'imap://host/INBOX', 77, ?, ?, ?, ?, ?, 'email', ?, ?, "
                  "?)",
                bind(uid), bind(messageId), bind(sha), bind(blob), bind(Poco::Int64(raw.size())), bind(dayOf(v_)),
                bind(state), bind(reason), now;
        else
            s_ << "INSERT INTO messages(source, mailbox, uidvalidity, uid, message_id, sha256, size, channel, "
                  "received_at, state, reason) VALUES('imap', 'imap://host/INBOX', 77, ?, ?, ?, ?, 'email', ?, ?, ?)",
                bind(uid), bind(messageId), bind(sha), bind(Poco::Int64(raw.size())), bind(dayOf(v_)), bind(state),
                bind(reason), now;
        Poco::Int64 row = 0;
        s_ << "SELECT last_insert_rowid()", into(row), now;
        if (v_ >= 6) s_ << "INSERT INTO message_raw(message_row, raw) VALUES(?, ?)", bind(row), bind(blob), now;
        return row;
    }

    Poco::Int64 insertCase(Poco::Int64 message) {
        s_ << "INSERT INTO cases(roc_year, sequence, number, channel, received_at, complainant_name, "
              "complainant_email, "
              "subject, summary, category, unit, status, rule, keywords, defects, message_row) "
              "VALUES(115, ?, ?, 'email', ?, ?, ?, ?, ?, 'rights', 'public-works', 'assigned', 'streetlight', "
              "'[\"路燈\"]', '[]', ?)",
            bind(v_), bind(numberOf(v_)), bind(dayOf(v_)), bind("王小明" + std::to_string(v_)),
            bind("writer" + std::to_string(v_) + "@example.org"), bind("路燈不亮 v" + std::to_string(v_)),
            bind("summary written by version " + std::to_string(v_)), bind(message), now;
        Poco::Int64 row = 0;
        s_ << "SELECT last_insert_rowid()", into(row), now;
        if (v_ >= 2)
            s_ << "INSERT INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'complaint')", bind(message),
                bind(row), now;
        return row;
    }

    void insertEvent(Poco::Int64 caseId, const std::string& kind, const std::string& note) {
        s_ << "INSERT INTO case_events(case_id, at, actor, kind, from_unit, to_unit, note) "
              "VALUES(?, ?, 'complaintd', ?, '', 'public-works', ?)",
            bind(caseId), bind(dayOf(v_)), bind(kind), bind(note), now;
    }

    void insertLetter(Poco::Int64 caseId, const std::string& what, const std::string& state, const std::string& held) {
        const std::string raw = rawMail(v_, what);
        const Poco::Data::BLOB blob(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
        const std::string recipient = "Writer" + std::to_string(v_) + "@Example.org";
        const std::string messageId = what + "-" + std::to_string(v_) + "@shugu.example";
        const std::string subject = "letter of version " + std::to_string(v_);
        const Poco::Int64 at = dayOf(v_);
        if (v_ < 7)
            s_ << "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, state, "
                  "attempts, created_at, next_attempt_at, sent_at) "
                  "VALUES(?, 'acknowledgement', 'complaints@shugu.example', ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                bind(caseId), bind(recipient), bind(messageId), bind(subject), bind(blob), bind(state), bind(at),
                bind(at), bind(at), now;
        else
            s_ << "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, state, "
                  "attempts, created_at, next_attempt_at, sent_at, held_reason, recipient_key, recipient_domain) "
                  "VALUES(?, 'acknowledgement', 'complaints@shugu.example', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, "
                  "'example.org')",
                bind(caseId), bind(recipient), bind(messageId), bind(subject), bind(blob), bind(state), bind(at),
                bind(at), bind(at), bind(held), bind("writer" + std::to_string(v_) + "@example.org"), now;
        s_ << "UPDATE outbox SET sent_at = NULL WHERE state <> 'sent'", now;  // only a sent letter was accepted
    }

    Session& s_;
    int v_;
    Poco::Int64 uid_ = 0;
};

class SchemaUpgradeTest : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("complaintd-schema-upgrade-" + std::to_string(GetParam()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        Poco::Data::SQLite::Connector::registerConnector();
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    std::string database() const { return (dir_ / "complaintd.sqlite").string(); }

    // Steps 1..N as that release applied them, each version's rows written after its step.
    void makeDatabaseOfVersion(int n) {
        Session session("SQLite", database());
        session << "PRAGMA foreign_keys = ON", now;
        for (int v = 1; v <= n; ++v) {
            session << "BEGIN IMMEDIATE", now;
            center::schema::apply(session, center::schema::steps().at(std::size_t(v - 1)));
            VersionWriter(session, v).write();
            session << "COMMIT", now;
        }
        int version = 0;
        session << "PRAGMA user_version", into(version), now;
        ASSERT_EQ(version, n);
    }

    int run(std::vector<std::string> args) {
        out_.str("");
        err_.str("");
        args.insert(args.begin(), {"-o", "state_dir=" + dir_.string()});
        return runComplaintctl(args, out_, err_, nullptr, nullptr, &clock_);
    }

    Poco::Dynamic::Var json(std::vector<std::string> args) {
        args.push_back("--json");
        EXPECT_EQ(run(args), kExitOk) << err_.str();
        return Poco::JSON::Parser().parse(out_.str());
    }

    Poco::JSON::Array::Ptr array(const std::vector<std::string>& args) {
        return json(args).extract<Poco::JSON::Array::Ptr>();
    }

    fs::path dir_;
    daemon::FixedClock clock_{daemon::utc(2026, 11, 30, 1)};
    std::ostringstream out_;
    std::ostringstream err_;
};

TEST_P(SchemaUpgradeTest, EveryCaseMessageLetterAndHistoryIsKept) {
    const int n = GetParam();
    ASSERT_NO_FATAL_FAILURE(makeDatabaseOfVersion(n));

    // Opening it takes it to the current version.
    { center::Store store(database()); }
    {
        Session session("SQLite", database());
        int version = 0;
        session << "PRAGMA user_version", into(version), now;
        EXPECT_EQ(version, center::schema::currentVersion());
    }

    const auto list = array({"list"});
    ASSERT_EQ(list->size(), std::size_t(n));
    for (int v = 1; v <= n; ++v) {
        const auto c = list->getObject(unsigned(v - 1));
        EXPECT_EQ(c->getValue<std::string>("number"), numberOf(v));
        EXPECT_EQ(c->getValue<std::string>("subject"), "路燈不亮 v" + std::to_string(v));
        EXPECT_EQ(c->getValue<std::string>("status"), "assigned");
        EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("email"),
                  "writer" + std::to_string(v) + "@example.org");

        const auto history = array({"history", numberOf(v)});
        ASSERT_GE(history->size(), 1u) << numberOf(v);
        EXPECT_EQ(history->getObject(0)->getValue<std::string>("note"), "case opened by version " + std::to_string(v));
        ASSERT_GE(history->size(), 2u) << numberOf(v);
        const auto move = history->getObject(1);
        EXPECT_EQ(move->getValue<std::string>("from_status"), "received") << numberOf(v);
        EXPECT_EQ(move->getValue<std::string>("to_status"), "assigned") << numberOf(v);
        ASSERT_EQ(run({"show", numberOf(v)}), kExitOk) << err_.str();
        EXPECT_NE(out_.str().find("summary written by version " + std::to_string(v)), std::string::npos) << out_.str();
    }
    if (n >= 5) {
        const auto fax = json({"show", numberOf(5)}).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(fax->getValue<std::string>("channel"), "fax");
    }

    // Every letter, with its state; the letters of version 6 and before counted under their mailbox.
    const auto letters = array({"outbox", "list"});
    std::size_t sent = 0, held = 0;
    for (unsigned i = 0; i < letters->size(); ++i) {
        const auto state = letters->getObject(i)->getValue<std::string>("state");
        sent += state == "sent";
        held += state == "held";
    }
    EXPECT_EQ(sent, std::size_t(n));
    EXPECT_EQ(held, n >= 7 ? 1u : 0u);
    {
        Session session("SQLite", database());
        int unkeyed = 0;
        session << "SELECT count(*) FROM outbox WHERE recipient_key = '' OR recipient_key IS NULL", into(unkeyed), now;
        EXPECT_EQ(unkeyed, 0);
        int attachments = 0;
        session << "SELECT count(*) FROM attachments WHERE data = CAST('JPG' AS BLOB)", into(attachments), now;
        EXPECT_EQ(attachments, 1);
    }

    // The quarantined message of version 1, byte for byte, read by the mail desk.
    for (const auto& person : testing::testStaff())
        ASSERT_EQ(run(testing::staffAddArguments(person)), kExitOk) << err_.str();
    const auto quarantine = array({"quarantine", "list"});
    ASSERT_EQ(quarantine->size(), 1u);
    const auto id = quarantine->getObject(0)->getValue<long long>("message");
    // A folder of the clerk's: complaintctl writes nothing under the state directory.
    const std::filesystem::path savedDir = dir_.string() + "-saved";
    std::filesystem::create_directories(savedDir);
    const auto saved = savedDir / "quarantined.eml";
    ASSERT_EQ(run({"quarantine", "show", std::to_string(id), "--output", saved.string()}), kExitOk) << err_.str();
    std::ifstream in(saved, std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), rawMail(1, "unreadable"));
    std::filesystem::remove_all(savedDir);

    // The automated mail of earlier versions is in the list staff read.
    const auto automated = array({"automated", "list"});
    EXPECT_EQ(automated->size(), std::size_t(n >= 2 ? n - 1 : 0));

    // The upgraded file keeps the store's invariants.
    EXPECT_EQ(run({"check"}), kExitOk) << out_.str() << err_.str();

    // And the daemon goes on: a new complaint gets the next number and its acknowledgement.
    fs::create_directories(dir_ / "drop");
    std::ofstream(dir_ / "drop" / "new.eml", std::ios::binary)
        << testing::big5Complaint("after-upgrade@example.org", "升級後的新案件", "路燈壞了，請修理。");
    std::atomic<bool> stopping{false};
    daemon::Service(center::loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings, clock_)
        .runCycle(stopping);
    const auto after = array({"list"});
    ASSERT_EQ(after->size(), std::size_t(n + 1));
    std::set<std::string> numbers;
    for (unsigned i = 0; i < after->size(); ++i) numbers.insert(after->getObject(i)->getValue<std::string>("number"));
    EXPECT_EQ(numbers.size(), std::size_t(n + 1));
    EXPECT_EQ(after->getObject(unsigned(n))->getValue<std::string>("subject"), "升級後的新案件");
    EXPECT_EQ(run({"check"}), kExitOk) << out_.str() << err_.str();

    // A broken invariant is found and named.
    {
        Session session("SQLite", database());
        session << "DELETE FROM message_raw WHERE message_row = (SELECT min(message_row) FROM message_raw)", now;
    }
    EXPECT_EQ(run({"check"}), kExitInvalid);
    EXPECT_NE(out_.str().find(": its raw bytes are missing"), std::string::npos) << out_.str();
}

// Versions 1 to 8 (9 is current). A new step 10 extends the range to 10 and teaches VersionWriter
// the rows version 9 writes (a status event with its from_status and to_status, for one).
INSTANTIATE_TEST_SUITE_P(FromEveryEarlierVersion, SchemaUpgradeTest, ::testing::Range(1, 9),
                         [](const ::testing::TestParamInfo<int>& info) {
                             return "Version" + std::to_string(info.param);
                         });

// A development database that is none of the released versions is not patched up by guessing
// from the SQL text (the old alreadyApplied): the upgrade stops, names the step and leaves the file
// at the version before it.
TEST(SchemaUpgrade, AFileThatIsNoReleasedVersionStopsTheUpgradeNamingTheStep) {
    const auto dir = fs::temp_directory_path() / "complaintd-schema-upgrade-dev";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto path = (dir / "complaintd.sqlite").string();
    Poco::Data::SQLite::Connector::registerConnector();
    {
        Session session("SQLite", path);
        for (int v = 1; v <= 4; ++v) center::schema::apply(session, center::schema::steps().at(std::size_t(v - 1)));
        session << "ALTER TABLE cases ADD COLUMN reply_route TEXT NOT NULL DEFAULT ''", now;  // a dev build's 5
    }
    try {
        center::Store store(path);
        FAIL() << "a schema 4 file with a column of step 5 was upgraded";
    } catch (const center::StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("from schema 4 to 5"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("reply_route"), std::string::npos) << e.what();
    }
    Session session("SQLite", path);
    int version = 0;
    session << "PRAGMA user_version", into(version), now;
    EXPECT_EQ(version, 4);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace complaintd::ctl
