// The service's cycle with fake sources and a fake mail sender over a real SQLite store and a
// fixed clock: the order "store, commit, open the cases, then acknowledge", what a failing source
// does to the others, and the first letter reaching the sender. The same cycle against real
// Dovecot and SMTP servers, and killed at any point, is in tests/integration and tests/fault.
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon/service.h"
#include "fake_links.h"
#include "test_clock.h"
#include "test_mail.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

class ServiceCycleTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintd-cycle-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        settings_ = center::loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings;
        service_ =
            std::make_unique<Service>(settings_, clock_, Progress{}, [this](const center::Settings&, const Progress&) {
                ServiceLinks links;
                for (const auto* name : {"first", "second"}) {
                    auto source = std::make_unique<FakeSource>(name);
                    sources_.push_back(source.get());
                    links.sources.push_back(std::move(source));
                }
                auto sender = std::make_unique<FakeMailSender>();
                sender_ = sender.get();
                links.sender = std::move(sender);
                return links;
            });
    }
    void TearDown() override {
        service_.reset();
        if (!HasFailure()) fs::remove_all(dir_);
    }

    center::Store store() { return center::Store(settings_.databasePath); }
    CycleReport cycle() { return service_->runCycle(stopping_); }

    fs::path dir_;
    center::Settings settings_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
    std::vector<FakeSource*> sources_;
    FakeMailSender* sender_ = nullptr;
    std::unique_ptr<Service> service_;
};

TEST_F(ServiceCycleTest, AMessageIsStoredAndItsCaseOpenedBeforeTheSourceAcknowledgesIt) {
    auto& source = *sources_[0];
    source.deliver(testing::utf8Mail("a1@example.org", "紫楝路路燈不亮", "路燈壞了三天。"));
    std::size_t casesAtAcknowledge = 0;
    source.onAcknowledge = [&](center::Store&, const FetchedBatch&, const std::vector<center::StoreOutcome>& o) {
        // Another connection sees it: the batch is committed, not merely written.
        casesAtAcknowledge = store().listCases().size();
        EXPECT_EQ(o, std::vector<center::StoreOutcome>{center::StoreOutcome::Stored});
    };
    const auto report = cycle();
    EXPECT_EQ(report.stored, 1);
    EXPECT_EQ(report.opened, 1);
    EXPECT_EQ(casesAtAcknowledge, 1u);
    EXPECT_EQ(source.acknowledged, 1);
    EXPECT_EQ(source.ends, std::vector<bool>{true});
    // The acknowledgement went to the fake sender in the same cycle, and the unit was told.
    ASSERT_EQ(sender_->sent.size(), 2u);
    EXPECT_EQ(sender_->sent[0].kind, cases::LetterKind::Acknowledgement);
    EXPECT_EQ(sender_->sent[0].recipient, "wang@example.org");
    EXPECT_EQ(sender_->sent[1].kind, cases::LetterKind::UnitNotice);
    EXPECT_EQ(sender_->sent[1].recipient, "works@shugu.example");
}

TEST_F(ServiceCycleTest, ASourceLostMidRoundKeepsWhatItAcknowledgedAndOffersTheRestAgainWithoutADuplicate) {
    auto& source = *sources_[0];
    for (int i = 1; i <= 3; ++i)
        source.deliver(testing::utf8Mail("m" + std::to_string(i) + "@example.org", "路燈不亮 " + std::to_string(i),
                                         "第" + std::to_string(i) + "盞路燈壞了。"));
    source.failFetchAfter = 1;  // the first batch is taken and acknowledged, then the line drops
    const auto first = cycle();
    EXPECT_EQ(first.sourceErrors, 1);
    EXPECT_EQ(first.opened, 1);
    EXPECT_EQ(store().listCases().size(), 1u);
    EXPECT_EQ(source.waiting.size(), 2u);
    EXPECT_EQ(source.ends, std::vector<bool>{false});
    // Back after the backoff: the rest comes, each case once.
    source.failFetchAfter.reset();
    clock_.advance(std::chrono::hours(2));
    const auto second = cycle();
    EXPECT_EQ(second.sourceErrors, 0);
    EXPECT_EQ(second.stored, 2);
    EXPECT_EQ(store().listCases().size(), 3u);
    EXPECT_TRUE(source.waiting.empty());
}

TEST_F(ServiceCycleTest, AMessageOfferedAgainAfterACrashBeforeTheAcknowledgementIsFoundKnown) {
    auto& source = *sources_[0];
    source.deliver(testing::utf8Mail("again@example.org", "路燈不亮", "路燈壞了。"));
    // The round dies right after the commit, before the originals are moved.
    source.onAcknowledge = [](center::Store&, const FetchedBatch&, const std::vector<center::StoreOutcome>&) {
        throw Error("killed before the move (fake)");
    };
    EXPECT_EQ(cycle().sourceErrors, 1);
    EXPECT_EQ(source.waiting.size(), 1u);
    source.onAcknowledge = nullptr;
    clock_.advance(std::chrono::hours(2));
    const auto again = cycle();
    EXPECT_EQ(again.duplicates, 1);
    EXPECT_EQ(again.opened, 0);
    EXPECT_EQ(store().listCases().size(), 1u);
    EXPECT_TRUE(source.waiting.empty());
}

TEST_F(ServiceCycleTest, ASourceThatIsDownIsBackedOffAndTheOtherGoesOn) {
    sources_[0]->failBegin = true;
    sources_[1]->deliver(testing::utf8Mail("b1@example.org", "排水溝阻塞", "水溝堵住了。"));
    const auto report = cycle();
    EXPECT_EQ(report.sourceErrors, 1);
    EXPECT_EQ(report.opened, 1);
    // Within its backoff the failed source is not even tried.
    cycle();
    EXPECT_EQ(sources_[0]->rounds, 1);
    clock_.advance(std::chrono::hours(2));
    cycle();
    EXPECT_EQ(sources_[0]->rounds, 2);
}

TEST_F(ServiceCycleTest, ALetterTheServerRefusesForNowStaysQueuedForTheNextCycle) {
    sender_->failures.emplace("wang@example.org",
                              TransferError("451 try again later (fake)", 451, false, TransferError::Scope::Letter));
    sources_[0]->deliver(testing::utf8Mail("c1@example.org", "紫楝路路燈不亮", "路燈壞了三天。"));
    const auto report = cycle();
    EXPECT_EQ(report.opened, 1);
    EXPECT_EQ(report.deferred, 1);
    EXPECT_TRUE(sender_->sent.empty());
    sender_->failures.clear();
    clock_.advance(std::chrono::hours(1));
    EXPECT_EQ(cycle().sent, 2);  // the acknowledgement and the unit's notice
    ASSERT_EQ(sender_->sent.size(), 2u);
}

}  // namespace
}  // namespace complaintd::daemon
