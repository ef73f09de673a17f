// The procedure through the daemon: threading, referral, reminders and delay
// notices, with an injected clock and the drop folder as the source.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "center/center_book.h"
#include "center/procedure.h"
#include "daemon/service.h"
#include "parsers/mime_parser.h"

#include <sstream>
#include "test_clock.h"
#include "test_mail.h"
#include "test_staff_members.h"

namespace complaintd::daemon {
namespace {

// The draft as the approver read it (CaseRecord::replyRevision).
std::string draftOf(center::Store& s, const cases::CaseNumber& number) { return s.findCase(number)->replyRevision; }

namespace fs = std::filesystem;
using cases::CaseStatus;

class MailProcedureTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintd-procedure-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        settings_ = center::loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings;
        service_ = std::make_unique<Service>(settings_, clock_);
    }
    void TearDown() override {
        service_.reset();
        if (!HasFailure()) fs::remove_all(dir_);
    }

    CycleReport deliver(const std::string& raw) {
        std::ofstream(dir_ / "drop" / ("m" + std::to_string(++dropped_) + ".eml"), std::ios::binary) << raw;
        return service_->runCycle(stopping_);
    }

    center::Store store() { return center::Store(settings_.databasePath); }
    cases::CaseRecord record(const std::string& number) { return *store().findCase(*cases::CaseNumber::parse(number)); }

    // The supervisor and the approver sign the draft: the reply letter with the survey is queued.
    void signOff(center::Store& s, const cases::CaseNumber& number) {
        const auto book = center::loadCenterBook(settings_);
        center::Procedure procedure(s, settings_, book);
        procedure.approve(number, cases::ApprovalRole::Supervisor, testing::testMember("chen"), draftOf(s, number),
                          clock_.now());
        procedure.approve(number, cases::ApprovalRole::Approver, testing::testMember("huang"), draftOf(s, number),
                          clock_.now());
    }

    std::vector<center::OutboxItem> letters(const std::string& kind) {
        std::vector<center::OutboxItem> found;
        for (auto& item : store().outbox())
            if (cases::idOf(item.kind) == kind) found.push_back(item);
        return found;
    }

    fs::path dir_;
    center::Settings settings_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
    std::unique_ptr<Service> service_;
    int dropped_ = 0;
};

TEST_F(MailProcedureTest, SubjectTagThreadsAFollowUpWithoutANewNumber) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto report =
        deliver(testing::utf8Mail("c2@example.org", "回覆：[115-001] 補充照片", "補充：是第三根路燈。"));
    EXPECT_EQ(report.followUps, 1);
    EXPECT_EQ(report.opened, 0);
    EXPECT_EQ(store().listCases().size(), 1u);
    const auto r = record("115-001");
    EXPECT_FALSE(r.needsReview);  // before the reply: the handler reads it with the case
    ASSERT_GE(r.history.size(), 2u);
    EXPECT_EQ(r.history[r.history.size() - 2].kind, cases::EventKind::FollowUp);
    EXPECT_EQ(r.history.back().kind, cases::EventKind::UnitNotice);  // the unit is told it came
}

TEST_F(MailProcedureTest, FollowUpFromAnotherSenderIsFlaggedForReview) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    deliver(testing::utf8Mail("c2@example.org", "Re: [115-001]", "我也看到了", "someone.else@example.org"));
    EXPECT_EQ(store().listCases().size(), 1u);
    EXPECT_TRUE(record("115-001").needsReview);
}

TEST_F(MailProcedureTest, ReplyToOurLetterThreadsEvenWithoutTag) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto ack = letters("acknowledgement").at(0);
    const auto report =
        deliver(testing::utf8Mail("c2@example.org", "謝謝", "謝謝你們。", "Wang Xiaoming <wang@example.org>",
                                  "In-Reply-To: <" + ack.messageId + ">\r\n"));
    EXPECT_EQ(report.followUps, 1);
    EXPECT_EQ(store().listCases().size(), 1u);
}

