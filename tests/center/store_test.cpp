#include "center/store.h"
#include "center/search_text.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "schema_steps.h"
#include "test_clock.h"

namespace complaintd::center {
namespace {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("complaintd-store-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        store_ = std::make_unique<Store>((dir_ / "test.sqlite").string());
    }
    void TearDown() override {
        store_.reset();
        if (!HasFailure()) std::filesystem::remove_all(dir_);
    }

    IncomingMessage imapMessage(unsigned long uid, const std::string& messageId, const std::string& raw) {
        return {{"imap", "imap://u@h/INBOX", 7, uid}, raw, messageId, cases::Channel::Email, utc(2026, 11, 30)};
    }

    long long storeAndTakeId(const IncomingMessage& m) {
        EXPECT_EQ(store_->storeIncoming(m), StoreOutcome::Stored);
        return store_->pendingMessages(1000).back().id;
    }

    CaseDraft draft(long long messageRow, cases::Timestamp received) {
        CaseDraft d;
        d.messageRowId = messageRow;
        d.fields.receivedAt = received;
        d.fields.subject = "路燈不亮";
        d.fields.unit = "public-works";
        d.fields.status = cases::CaseStatus::Assigned;
        d.fields.routing = {"streetlight", {"路燈"}};
        return d;
    }

    static std::optional<QueuedLetter> noLetter(const cases::CaseNumber&) { return std::nullopt; }

    std::filesystem::path dir_;
    std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, BatchIsStoredInOneTransactionWithOutcomesInOrder) {
    const auto outcomes = store_->storeIncoming(
        std::vector<IncomingMessage>{imapMessage(1, "a@x", "A"), imapMessage(2, "a@x", "A"), imapMessage(3, "", "C")});
    EXPECT_EQ(outcomes,
              (std::vector<StoreOutcome>{StoreOutcome::Stored, StoreOutcome::Duplicate, StoreOutcome::Stored}));
    EXPECT_EQ(store_->pendingMessages(10).size(), 2u);
}

TEST_F(StoreTest, FailureInsideOneTransactionRollsBackTheWholeBatch) {
    EXPECT_THROW(store_->inOneTransaction([&] {
        store_->storeIncoming(imapMessage(1, "a@x", "A"));
        store_->storeIncoming(imapMessage(2, "b@x", "B"));
        throw StoreError("disk full");
    }),
                 StoreError);
    EXPECT_TRUE(store_->pendingMessages(10).empty());
    // The store is usable afterwards, outside and inside a batch.
    store_->inOneTransaction([&] { store_->storeIncoming(imapMessage(3, "c@x", "C")); });
    EXPECT_EQ(store_->pendingMessages(10).size(), 1u);
}

// Intake's poison message: its savepoint is rolled back alone, the batch's other work commits.
TEST_F(StoreTest, AFailureInsideASavepointRollsBackThatItemAlone) {
    store_->inOneTransaction([&] {
        store_->inSavepoint([&] { store_->storeIncoming(imapMessage(1, "a@x", "A")); });
        EXPECT_THROW(store_->inSavepoint([&] {
            store_->storeIncoming(imapMessage(2, "b@x", "B"));
            throw std::out_of_range("a bug met by this message");
        }),
                     std::out_of_range);
        store_->inSavepoint([&] { store_->storeIncoming(imapMessage(3, "c@x", "C")); });
    });
    const auto pending = store_->pendingMessages(10);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].raw, "A");
    EXPECT_EQ(pending[1].raw, "C");
}

// The store unwell is the batch's failure: StoreError goes on, and the caller's transaction rolls all back.
TEST_F(StoreTest, AStoreErrorInsideASavepointLosesTheWholeBatch) {
    EXPECT_THROW(store_->inOneTransaction([&] {
        store_->inSavepoint([&] { store_->storeIncoming(imapMessage(1, "a@x", "A")); });
        store_->inSavepoint([&] { throw StoreError("disk full"); });
    }),
                 StoreError);
    EXPECT_TRUE(store_->pendingMessages(10).empty());
}

