// Automatic letters are no spam cannon: what they quote, the caps that hold them, release and
// discard by staff, Authentication-Results, and follow-ups from a forged From. Through the
// daemon with an injected clock and the drop folder as the source.
#include "daemon/letter_gate.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "center/center_book.h"
#include "center/procedure.h"
#include "daemon/service.h"
#include "parsers/mime_parser.h"
#include "schema_steps.h"
#include "test_clock.h"
#include "test_mail.h"
#include "test_staff_members.h"

namespace complaintd::daemon {
namespace {

// The draft as the approver read it (CaseRecord::replyRevision).
std::string draftOf(center::Store& s, const cases::CaseNumber& number) { return s.findCase(number)->replyRevision; }

namespace fs = std::filesystem;
using cases::CaseStatus;

constexpr const char* kPass = "Authentication-Results: mx.shugu.example; dmarc=pass header.from=example.org\r\n";

class LetterGateTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintd-gate-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        configure({});
    }
    void TearDown() override {
        service_.reset();
        if (!HasFailure()) fs::remove_all(dir_);
    }

    void configure(std::vector<std::string> overrides) {
        overrides.push_back("state_dir=" + dir_.string());
        settings_ = center::loadSettings(std::nullopt, overrides).settings;
        service_ = std::make_unique<Service>(settings_, clock_);
    }

    CycleReport deliver(const std::string& from, const std::string& subject = "紫楝路路燈不亮",
                        const std::string& extraHeaders = "", const std::string& body = "路燈壞了三天。") {
        const auto id = "m" + std::to_string(++dropped_) + "@example.org";
        std::ofstream(dir_ / "drop" / ("m" + std::to_string(dropped_) + ".eml"), std::ios::binary)
            << testing::utf8Mail(id, subject, body, from, extraHeaders);
        return service_->runCycle(stopping_);
    }

    center::Store store() { return center::Store(settings_.databasePath); }
    cases::CaseRecord record(const std::string& number) { return *store().findCase(*cases::CaseNumber::parse(number)); }

    // The letters to complainants, which the gate caps: not the notices to the center's units.
    std::vector<center::OutboxItem> letters(center::OutboxState state) {
        std::vector<center::OutboxItem> found;
        for (auto& item : store().outbox())
            if (item.state == state && item.kind != cases::LetterKind::UnitNotice) found.push_back(item);
        return found;
    }

    // Answers case 115-001 with a formal reply and sends it: the case is replied.
    void answerFirstCase() {
        const auto number = *cases::CaseNumber::parse("115-001");
        auto s = store();
        s.recordReply(number, "已派員更換燈泡。", "lin", clock_.now());
        const auto book = center::loadCenterBook(settings_);
        center::Procedure procedure(s, settings_, book);
        procedure.approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draftOf(s, number),
                          clock_.now());
        procedure.approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draftOf(s, number),
                          clock_.now());
        service_->runCycle(stopping_);
        ASSERT_EQ(record("115-001").fields.status, CaseStatus::Replied);
    }

    // The survey form of the reply letter answered "dissatisfied", quoted as in a reply.
    std::string dissatisfiedSurvey() {
        std::string form;
        for (const auto& l : store().outbox())
            if (l.kind == cases::LetterKind::Reply)
                form = std::get<parsers::ParsedMessage>(parsers::parseMessage(l.raw)).textBody;
        form = form.substr(form.find("樹谷園區服務中心－客訴案件處理情形調查表"));
        for (const std::string choice : {"（ ）10天內", "（ ）完全沒有解決", "（ ）不滿意"})
            form.replace(form.find(choice), choice.size(), "（V）" + choice.substr(choice.find("）") + 3));
        std::string quoted;
        std::istringstream lines(form);
        for (std::string line; std::getline(lines, line);) quoted += "> " + line + "\n";
        return "填好了。\n\n" + quoted;
    }

    fs::path dir_;
    center::Settings settings_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
    std::unique_ptr<Service> service_;
    int dropped_ = 0;
};

