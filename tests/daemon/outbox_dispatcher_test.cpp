// OutboxDispatcher with a fake sender over a real SQLite store: what a letter's failure, a session's
// failure and the journal of accepted letters do to the queue (issue 12). The faults against the
// real daemon and SMTP server are in tests/fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "accepted_journal.h"
#include "curl_session.h"
#include "daemon/outbox.h"
#include "test_clock.h"

namespace complaintd::daemon {
namespace {

// Sends by recording; fails a letter whose recipient is in `failures` with that error.
class FakeSender final : public MailSender {
public:
    void send(const center::OutboxItem& letter) override {
        if (const auto f = failures.find(letter.recipient); f != failures.end()) throw f->second;
        sent.push_back(letter.recipient);
    }
    std::map<std::string, TransferError> failures;
    std::vector<std::string> sent;
};

class OutboxDispatcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("complaintd-outbox-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        settings_.databasePath = (dir_ / "test.sqlite").string();
        store_ = std::make_unique<center::Store>(settings_.databasePath);
        auto sender = std::make_unique<FakeSender>();
        sender_ = sender.get();
        dispatcher_ = std::make_unique<OutboxDispatcher>(settings_, std::move(sender));
    }
    void TearDown() override {
        dispatcher_.reset();
        store_.reset();
        if (!HasFailure()) std::filesystem::remove_all(dir_);
    }

    // A case with its acknowledgement to `recipient`; the letter's outbox row.
    center::OutboxItem queue(const std::string& recipient) {
        const auto n = std::to_string(++messages_);
        store_->storeIncoming(center::IncomingMessage{
            {"imap", "imap://u@h/INBOX", 7, messages_}, "raw " + n, "in-" + n + "@x", cases::Channel::Email, start_});
        center::CaseDraft draft;
        draft.messageRowId = store_->pendingMessages(1000).back().id;
        draft.fields.receivedAt = start_;
        draft.fields.subject = "路燈不亮";
        draft.fields.unit = "public-works";
        draft.fields.status = cases::CaseStatus::Assigned;
        store_->openCase(
            draft,
            [&](const cases::CaseNumber&) {
                return center::QueuedLetter{cases::LetterKind::Acknowledgement,
                                            "c@center.example",
                                            recipient,
                                            "ack-" + n + "@center",
                                            "s",
                                            "r"};
            },
            start_);
        return store_->outbox().back();
    }

    DispatchReport dispatch() { return dispatcher_->dispatch(*store_, clock_, stopping_); }
    std::optional<center::OutboxState> stateOf(long long id) {
        for (const auto& o : store_->outbox())
            if (o.id == id) return o.state;
        return std::nullopt;
    }

    std::filesystem::path dir_;
    center::Settings settings_;
    std::unique_ptr<center::Store> store_;
    FakeSender* sender_ = nullptr;
    std::unique_ptr<OutboxDispatcher> dispatcher_;
    cases::Timestamp start_ = utc(2026, 11, 30, 1);
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
    unsigned long messages_ = 0;
};

TEST_F(OutboxDispatcherTest, ALetterInTheJournalIsRecordedAndNeverSentAgain) {
    // As after a kill -9 (or a store that failed) between the journal line and the store's record.
    const auto letter = queue("a@example.org");
    const auto other = queue("b@example.org");
    AcceptedJournal(settings_.databasePath + ".accepted").append({letter.id, letter.messageId});
    const auto report = dispatch();
    EXPECT_EQ(sender_->sent, std::vector<std::string>{"b@example.org"});
    EXPECT_EQ(report.sent, 1);
    EXPECT_EQ(stateOf(letter.id), center::OutboxState::Sent);
    EXPECT_EQ(stateOf(other.id), center::OutboxState::Sent);
    EXPECT_TRUE(AcceptedJournal(settings_.databasePath + ".accepted").entries().empty());
}

TEST_F(OutboxDispatcherTest, AJournalLineForAnotherLetterMarksNothing) {
    // A journal beside a database restored from an older backup: the id names another letter.
    const auto letter = queue("a@example.org");
    AcceptedJournal(settings_.databasePath + ".accepted").append({letter.id, "someone-else@center"});
    dispatch();
    EXPECT_EQ(sender_->sent, std::vector<std::string>{"a@example.org"});
    EXPECT_EQ(stateOf(letter.id), center::OutboxState::Sent);
}

// A kill while a letter is with the server leaves its "sending" line: the server may have it. Sent
// again once (at least once); cut off a second time, it is held for staff, never sent a third time.
TEST_F(OutboxDispatcherTest, ALetterWhoseSendingWasInterruptedTwiceIsHeldNotSentAThirdTime) {
    const auto letter = queue("a@example.org");
    const auto journalPath = settings_.databasePath + ".accepted";
    using Mark = AcceptedJournal::Mark;
    AcceptedJournal(journalPath).append({letter.id, letter.messageId, Mark::Sending});  // the first kill
    // The next process counts the interruption and keeps it; the server defers the letter (known not
    // taken: no interruption).
    auto sender = std::make_unique<FakeSender>();
    sender->failures.emplace("a@example.org", TransferError("server busy", 421, false));
    dispatcher_ = std::make_unique<OutboxDispatcher>(settings_, std::move(sender));
    dispatch();
    const auto lines = AcceptedJournal(journalPath).entries();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].mark, Mark::Interrupted);
    EXPECT_EQ(stateOf(letter.id), center::OutboxState::Queued);
    // Killed while sending it again: the second interruption holds it, with its reason, before any send.
    AcceptedJournal(journalPath).append({letter.id, letter.messageId, Mark::Sending});
    auto last = std::make_unique<FakeSender>();
    auto* lastSender = last.get();
    dispatcher_ = std::make_unique<OutboxDispatcher>(settings_, std::move(last));
    clock_.advance(std::chrono::hours(2));
    dispatch();
    EXPECT_TRUE(lastSender->sent.empty()) << "a third delivery";
    EXPECT_EQ(stateOf(letter.id), center::OutboxState::Held);
    EXPECT_NE(store_->outbox().back().heldReason.find("interrupted 2 times"), std::string::npos)
        << store_->outbox().back().heldReason;
    EXPECT_TRUE(AcceptedJournal(journalPath).entries().empty());
}