// A thank-you, or any message after the reply, is no continued handling: the case is flagged for
// the handler and its unit told (once a day); the handler decides whether it reopens.
TEST_F(MailProcedureTest, ANewMessageAfterTheReplyFlagsTheCaseAndTellsTheUnitWithoutReopening) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto number = *cases::CaseNumber::parse("115-001");
    {
        auto s = store();
        s.recordReply(number, "已於12月1日派員更換燈泡。", "lin", clock_.now());
        signOff(s, number);
    }
    service_->runCycle(stopping_);  // sends the reply letter
    EXPECT_EQ(record("115-001").fields.status, CaseStatus::Replied);
    deliver(testing::utf8Mail("c3@example.org", "Re: [115-001] 謝謝", "謝謝你們，路燈已經修好了。"));
    auto r = record("115-001");
    EXPECT_EQ(r.fields.status, CaseStatus::Replied);
    EXPECT_TRUE(r.needsReview);
    // The follow-up notice is the one kept once a day (the notices table's threshold).
    auto notices = [&] {
        int n = 0;
        for (const auto& e : record("115-001").history)
            n += e.kind == cases::EventKind::UnitNotice && e.note.starts_with("queued (threshold");
        return n;
    };
    const int before = notices();
    EXPECT_EQ(before, 1);
    deliver(testing::utf8Mail("c4@example.org", "Re: [115-001] 再補充", "另外路口的燈也請一併檢查。"));
    EXPECT_EQ(notices(), before) << "the unit is told once a day, not once a message";
    EXPECT_EQ(record("115-001").fields.status, CaseStatus::Replied);
}

TEST_F(MailProcedureTest, DissatisfiedSurveyReplyIsStoredAndReopensTheCase) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto number = *cases::CaseNumber::parse("115-001");
    {
        auto s = store();
        s.recordReply(number, "已派員更換燈泡。", "lin", clock_.now());
        signOff(s, number);
    }
    service_->runCycle(stopping_);
    ASSERT_EQ(record("115-001").fields.status, CaseStatus::Replied);
    // The complainant answers in the quoted form, Gmail style.
    std::string form = std::get<parsers::ParsedMessage>(parsers::parseMessage(letters("reply").at(0).raw)).textBody;
    form = form.substr(form.find("樹谷園區服務中心－客訴案件處理情形調查表"));
    for (const std::string choice : {"（ ）10天內", "（ ）完全沒有解決", "（ ）不滿意"})
        form.replace(form.find(choice), choice.size(), "（V）" + choice.substr(choice.find("）") + 3));
    std::string quoted;
    std::istringstream lines(form);
    for (std::string line; std::getline(lines, line);) quoted += "> " + line + "\n";
    const auto report = deliver(testing::utf8Mail("c4@example.org", "Re: [115-001] 函復", "填好了。\n\n" + quoted));
    EXPECT_EQ(report.followUps, 1);
    const auto r = record("115-001");
    EXPECT_EQ(r.fields.status, CaseStatus::Reopened);
    const auto survey = store().survey(number);
    ASSERT_TRUE(survey);
    EXPECT_EQ(survey->source, "mail");
    EXPECT_NE(survey->answersJson.find("dissatisfied"), std::string::npos) << survey->answersJson;
    EXPECT_EQ(letters("dissatisfied").size(), 1u);
}

TEST_F(MailProcedureTest, OutOfRemitComplaintGetsTheReferralLetter) {
    deliver(testing::utf8Mail("c1@example.org", "健保卡遺失", "請問健保卡要怎麼補發？"));
    const auto r = record("115-001");
    EXPECT_EQ(r.fields.status, CaseStatus::Referred);
    EXPECT_EQ(r.referral, "nhi");
    ASSERT_EQ(letters("referral").size(), 1u);
    EXPECT_TRUE(letters("acknowledgement").empty());
}