TEST_F(LetterGateTest, AcknowledgementQuotesAShortSubjectAndNoName) {
    const std::string spam = "Cheap pills at http://spam.example/buy now " + std::string(3000, '!');
    deliver("\"Visit spam.example for prizes\" <victim@example.org>", spam + "\r\n\tBcc: x@example.org");
    const auto sent = letters(center::OutboxState::Sent);
    ASSERT_EQ(sent.size(), 1u);
    const auto raw = sent[0].raw;
    const auto letter = std::get<parsers::ParsedMessage>(parsers::parseMessage(raw));
    EXPECT_EQ(letter.to.at(0).address, "victim@example.org");
    EXPECT_TRUE(letter.to.at(0).name.empty());
    EXPECT_EQ(letter.subject.find("prizes"), std::string::npos);
    EXPECT_NE(letter.subject.find("Cheap pills at http://spam.example/buy now !"), std::string::npos);
    EXPECT_NE(letter.subject.find("…"), std::string::npos);
    EXPECT_LT(letter.subject.size(), 200u) << letter.subject;
    EXPECT_EQ(letter.textBody.find("prizes"), std::string::npos);
    EXPECT_EQ(letter.textBody.find(std::string(80, '!')), std::string::npos);
    EXPECT_NE(letter.textBody.find("陳情人 您好"), std::string::npos);
    // The case keeps what was written.
    EXPECT_GT(record("115-001").fields.subject.size(), spam.size());
}

TEST_F(LetterGateTest, PlusTagsCaseAndGmailDotsShareThePerAddressCap) {
    for (const auto* from : {"victim+1@example.org", "Victim+2@Example.org", "victim@example.org",
                             "V.i.c.t.i.m@gmail.com", "victim+x@googlemail.com"})
        deliver(from);
    EXPECT_EQ(store().listCases().size(), 5u);  // every complaint has its case
    const auto held = letters(center::OutboxState::Held);
    ASSERT_EQ(held.size(), 3u);
    for (const auto& l : held) EXPECT_EQ(l.heldReason, kHeldAddressCap);
    EXPECT_EQ(letters(center::OutboxState::Sent).size(), 2u);  // one to victim@example.org, one to victim@gmail.com
}

TEST_F(LetterGateTest, DomainAndGlobalCapsHoldLettersForAnHour) {
    configure({"mail.auto_letters_per_domain_hour=2", "mail.auto_letters_per_hour=3"});
    deliver("a@example.org");
    deliver("b@example.org");
    deliver("c@example.org");  // third to example.org this hour
    deliver("d@example.net");
    deliver("e@example.com");  // fourth to anyone this hour
    ASSERT_EQ(letters(center::OutboxState::Sent).size(), 3u);
    const auto held = letters(center::OutboxState::Held);
    ASSERT_EQ(held.size(), 2u);
    EXPECT_EQ(held[0].heldReason, kHeldDomainCap);
    EXPECT_EQ(held[1].heldReason, kHeldGlobalCap);
    clock_.advance(std::chrono::minutes(61));
    deliver("f@example.org");
    EXPECT_EQ(letters(center::OutboxState::Sent).size(), 4u);
}

TEST_F(LetterGateTest, StaffReleaseOrDiscardHeldLettersOnTheRecord) {
    deliver("w@example.org");
    deliver("w+2@example.org", "水溝堵塞");
    deliver("w+3@example.org", "人行道破損");
    auto held = letters(center::OutboxState::Held);
    ASSERT_EQ(held.size(), 2u);
    EXPECT_EQ(service_->runCycle(stopping_).sent, 0);  // held letters never go on their own
    EXPECT_TRUE(store().releaseLetter(held[0].id, "lin", clock_.now()));
    EXPECT_TRUE(store().discardLetter(held[1].id, "chen", clock_.now()));
    EXPECT_FALSE(store().releaseLetter(held[1].id, "lin", clock_.now()));  // no longer held
    EXPECT_EQ(service_->runCycle(stopping_).sent, 1);
    EXPECT_EQ(letters(center::OutboxState::Sent).size(), 2u);
    EXPECT_EQ(letters(center::OutboxState::Discarded).size(), 1u);
    EXPECT_EQ(record("115-002").history.back().kind, cases::EventKind::LetterReleased);
    EXPECT_EQ(record("115-002").history.back().actor, "lin");
    EXPECT_EQ(record("115-003").history.back().kind, cases::EventKind::LetterDiscarded);
}

TEST_F(LetterGateTest, ABounceOfAHeldLetterIsForgedAndLeavesItHeld) {
    deliver("w@example.org");
    deliver("w+2@example.org", "水溝堵塞");
    const auto held = letters(center::OutboxState::Held);
    ASSERT_EQ(held.size(), 1u);
    // Only someone who saw the letter's Message-ID could quote it: it was never sent.
    deliver("MAILER-DAEMON@x.example", "Undelivered Mail", "", "Your message <" + held[0].messageId + "> bounced.");
    EXPECT_FALSE(record("115-002").deliveryFailed);
    EXPECT_EQ(letters(center::OutboxState::Held).size(), 1u);
    EXPECT_TRUE(letters(center::OutboxState::Failed).empty());
}

