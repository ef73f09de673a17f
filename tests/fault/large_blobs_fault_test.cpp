// Lists and the deadline watcher read no BLOB (issue 12, "Staff and the daemon do not overwrite
// each other"): a desk with 300 sent letters of 2 MB and 300 cases with 4 MB of OCR text. Under
// an address-space limit (prlimit --as) far below what those bytes need, `complaintctl status`,
// `outbox list` and a daemon cycle (deadline watcher included) must still work. Real complaintd,
// complaintctl, SQLite, Dovecot and aiosmtpd.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mail_desk.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

using namespace Poco::Data::Keywords;

constexpr int kCopies = 300;
constexpr int kBlobBytes = 2 * 1024 * 1024;
// Address space for one program: its libraries, threads and heap, with room, but far less than the
// 600 MB of letters or 1.2 GB of OCR text that a list reading them would hold.
constexpr long long kAddressSpace = 1000LL * 1024 * 1024;

// Copies of case 1 with OCR text, and copies of letter 1 sent with large bytes.
void fillWithLargeBlobs(const std::string& database) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session db("SQLite", database);
    db << "PRAGMA busy_timeout = 10000", now;
    std::vector<std::string> columns;
    db << "SELECT name FROM pragma_table_info('cases') WHERE name <> 'id'", into(columns), now;
    std::string names, values;
    for (const auto& column : columns) {
        names += (names.empty() ? "" : ", ") + column;
        const std::string value = column == "sequence"      ? "sequence + ?"
                                  : column == "number"      ? "printf('%03d-%03d', roc_year, sequence + ?)"
                                  : column == "ocr_text"    ? "hex(zeroblob(" + std::to_string(kBlobBytes) + "))"
                                  : column == "message_row" ? "NULL"
                                                            : column;
        values += (values.empty() ? "" : ", ") + value;
    }
    db << "BEGIN IMMEDIATE", now;
    for (int copy = 1; copy <= kCopies; ++copy) {
        db << "INSERT INTO cases(" + names + ") SELECT " + values + " FROM cases WHERE id = 1", bind(copy), bind(copy),
            now;
        db << "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, created_at, "
              "next_attempt_at, state, held_reason, recipient_key, recipient_domain, attempts) "
              "SELECT case_id, 'reply', envelope_from, recipient, message_id || '-' || ?, subject, zeroblob(?), "
              "created_at, next_attempt_at, 'sent', '', recipient_key, recipient_domain, 1 FROM outbox WHERE id = 1",
            bind(copy), bind(kBlobBytes), now;
    }
    db << "COMMIT", now;
}

RunResult limited(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> all{"--as=" + std::to_string(kAddressSpace), "--", program};
    all.insert(all.end(), args.begin(), args.end());
    return runProgram("/usr/bin/prlimit", all);
}

TEST(LargeBlobsFaultTest, StatusOutboxListAndACycleReadNoLetterBytesNorOcrText) {
    MailDesk desk;
    ImapTestClient(desk.dovecot())
        .append("INBOX", big5Complaint("blobs-1@example.org", "紫楝路路燈不亮", "路燈壞了。"));
    ASSERT_EQ(desk.complaintd().exitCode, 0);
    fillWithLargeBlobs(desk.path("state/complaintd.sqlite"));

    const auto status = limited(COMPLAINTCTL_BINARY, {"--config", desk.config(), "status"});
    EXPECT_EQ(status.exitCode, 0) << status.err.substr(0, 2000);
    // The copies, the acknowledgement and the notice to the unit.
    EXPECT_NE(status.out.find("sent " + std::to_string(kCopies + 2)), std::string::npos) << status.out;

    const auto outbox = limited(COMPLAINTCTL_BINARY, {"--config", desk.config(), "outbox", "list", "--json"});
    EXPECT_EQ(outbox.exitCode, 0) << outbox.err.substr(0, 2000);
    const auto letters = Poco::JSON::Parser().parse(outbox.exitCode == 0 ? outbox.out : "[]");
    EXPECT_EQ(letters.extract<Poco::JSON::Array::Ptr>()->size(), std::size_t(kCopies + 2));

    ImapTestClient(desk.dovecot()).append("INBOX", big5Complaint("blobs-2@example.org", "紫楝路路燈不亮", "又壞了。"));
    const auto cycle = limited(COMPLAINTD_BINARY, {"--config", desk.config(), "--once"});
    EXPECT_EQ(cycle.exitCode, 0) << cycle.err.substr(cycle.err.size() > 2000 ? cycle.err.size() - 2000 : 0);
    EXPECT_NE(cycle.err.find("opened=1"), std::string::npos) << cycle.err;
    const auto failed = cycle.err.find(" error ");  // "deadline reminders failed: std::bad_alloc", ...
    EXPECT_EQ(failed, std::string::npos) << cycle.err.substr(failed == std::string::npos ? 0 : failed, 300);
}

}  // namespace
}  // namespace complaintd::testing