// A trigger that ends the whole transaction (RAISE(ROLLBACK)) takes the batch with it: StoreError, nothing half done.
TEST_F(StoreTest, ADatabaseThatDropsTheTransactionInASavepointIsAStoreError) {
    {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("SQLite", (dir_ / "test.sqlite").string());
        session << "CREATE TRIGGER drop_all BEFORE INSERT ON messages WHEN NEW.message_id = 'b@x' "
                   "BEGIN SELECT RAISE(ROLLBACK, 'no'); END",
            Poco::Data::Keywords::now;
    }
    EXPECT_THROW(store_->inOneTransaction([&] {
        store_->inSavepoint([&] { store_->storeIncoming(imapMessage(1, "a@x", "A")); });
        store_->inSavepoint([&] { store_->storeIncoming(imapMessage(2, "b@x", "B")); });
    }),
                 StoreError);
    EXPECT_TRUE(store_->pendingMessages(10).empty());
    store_->inOneTransaction([&] { store_->storeIncoming(imapMessage(3, "c@x", "C")); });
    EXPECT_EQ(store_->pendingMessages(10).size(), 1u);
}

TEST_F(StoreTest, SameUidOrBytesIsStoredOnce) {
    EXPECT_EQ(store_->storeIncoming(imapMessage(1, "a@x", "A")), StoreOutcome::Stored);
    EXPECT_EQ(store_->storeIncoming(imapMessage(1, "b@x", "B")), StoreOutcome::Duplicate);  // same UID
    EXPECT_EQ(store_->storeIncoming(imapMessage(2, "a@x", "A")), StoreOutcome::Duplicate);  // same id and bytes
    EXPECT_EQ(store_->storeIncoming(imapMessage(3, "", "A")), StoreOutcome::Duplicate);     // same bytes
    EXPECT_EQ(store_->storeIncoming(imapMessage(4, "", "D")), StoreOutcome::Stored);
    EXPECT_TRUE(store_->isKnown({"imap", "imap://u@h/INBOX", 7, 1}));
    EXPECT_FALSE(store_->isKnown({"imap", "imap://u@h/INBOX", 8, 1}));
    EXPECT_EQ(store_->pendingMessages(10).size(), 2u);
}

// Review M1: a Message-ID is no proof of sameness (printers reset counters, form mailers use time()).
TEST_F(StoreTest, OtherBytesUnderAKnownMessageIdAreAFlaggedCaseOfTheirOwn) {
    const auto first = storeAndTakeId(imapMessage(1, "a@x", "A"));
    const auto second = storeAndTakeId(imapMessage(2, "a@x", "B"));
    EXPECT_EQ(store_->storeIncoming(imapMessage(3, "a@x", "B")), StoreOutcome::Duplicate);  // a re-fetch
    const auto t = utc(2026, 11, 30, 2);
    store_->openCase(draft(first, t), noLetter, t);
    const auto number = store_->openCase(draft(second, t), noLetter, t);
    EXPECT_EQ(number.toString(), "115-002");
    const auto flagged = *store_->findCase(number);
    EXPECT_EQ(flagged.possibleDuplicate, "same Message-ID as message " + std::to_string(first) + " (case 115-001)");
    EXPECT_EQ(flagged.history.back().kind, cases::EventKind::PossibleDuplicate);
    EXPECT_TRUE(store_->findCase(*cases::CaseNumber::parse("115-001"))->possibleDuplicate.empty());
}

TEST_F(StoreTest, HeldMessagesAreListedAndReleasedOnceWithoutUsingANumberBefore) {
    const auto reply = storeAndTakeId(imapMessage(1, "r@x", "R"));
    const auto spam = storeAndTakeId(imapMessage(2, "s@x", "S"));
    const auto complaint = storeAndTakeId(imapMessage(3, "c@x", "C"));
    const auto t = utc(2026, 11, 30, 2);
    store_->recordAutomated(reply, {"auto-reply", "Auto-Submitted: auto-replied", "away@example.org", "不在"},
                            std::nullopt, t);
    store_->holdSpam(spam, {"spam", "X-Spam-Flag: YES", "win@example.org", "中獎"}, t);
    EXPECT_EQ(store_->openCase(draft(complaint, t), noLetter, t).toString(), "115-001");  // spam took no number
    const auto automated = store_->heldMessages(HeldList::Automated);
    ASSERT_EQ(automated.size(), 1u);
    EXPECT_EQ(automated[0].id, reply);
    EXPECT_EQ(automated[0].note.sender, "away@example.org");
    ASSERT_EQ(store_->heldMessages(HeldList::Spam).size(), 1u);
    EXPECT_TRUE(store_->pendingMessages(10).empty());

    auto released = draft(reply, t);
    released.actor = "lin";
    EXPECT_EQ(store_->releaseHeld(reply, released, t).toString(), "115-002");
    const auto held = *store_->heldMessage(reply);
    EXPECT_EQ(held.releasedCase, "115-002");
    EXPECT_EQ(held.releasedBy, "lin");
    EXPECT_EQ(store_->messageHistory(reply).back().kind, cases::EventKind::Released);
    EXPECT_EQ(store_->findCase(*cases::CaseNumber::parse("115-002"))->history.back().kind, cases::EventKind::Released);
    EXPECT_THROW(store_->releaseHeld(reply, released, t), InvalidRequestError);
    EXPECT_THROW(store_->releaseHeld(complaint, draft(complaint, t), t), NotFoundError);
    EXPECT_EQ(store_->listCases().size(), 2u);  // the refused releases rolled back
}