TEST_F(MailProcedureTest, CopyToAnotherAgencySuggestsReason4) {
    deliver(testing::utf8Mail("c1@example.org", "工廠噪音", "工廠夜間噪音很大，影響睡眠，請處理。",
                              "Wang Xiaoming <wang@example.org>", "Cc: service@epb.tainan.gov.tw\r\n"));
    const auto r = record("115-001");
    ASSERT_EQ(r.suggestions.size(), 1u);
    EXPECT_EQ(r.suggestions[0].reason, cases::FilingReason::SentToCompetent);
}

TEST_F(MailProcedureTest, RepeatOfAnAnsweredMatterSuggestsReason2) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "紫楝路的路燈已經三天不亮了，請派員修理。"));
    store().changeStatus({115, 1}, {CaseStatus::ReplyDrafted, "lin", "", clock_.now()});
    {
        auto s = store();
        s.recordReply({115, 1}, "已修復", "lin", clock_.now());
        // Signed, then answered by phone: no letter goes out.
        s.sign({115, 1}, cases::ApprovalRole::Supervisor, "chen", draftOf(s, {115, 1}), clock_.now());
        s.sign({115, 1}, cases::ApprovalRole::Approver, "huang", draftOf(s, {115, 1}), clock_.now());
        s.changeStatus({115, 1}, {CaseStatus::SignedOff, "huang", "", clock_.now()});
        s.changeStatus({115, 1}, {CaseStatus::Replied, "lin", "by phone", clock_.now()});
        s.changeStatus({115, 1}, {CaseStatus::Closed, "lin", "", clock_.now()});
    }
    deliver(testing::utf8Mail("c9@example.org", "紫楝路路燈不亮", "紫楝路的路燈已經三天不亮了，請派員修理！"));
    const auto r = record("115-002");
    ASSERT_FALSE(r.suggestions.empty());
    EXPECT_EQ(r.suggestions[0].reason, cases::FilingReason::AlreadyAnswered);
    EXPECT_NE(r.suggestions[0].detail.find("115-001"), std::string::npos);
}

TEST_F(MailProcedureTest, UnitIsRemindedOncePerThresholdAndComplainantToldOfDelay) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto due = record("115-001").fields.deadlines->target;  // 2026-12-07
    EXPECT_EQ(cases::formatDate(due), "2026-12-07");
    clock_.advance(std::chrono::days(5));  // 12-05: two days left
    EXPECT_EQ(service_->runCycle(stopping_).reminders, 1);
    EXPECT_EQ(service_->runCycle(stopping_).reminders, 0);
    ASSERT_EQ(letters("reminder").size(), 1u);
    EXPECT_EQ(letters("reminder")[0].recipient, "works@shugu.example");
    clock_.advance(std::chrono::days(2));  // 12-07: the day itself
    EXPECT_EQ(service_->runCycle(stopping_).reminders, 1);

    clock_.advance(std::chrono::days(21));  // 12-28: 2 days before the legal limit, no reason yet
    EXPECT_EQ(service_->runCycle(stopping_).delayNotices, 0);
    store().setDelayReason({115, 1}, "需等待台電更換變壓器", "lin", clock_.now());
    EXPECT_EQ(service_->runCycle(stopping_).delayNotices, 1);
    EXPECT_EQ(service_->runCycle(stopping_).delayNotices, 0);
    ASSERT_EQ(letters("delay-notice").size(), 1u);
    EXPECT_EQ(letters("delay-notice")[0].recipient, "wang@example.org");
}