TEST_F(LetterGateTest, OnlyTheCentersAuthenticationResultsAreBelieved) {
    configure({"mail.authserv_id=mx.shugu.example"});
    deliver("a@example.org", "路燈",
            "Authentication-Results: mx.shugu.example; dmarc=fail header.from=example.org\r\n");
    deliver("b@example.org", "路燈", "Authentication-Results: mx.evil.example; dmarc=pass header.from=example.org\r\n");
    deliver("c@example.org", "路燈");  // no field at all
    deliver("d@example.org", "路燈", kPass);
    EXPECT_EQ(store().listCases().size(), 4u);
    const auto held = letters(center::OutboxState::Held);
    ASSERT_EQ(held.size(), 3u);
    for (const auto& l : held) EXPECT_EQ(l.heldReason, kHeldUnauthenticated);
    ASSERT_EQ(letters(center::OutboxState::Sent).size(), 1u);
    EXPECT_EQ(letters(center::OutboxState::Sent)[0].recipient, "d@example.org");
}

TEST_F(LetterGateTest, UnauthenticatedFollowUpNeitherReopensNorAnswersTheSurvey) {
    configure({"mail.authserv_id=mx.shugu.example"});
    deliver("Wang <wang@example.org>", "紫楝路路燈不亮", kPass);
    answerFirstCase();
    // The complainant's address, forged: attached and flagged, nothing acted on.
    deliver("Wang <wang@example.org>", "Re: [115-001] 還是不亮", "", "路燈還是不亮，不滿意。");
    auto r = record("115-001");
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);
    EXPECT_TRUE(r.needsReview);
    EXPECT_NE(r.history.back().note.find("not authenticated"), std::string::npos);
    deliver("Wang <wang@example.org>", "Re: [115-001] 函復", "", dissatisfiedSurvey());
    EXPECT_FALSE(store().survey({115, 1}));
    EXPECT_EQ(record("115-001").fields.status, CaseStatus::Replied);
}

TEST_F(LetterGateTest, AuthenticatedSurveyAnswerIsStoredAndReopens) {
    configure({"mail.authserv_id=mx.shugu.example"});
    deliver("Wang <wang@example.org>", "紫楝路路燈不亮", kPass);
    answerFirstCase();
    deliver("Wang <wang@example.org>", "Re: [115-001] 函復", kPass, dissatisfiedSurvey());
    ASSERT_TRUE(store().survey({115, 1}));
    EXPECT_EQ(record("115-001").fields.status, CaseStatus::Reopened);
}

// Without an authserv-id nothing is believed nor doubted: the complainant's follow-up is theirs (the
// unit is told), not another sender's (flagged, nobody told).
TEST_F(LetterGateTest, WithoutAnAuthservIdFollowUpsFromTheComplainantAreTheirs) {
    deliver("Wang <wang@example.org>");
    answerFirstCase();
    deliver("Wang <wang@example.org>", "Re: [115-001] 還是不亮", "", "路燈還是不亮。");
    const auto r = record("115-001");
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);  // the handler decides whether it reopens
    EXPECT_TRUE(r.needsReview);
    EXPECT_EQ(r.history.back().kind, cases::EventKind::UnitNotice);
}

// Schema step 7 rebuilds the outbox: letters queued before keep their state and count under
// their mailbox.
TEST(LetterGateMigration, OutboxOfSchema6KeepsItsLettersAndCountsThemByMailbox) {
    const auto dir = fs::temp_directory_path() / "complaintd-gate-migration";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto path = (dir / "old.sqlite").string();
    {
        // A database of schema 6, from the frozen steps.
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session db("SQLite", path);
        using namespace Poco::Data::Keywords;
        for (int v = 1; v <= 6; ++v) center::schema::apply(db, center::schema::steps().at(std::size_t(v - 1)));
        db << "INSERT INTO outbox(kind, envelope_from, recipient, message_id, subject, raw, state, created_at, "
              "next_attempt_at) VALUES('acknowledgement', 'c@x', 'V.ictim+1@GMail.com', 'm1@x', 's', 'raw', 'sent', "
              "100, 100)",
            now;
    }
    center::Store migrated(path);
    const auto outbox = migrated.outbox();
    ASSERT_EQ(outbox.size(), 1u);
    EXPECT_EQ(outbox[0].state, center::OutboxState::Sent);
    EXPECT_EQ(outbox[0].recipient, "V.ictim+1@GMail.com");
    const cases::Timestamp since{std::chrono::seconds(50)};
    EXPECT_EQ(migrated.automaticLettersTo("victim@googlemail.com", since), 1);
    EXPECT_EQ(migrated.automaticLettersToDomain("x@gmail.com", since), 1);
    EXPECT_EQ(migrated.automaticLettersSince(since), 1);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace complaintd::daemon