// A database of version 6: the unique Message-ID index and automated mail only as a message reason.
// A database of schema 7 (built from the frozen steps) with automated mail recorded the old way:
// step 8 lists it for staff and lets a second message under its Message-ID in.
TEST_F(StoreTest, SchemaStepEightListsEarlierAutomatedMailAndDropsTheUniqueMessageId) {
    store_.reset();
    const auto path = (dir_ / "v7.sqlite").string();
    Poco::Int64 reply = 0;
    {
        using namespace Poco::Data::Keywords;
        Poco::Data::Session db("SQLite", path);
        for (int v = 1; v <= 7; ++v) schema::apply(db, schema::steps().at(std::size_t(v - 1)));
        db << "INSERT INTO messages(source, mailbox, uidvalidity, uid, message_id, sha256, size, channel, received_at, "
              "state, reason) VALUES('imap', 'INBOX', 1, 1, 'r@x', 'sha-r', 1, 'email', 100, 'processed', "
              "'automated: Precedence: bulk')",
            now;
        db << "SELECT last_insert_rowid()", into(reply), now;
        db << "INSERT INTO message_raw(message_row, raw) VALUES(?, CAST('R' AS BLOB))", bind(reply), now;
    }
    store_ = std::make_unique<Store>(path);
    const auto held = store_->heldMessages(HeldList::Automated);
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].id, reply);
    EXPECT_EQ(held[0].note.kind, "list");
    EXPECT_EQ(held[0].note.reason, "Precedence: bulk");
    EXPECT_EQ(store_->storeIncoming(imapMessage(2, "r@x", "other bytes")), StoreOutcome::Stored);
}

TEST_F(StoreTest, NumbersRestartEachRocYear) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    const auto b = storeAndTakeId(imapMessage(2, "b@x", "B"));
    const auto c = storeAndTakeId(imapMessage(3, "c@x", "C"));
    const auto now = utc(2027, 1, 2);
    EXPECT_EQ(store_->openCase(draft(a, utc(2026, 12, 31, 15)), noLetter, now).toString(), "115-001");
    EXPECT_EQ(store_->openCase(draft(b, utc(2026, 12, 31, 16, 30)), noLetter, now).toString(), "116-001");
    EXPECT_EQ(store_->openCase(draft(c, utc(2027, 1, 1, 3)), noLetter, now).toString(), "116-002");
    EXPECT_TRUE(store_->pendingMessages(10).empty());
}

TEST_F(StoreTest, OpeningTheSameMessageTwiceIsRefusedAndRolledBack) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    store_->openCase(draft(a, utc(2026, 11, 30)), noLetter, utc(2026, 11, 30));
    // A constraint is no failure of the store's health: a broken invariant (intake's poison), not StoreError.
    EXPECT_THROW(store_->openCase(draft(a, utc(2026, 11, 30)), noLetter, utc(2026, 11, 30)), StoreInvariantError);
    EXPECT_EQ(store_->listCases().size(), 1u);
}

TEST_F(StoreTest, CaseAndLetterCommitTogether) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    const auto number = store_->openCase(
        draft(a, utc(2026, 11, 30)),
        [](const cases::CaseNumber& n) {
            return QueuedLetter{cases::LetterKind::Acknowledgement,
                                "c@center.example",
                                "w@example.org",
                                "m1@center.example",
                                "[" + n.toString() + "] ok",
                                "raw"};
        },
        utc(2026, 11, 30));
    const auto due = store_->dueLetters(utc(2026, 11, 30), 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].caseNumber, number.toString());
    EXPECT_EQ(due[0].subject, "[115-001] ok");
    EXPECT_EQ(due[0].raw, "raw");
}