TEST_F(OutboxDispatcherTest, AnInterruptedLetterThatGoesOutLeavesNothingInTheJournal) {
    const auto letter = queue("a@example.org");
    const auto journalPath = settings_.databasePath + ".accepted";
    AcceptedJournal(journalPath).append({letter.id, letter.messageId, AcceptedJournal::Mark::Sending});
    dispatch();
    EXPECT_EQ(sender_->sent, std::vector<std::string>{"a@example.org"});
    EXPECT_EQ(stateOf(letter.id), center::OutboxState::Sent);
    EXPECT_TRUE(AcceptedJournal(journalPath).entries().empty());
}

TEST_F(OutboxDispatcherTest, ASessionFailureTouchesNoLetterAndIsTheTransportsStatus) {
    const auto a = queue("a@example.org");
    const auto b = queue("b@example.org");
    sender_->failures.emplace("a@example.org",
                              TransferError("MAIL failed: 553", 553, true, TransferError::Scope::Session));
    const auto report = dispatch();
    EXPECT_EQ(report.failed + report.deferred + report.sent, 0);
    for (const auto& o : store_->outbox()) {
        EXPECT_EQ(o.state, center::OutboxState::Queued);
        EXPECT_EQ(o.attempts, 0);
        EXPECT_EQ(o.lastError, "");
    }
    auto statuses = store_->sourceStatuses();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].name, center::kOutboxTransport);
    EXPECT_EQ(statuses[0].failures, 1);
    EXPECT_EQ(statuses[0].lastError, "MAIL failed: 553");

    sender_->failures.clear();
    dispatch();
    EXPECT_EQ(stateOf(a.id), center::OutboxState::Sent);
    EXPECT_EQ(stateOf(b.id), center::OutboxState::Sent);
    statuses = store_->sourceStatuses();
    EXPECT_EQ(statuses.at(0).failures, 0);
    EXPECT_TRUE(statuses.at(0).lastSuccess);
}

TEST_F(OutboxDispatcherTest, ARefusedRecipientFailsThatLetterAndTheNextGoesOut) {
    const auto a = queue("a@example.org");
    const auto b = queue("b@example.org");
    sender_->failures.emplace("a@example.org", TransferError("RCPT failed: 550", 550, true));
    const auto report = dispatch();
    EXPECT_EQ(report.failed, 1);
    EXPECT_EQ(report.sent, 1);
    EXPECT_EQ(stateOf(a.id), center::OutboxState::Failed);
    EXPECT_EQ(stateOf(b.id), center::OutboxState::Sent);
}

TEST_F(OutboxDispatcherTest, ATemporaryLetterFailureDefersItAndStopsTheBatch) {
    const auto a = queue("a@example.org");
    const auto b = queue("b@example.org");
    sender_->failures.emplace("a@example.org", TransferError("DATA failed: 451", 451, false));
    const auto report = dispatch();
    EXPECT_EQ(report.deferred, 1);
    EXPECT_TRUE(sender_->sent.empty());
    EXPECT_EQ(store_->outbox().at(0).attempts, 1);
    EXPECT_EQ(stateOf(b.id), center::OutboxState::Queued);
    EXPECT_EQ(stateOf(a.id), center::OutboxState::Queued);
}

TEST(AcceptedJournal, ALineCutShortByACrashIsIgnored) {
    const auto path = std::filesystem::temp_directory_path() / "complaintd-accepted-journal-test";
    std::filesystem::remove(path);
    {
        AcceptedJournal journal(path.string());
        journal.append({7, "ack-7@center"});
    }
    std::ofstream(path, std::ios::app) << "8 ack-8@cen";
    const auto entries = AcceptedJournal(path.string()).entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].outboxId, 7);
    EXPECT_EQ(entries[0].messageId, "ack-7@center");
    AcceptedJournal(path.string()).rewrite({});
    EXPECT_TRUE(AcceptedJournal(path.string()).entries().empty());
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace complaintd::daemon