// A reply signed off for the post is not sent until staff record it: the unit is reminded meanwhile.
TEST_F(MailProcedureTest, ASignedOffReplyForThePostIsRemindedUntilRecordedAsSent) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    {
        auto s = store();
        s.changeStatus({115, 1}, {CaseStatus::ReplyDrafted, "lin", "", clock_.now()});
        s.recordReply({115, 1}, "已修復", "lin", clock_.now());
        s.sign({115, 1}, cases::ApprovalRole::Supervisor, "chen", draftOf(s, {115, 1}), clock_.now());
        s.sign({115, 1}, cases::ApprovalRole::Approver, "huang", draftOf(s, {115, 1}), clock_.now());
        s.changeStatus({115, 1}, {CaseStatus::SignedOff, "huang", "", clock_.now()});
    }
    clock_.advance(std::chrono::days(5));  // two days left
    EXPECT_EQ(service_->runCycle(stopping_).reminders, 1);
    const auto reminders = letters("reminder");
    ASSERT_EQ(reminders.size(), 1u);
    const auto body = std::get<parsers::ParsedMessage>(parsers::parseMessage(reminders[0].raw)).textBody;
    EXPECT_NE(body.find("complaintctl print 115-001"), std::string::npos) << body;
    EXPECT_EQ(body.find("complaintctl reply 115-001"), std::string::npos) << body;
    store().changeStatus({115, 1}, {CaseStatus::Replied, "lin", "by post", clock_.now()});
    clock_.advance(std::chrono::days(2));
    EXPECT_EQ(service_->runCycle(stopping_).reminders, 0);
}

TEST_F(MailProcedureTest, ConfidentialCaseIsRedactedInUnitReminders) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，請保密。"));
    {
        auto s = store();
        auto r = *s.findCase({115, 1});
        r.fields.confidential = true;
        const auto book = center::loadCenterBook(settings_);
        const center::LetterOffice office(settings_, book);
        const auto letter = office.toUnit(cases::LetterKind::Reminder, r.fields, r.fields.number, clock_.now());
        ASSERT_TRUE(letter);
        EXPECT_EQ(letter->raw.find("wang@example.org"), std::string::npos);
    }
}

TEST_F(MailProcedureTest, OutOfOfficeReplyToOurLetterIsRecordedNotAnswered) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto report =
        deliver(testing::utf8Mail("ooo@example.org", "自動回覆：[115-001] 已收到您的陳情", "我目前休假中。",
                                  "Wang Xiaoming <wang@example.org>", "Auto-Submitted: auto-replied\r\n"));
    EXPECT_EQ(report.opened, 0);
    EXPECT_EQ(report.followUps, 0);
    EXPECT_EQ(letters("acknowledgement").size(), 1u);
    const auto r = record("115-001");
    EXPECT_EQ(r.history.back().kind, cases::EventKind::AutomaticReply);
    EXPECT_EQ(r.fields.status, CaseStatus::Assigned);
    EXPECT_FALSE(r.needsReview);
}

TEST_F(MailProcedureTest, AutoResponderWithoutOurTagOpensNoCase) {
    const auto report = deliver(testing::utf8Mail("bulk@example.org", "電子報", "本期內容……", "News <news@example.org>",
                                                  "Precedence: bulk\r\n"));
    EXPECT_EQ(report.opened, 0);
    EXPECT_TRUE(store().listCases().empty());
    EXPECT_TRUE(store().outbox().empty());
}

TEST_F(MailProcedureTest, BounceOfOurLetterMarksDeliveryFailure) {
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    const auto ack = letters("acknowledgement").at(0);
    const std::string dsn =
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nTo: complaints@shugu.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.example.org>\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nUser unknown\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" +
        ack.messageId + ">\r\n--b--\r\n";
    const auto report = deliver(dsn);
    EXPECT_EQ(report.opened, 0);
    const auto r = record("115-001");
    EXPECT_TRUE(r.deliveryFailed);
    EXPECT_EQ(r.history.back().kind, cases::EventKind::DeliveryFailed);
    EXPECT_EQ(letters("acknowledgement").at(0).state, center::OutboxState::Failed);
    // It is also listed, with the case whose letter it answers.
    const auto held = store().heldMessages(center::HeldList::Automated);
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].note.kind, "bounce");
    EXPECT_EQ(held[0].linkedCase, "115-001");
}