TEST_F(StoreTest, DeferredLetterWaitsThenSends) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    store_->openCase(
        draft(a, utc(2026, 11, 30)),
        [](const cases::CaseNumber&) {
            return QueuedLetter{
                cases::LetterKind::Acknowledgement, "c@center.example", "w@example.org", "m1@x", "s", "r"};
        },
        utc(2026, 11, 30));
    const auto id = store_->dueLetters(utc(2026, 11, 30), 10).at(0).id;
    store_->markDeferred(id, "connection refused", utc(2026, 11, 30, 0, 1));
    EXPECT_TRUE(store_->dueLetters(utc(2026, 11, 30), 10).empty());
    const auto later = store_->dueLetters(utc(2026, 11, 30, 0, 1), 10);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_TRUE(store_->markAccepted(id, "m1@x", utc(2026, 11, 30, 0, 1)));
    EXPECT_FALSE(store_->markAccepted(id, "m1@x", utc(2026, 11, 30, 0, 2)));  // once
    EXPECT_TRUE(store_->dueLetters(utc(2026, 12, 30), 10).empty());
    EXPECT_EQ(store_->outbox().at(0).state, center::OutboxState::Sent);
}

TEST_F(StoreTest, RerouteRecordsWhoWhenWhyAndPreviousUnit) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    const auto number = store_->openCase(draft(a, utc(2026, 11, 30)), noLetter, utc(2026, 11, 30));
    store_->reroute(number, "environment-safety", "alice", "noise, not lights", utc(2026, 11, 30, 2));
    const auto record = store_->findCase(number);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->fields.unit, "environment-safety");
    ASSERT_EQ(record->history.size(), 2u);
    EXPECT_EQ(record->history[1].actor, "alice");
    EXPECT_EQ(record->history[1].fromUnit, "public-works");
    EXPECT_EQ(record->history[1].note, "noise, not lights");
    EXPECT_EQ(record->history[1].at, utc(2026, 11, 30, 2));
    EXPECT_THROW(store_->reroute(number, "environment-safety", "alice", "again", utc(2026, 11, 30)),
                 InvalidRequestError);
    EXPECT_THROW(store_->reroute({115, 99}, "intake", "alice", "x", utc(2026, 11, 30)), NotFoundError);
}

// The one status writer (Store::setStatus): every move is a structured event with who and why.
TEST_F(StoreTest, AStatusChangeIsRecordedWithItsMoveActorAndReason) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    const auto number = store_->openCase(draft(a, utc(2026, 11, 30)), noLetter, utc(2026, 11, 30));
    store_->changeStatus(number,
                         {cases::CaseStatus::InProgress, "bob", "called the complainant", utc(2026, 11, 30, 3)});
    const auto record = store_->findCase(number);
    ASSERT_TRUE(record);
    const auto& move = record->history.back();
    EXPECT_EQ(move.kind, cases::EventKind::Status);
    EXPECT_EQ(move.fromStatus, cases::CaseStatus::Assigned);
    EXPECT_EQ(move.toStatus, cases::CaseStatus::InProgress);
    EXPECT_EQ(move.actor, "bob");
    EXPECT_EQ(move.note, "assigned -> in-progress: called the complainant");
    // Other events carry no move.
    EXPECT_FALSE(record->history.front().toStatus);
    // A move the lifecycle refuses writes neither the status nor an event.
    EXPECT_THROW(store_->changeStatus(number, {cases::CaseStatus::Replied, "bob", "", utc(2026, 11, 30, 4)}),
                 InvalidRequestError);
    EXPECT_EQ(store_->findCase(number)->history.size(), record->history.size());
    EXPECT_EQ(store_->findCase(number)->fields.status, cases::CaseStatus::InProgress);
}

// A case at the intake desk (received) is assigned by its reroute, and the move is in its history.
TEST_F(StoreTest, ARerouteFromTheIntakeDeskRecordsTheMoveToAssigned) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "A"));
    auto atDesk = draft(a, utc(2026, 11, 30));
    atDesk.fields.unit = "intake";
    atDesk.fields.status = cases::CaseStatus::Received;
    const auto number = store_->openCase(atDesk, noLetter, utc(2026, 11, 30));
    store_->reroute(number, "public-works", "alice", "street lights", utc(2026, 11, 30, 2));
    const auto record = store_->findCase(number);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->fields.status, cases::CaseStatus::Assigned);
    ASSERT_EQ(record->history.size(), 3u);
    EXPECT_EQ(record->history[1].kind, cases::EventKind::Rerouted);
    EXPECT_EQ(record->history[2].kind, cases::EventKind::Status);
    EXPECT_EQ(record->history[2].fromStatus, cases::CaseStatus::Received);
    EXPECT_EQ(record->history[2].toStatus, cases::CaseStatus::Assigned);
    EXPECT_EQ(record->history[2].actor, "alice");
}

