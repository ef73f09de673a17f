// The ids the store writes for the enums of cases/: each kind has one id, the ids are distinct,
// and parsing an id gives the kind back (the store reads what it wrote, nothing else).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cases/case_record.h"
#include "cases/event_kind.h"
#include "cases/letter_kind.h"

namespace complaintd::cases {
namespace {

TEST(StoredIds, EveryLetterKindRoundTrips) {
    std::set<std::string> ids;
    for (const auto kind : allLetterKinds()) {
        EXPECT_TRUE(ids.insert(std::string(idOf(kind))).second) << idOf(kind);
        EXPECT_EQ(letterKindFrom(idOf(kind)), kind);
    }
    EXPECT_EQ(ids.size(), 7u);
    EXPECT_FALSE(letterKindFrom("Reply"));
    EXPECT_FALSE(letterKindFrom(""));
}

TEST(StoredIds, EveryEventKindRoundTripsAndIsNotUnknown) {
    std::set<std::string> ids;
    for (const auto kind : allEventKinds()) {
        EXPECT_NE(idOf(kind), "unknown");
        EXPECT_TRUE(ids.insert(std::string(idOf(kind))).second) << idOf(kind);
        EXPECT_EQ(eventKindFrom(idOf(kind)), kind);
    }
    EXPECT_EQ(ids.size(), std::size_t(EventKind::DeadlinesRenewed) + 1);  // the list names every kind
    EXPECT_FALSE(eventKindFrom("-> replied"));
}

TEST(StoredIds, NoticeLettersHaveTheirHistoryLineOthersNone) {
    EXPECT_EQ(noticeEventOf(LetterKind::Reminder), EventKind::Reminder);
    EXPECT_EQ(noticeEventOf(LetterKind::DelayNotice), EventKind::DelayNotice);
    EXPECT_EQ(noticeEventOf(LetterKind::Dissatisfied), EventKind::Dissatisfied);
    EXPECT_FALSE(noticeEventOf(LetterKind::Reply));
    // A notice's history line is named like its letter, as the notices table names it.
    for (const auto kind : allLetterKinds())
        if (const auto event = noticeEventOf(kind)) EXPECT_EQ(idOf(*event), idOf(kind));
}

TEST(StoredIds, ReplyRouteRoundTrips) {
    for (const auto& route : {ReplyRoute{}, ReplyRoute::byFax("faxmail+062345678@fax.example.org"),
                              ReplyRoute::byPostOrPhone("no e-mail address")}) {
        const auto read = ReplyRoute::parse(route.toString());
        EXPECT_EQ(read.way, route.way);
        EXPECT_EQ(read.detail, route.detail);
    }
    // Text from an older version is kept as the reason, never taken for e-mail.
    EXPECT_EQ(ReplyRoute::parse("by phone").way, ReplyRoute::Way::PostOrPhone);
}

}  // namespace
}  // namespace complaintd::cases
