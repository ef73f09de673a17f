#include "fax/text_pattern.h"

#include <gtest/gtest.h>

#include "cases/error.h"

namespace complaintd::fax {
namespace {

std::optional<PatternMatch> match(std::string_view pattern, std::string_view line) {
    return TextPattern::compile(pattern).match(line);
}

TEST(TextPattern, TextAloneMeansTheLineContainsItInAnyCase) {
    EXPECT_TRUE(match("Facsimile received from", "Subject: FACSIMILE RECEIVED FROM someone"));
    EXPECT_FALSE(match("Facsimile received from", "Fax from someone"));
    EXPECT_TRUE(match("Scan Data", "scan   data from RICOH"));
}

TEST(TextPattern, NumberAtTheEndTakesTheRestOfTheLine) {
    const auto found = match("Facsimile received from {number}", "Facsimile received from +886 6 5050777");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->number, "06-5050777");
    EXPECT_EQ(found->numberAsWritten, "+886 6 5050777");
}

TEST(TextPattern, NumberStopsWhereTheLongestValidNumberEnds) {
    const auto found = match("Fax from {number}", "Fax from +886-6-5050777 (2 pages)");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->number, "06-5050777");
}

TEST(TextPattern, NumberBetweenTextAndQuotes) {
    EXPECT_EQ(match("FAX={number}@", "FAX=+88665050777@fax-gw.shugu.example")->number, "06-5050777");
    EXPECT_EQ(match("fax message from {number}", "eFax message from \"0265050777\" - 2 page(s)")->number,
              "02-6505-0777");
}

TEST(TextPattern, PlaceholderFirstTakesWhatEndsThere) {
    EXPECT_EQ(match("{pages} page", "Fax from +886-6-5050777 (2 pages)")->pages, 2);
    EXPECT_EQ(match("{number} sent you a fax", "Call from 06 5050777 sent you a fax")->number, "06-5050777");
}

TEST(TextPattern, SpacesAndFullWidthColonsDoNotMatter) {
    EXPECT_EQ(match("Pages: {pages}", "                 Pages: 12")->pages, 12);
    EXPECT_EQ(match("Pages: {pages}", "Pages:3")->pages, 3);
    EXPECT_EQ(match("頁數: {pages}", "頁數：3")->pages, 3);
    EXPECT_EQ(match("傳真號碼: {number}", "傳真號碼：\t06-5050777")->number, "06-5050777");
}

TEST(TextPattern, TimeIsTakenAsWritten) {
    EXPECT_EQ(match("Received: {time}", "              Received: 2026:11:30 09:15:42")->time, "2026:11:30 09:15:42");
}

TEST(TextPattern, NoMatchWhenTheValueIsNotValid) {
    EXPECT_FALSE(match("Sender: {number}", "Sender: SHUGU PRECISION"));
    EXPECT_FALSE(match("Pages: {pages}", "Pages: many"));
    EXPECT_FALSE(match("Received: {time}", "Received:"));
}

TEST(TextPattern, TriesLaterPlacesWhenTheFirstDoesNotFit) {
    EXPECT_EQ(match("FAX={number}@", "FAX=operator@x FAX=065050777@y")->number, "06-5050777");
}

TEST(TextPattern, StarStandsForAnyText) {
    EXPECT_TRUE(match("Scanned from * printer", "Scanned from a Xerox printer"));
    EXPECT_FALSE(match("Scanned from * printer", "Scanned from a Xerox"));
}

TEST(TextPattern, RefusesPatternsItCannotUse) {
    for (const char* pattern :
         {"{nmber}", "{number}{pages}", "{number} * {number}", "*", "{number}", "Fax {number", "from {number} * to"})
        EXPECT_THROW(TextPattern::compile(pattern), ConfigError) << pattern;
}

TEST(TextPattern, LongHostileLinesEndQuickly) {
    std::string line;
    for (int i = 0; i < 300; ++i) line += "FAX=";
    EXPECT_FALSE(match("FAX={number}@", line));
    EXPECT_FALSE(match("{number} page", std::string(1000, '0')));
}

}  // namespace
}  // namespace complaintd::fax