TEST_F(StoreTest, QuarantineKeepsTheMessageWithItsReason) {
    const auto a = storeAndTakeId(imapMessage(1, "a@x", "garbage"));
    store_->quarantine(a, "no header block");
    EXPECT_TRUE(store_->pendingMessages(10).empty());
    const auto q = store_->quarantined();
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].reason, "no header block");
    EXPECT_EQ(q[0].size, 7u);
}

TEST_F(StoreTest, ReopeningKeepsEverything) {
    storeAndTakeId(imapMessage(1, "a@x", "A"));
    store_.reset();
    store_ = std::make_unique<Store>((dir_ / "test.sqlite").string());
    EXPECT_EQ(store_->pendingMessages(10).size(), 1u);
}

// The outbox table's CHECK lists these ids; each state reads back as itself.
TEST(OutboxStates, RoundTripThroughTheirIds) {
    for (const auto state :
         {OutboxState::Queued, OutboxState::Sent, OutboxState::Failed, OutboxState::Held, OutboxState::Discarded})
        EXPECT_EQ(outboxStateFrom(idOf(state)), state) << idOf(state);
    EXPECT_FALSE(outboxStateFrom("pending"));
}

// search: any text of a case, by words and by any two or more Chinese characters.
TEST_F(StoreTest, SearchFindsACaseByAnyOfItsTextsAndChineseSubstrings) {
    const auto t = utc(2026, 11, 30);
    auto lights = draft(storeAndTakeId(imapMessage(1, "a@x", "A")), t);
    lights.fields.summary = "紫楝路的燈壞了";
    lights.text = "紫楝路的路燈壞了三天，晚上很危險。編號 A-123。";
    const auto first = store_->openCase(lights, noLetter, t);
    auto noise = draft(storeAndTakeId(imapMessage(2, "b@x", "B")), t);
    noise.fields.subject = "工廠夜間噪音";
    noise.fields.summary = "噪音很大";
    const auto second = store_->openCase(noise, noLetter, t);
    store_->addFollowUp(second, storeAndTakeId(imapMessage(3, "c@x", "C")), false, false, "follow-up", t,
                        "補充：附近的路燈也不亮");

    auto numbers = [&](const std::string& query) {
        std::vector<std::string> found;
        for (const auto& r : store_->searchCases(query)) found.push_back(r.fields.number.toString());
        return found;
    };
    EXPECT_EQ(numbers("路燈"), (std::vector<std::string>{"115-001", "115-002"}));  // the follow-up's text too
    EXPECT_EQ(numbers("燈壞"), std::vector<std::string>{first.toString()});        // across a word's edge
    EXPECT_EQ(numbers("路燈壞了三天"), std::vector<std::string>{"115-001"});
    EXPECT_EQ(numbers("a-123"), std::vector<std::string>{"115-001"});
    EXPECT_EQ(numbers("夜間 噪音"), std::vector<std::string>{"115-002"});
    EXPECT_TRUE(numbers("路燈很亮").empty());
    EXPECT_THROW(store_->searchCases("燈"), InvalidRequestError);  // one character: too little to find by
    EXPECT_THROW(store_->searchCases("，"), InvalidRequestError);

    // A correction is searched by its new text, not the old.
    cases::Case corrected = store_->findCase(second)->fields;
    corrected.subject = "工廠排放廢水";
    store_->correctCase(second, corrected, {"subject"}, "desk", t);
    EXPECT_TRUE(numbers("噪音").size() == 1u);  // the summary still says 噪音
    EXPECT_EQ(numbers("廢水"), std::vector<std::string>{"115-002"});
}

TEST(SearchText, WordsAndCharacterPairs) {
    EXPECT_EQ(searchTokens("路燈壞了"), "路燈 燈壞 壞了");
    EXPECT_EQ(searchTokens("A-123 路燈，燈"), "a 123 路燈 燈");
    EXPECT_EQ(searchMatch("路燈壞"), "\"路燈 燈壞\"");
    EXPECT_EQ(searchMatch("Street 路燈"), "\"street\" AND \"路燈\"");
    EXPECT_FALSE(searchMatch("燈"));
    EXPECT_FALSE(searchMatch("  ，。"));
    EXPECT_EQ(searchTokens(std::string("\xff\xfe路燈")), "路燈");  // invalid bytes separate
}

}  // namespace
}  // namespace complaintd::center
