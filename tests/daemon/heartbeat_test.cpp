#include "daemon/heartbeat.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "center/center_book.h"

namespace complaintd::daemon {
namespace {

TEST(Heartbeat, FirstBeatPingsAndLaterOnesWaitForTheInterval) {
    int pings = 0;
    Heartbeat heartbeat([&] { ++pings; }, std::chrono::hours(1));
    heartbeat.beat();
    EXPECT_EQ(pings, 1);
    for (int i = 0; i < 1000; ++i) heartbeat.beat();  // a long literal arriving chunk by chunk
    EXPECT_EQ(pings, 1);
}

TEST(Heartbeat, PingsOnEveryBeatOnceTheIntervalHasPassed) {
    int pings = 0;
    Heartbeat heartbeat([&] { ++pings; }, std::chrono::milliseconds(0));
    for (int i = 0; i < 5; ++i) heartbeat.beat();
    EXPECT_EQ(pings, 5);
}

TEST(Heartbeat, BeatsFromSeveralThreadsPingOnceWithinAnInterval) {
    std::atomic<int> pings{0};
    Heartbeat heartbeat([&] { ++pings; }, std::chrono::hours(1));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) heartbeat.beat();
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(pings, 1);
}

TEST(CenterBookInUse, AHeldBookStaysWhileAReloadSwapsInTheNextOne) {
    center::CenterBook first;
    first.letters.emplace(cases::LetterKind::Acknowledgement, templates::LetterTemplate{});
    center::CenterBookInUse books(std::move(first));
    const auto held = books.get();  // a cycle or OCR job under way
    books.replace(center::CenterBook{});
    EXPECT_EQ(held->letters.size(), 1u);
    EXPECT_TRUE(books.get()->letters.empty());
    EXPECT_NE(held, books.get());
}

}  // namespace
}  // namespace complaintd::daemon