TEST_F(MailProcedureTest, AutomatedMailIsHeldInTheListUnanswered) {
    const auto report = deliver(testing::utf8Mail("away1@example.org", "不在辦公室", "我休假到週一。",
                                                  "Away <away@example.org>", "Auto-Submitted: auto-replied\r\n"));
    EXPECT_EQ(report.heldMail, 1);
    EXPECT_TRUE(store().listCases().empty());
    EXPECT_TRUE(store().outbox().empty());
    const auto held = store().heldMessages(center::HeldList::Automated);
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].note.kind, "auto-reply");
    EXPECT_EQ(held[0].note.sender, "away@example.org");
    EXPECT_EQ(held[0].note.subject, "不在辦公室");
    EXPECT_EQ(held[0].note.reason, "Auto-Submitted: auto-replied");
}

TEST_F(MailProcedureTest, SpamGetsNoCaseNumberAndNoLetter) {
    auto report = deliver(testing::utf8Mail("spam1@example.org", "中獎通知", "您中獎了", "Win <win@example.org>",
                                            "X-Spam-Status: Yes, score=9.1 required=5.0\r\n"));
    EXPECT_EQ(report.heldMail, 1);
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    ASSERT_EQ(store().listCases().size(), 1u);
    EXPECT_EQ(store().listCases()[0].number.toString(), "115-001");
    ASSERT_EQ(store().heldMessages(center::HeldList::Spam).size(), 1u);
    for (const auto& letter : store().outbox()) EXPECT_NE(letter.recipient, "win@example.org");
}

TEST_F(MailProcedureTest, ComplaintWithAnEmptyFromOpensACaseWithADefect) {
    deliver(testing::utf8Mail("nofrom@example.org", "路燈不亮", "紫楝路的路燈壞了，聯絡電話0912345678。", ""));
    deliver(testing::utf8Mail("nameonly@example.org", "水溝堵塞", "側溝堵塞，聯絡電話0912345678。", "王小明"));
    const auto list = store().caseRecords();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_FALSE(list[0].defects.empty());
    EXPECT_TRUE(store().heldMessages(center::HeldList::Automated).empty());
    for (const auto& letter : store().outbox()) EXPECT_FALSE(letter.recipient.empty());
}

TEST_F(MailProcedureTest, TwoMessagesSharingAMessageIdAreTwoCasesTheSecondFlagged) {
    deliver(testing::utf8Mail("printer-0001@scan.example.org", "路燈不亮", "紫楝路的路燈壞了。"));
    const auto report =
        deliver(testing::utf8Mail("printer-0001@scan.example.org", "水溝堵塞", "側溝堵塞，下雨就積水。"));
    EXPECT_EQ(report.duplicates, 0);
    EXPECT_EQ(report.opened, 1);
    EXPECT_EQ(record("115-002").possibleDuplicate, "same Message-ID as message 1 (case 115-001)");
    // The same bytes again stay a duplicate.
    EXPECT_EQ(
        deliver(testing::utf8Mail("printer-0001@scan.example.org", "水溝堵塞", "側溝堵塞，下雨就積水。")).duplicates,
        1);
    EXPECT_EQ(store().listCases().size(), 2u);
}

TEST_F(MailProcedureTest, AtMostOneAutomaticLetterPerSenderPerDay) {
    auto sent = [&] {
        const auto all = letters("acknowledgement");
        return std::count_if(all.begin(), all.end(),
                             [](const auto& l) { return l.state != center::OutboxState::Held; });
    };
    deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天，晚上很危險。"));
    deliver(testing::utf8Mail("c2@example.org", "水溝堵塞", "側溝堵塞，下雨就積水。"));
    EXPECT_EQ(store().listCases().size(), 2u);
    EXPECT_EQ(sent(), 1);
    EXPECT_EQ(letters("acknowledgement").at(1).heldReason, "per-address cap");  // waits for staff
    clock_.advance(std::chrono::hours(25));
    deliver(testing::utf8Mail("c3@example.org", "人行道破損", "人行道地磚破損，行人容易跌倒。"));
    EXPECT_EQ(sent(), 2);
}

}  // namespace
}  // namespace complaintd::daemon
