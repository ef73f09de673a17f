#include "parsers/header_scan.h"

#include <gtest/gtest.h>

namespace complaintd::parsers {
namespace {

const std::string kMessage =
    "Received: from a\r\n by b\r\nX-Spam-Status: No, score=0.1\r\nSubject: Hello\r\n"
    "x-spam-status: Yes,\r\n\tscore=7.5\r\n\r\nX-Spam-Status: Yes in the body is no header\r\n";

TEST(HeaderScan, FirstValueUnfoldedAndCaseInsensitive) {
    EXPECT_EQ(rawHeaderValue(kMessage, "Received"), " from a by b");
    EXPECT_EQ(rawHeaderValue(kMessage, "subject"), " Hello");
    EXPECT_EQ(rawHeaderValue(kMessage, "X-Spam-Status"), " No, score=0.1");
    EXPECT_EQ(rawHeaderValue(kMessage, "Missing"), "");
}

TEST(HeaderScan, EveryValueOfAHeaderInOrderAndNoneFromTheBody) {
    EXPECT_EQ(rawHeaderValues(kMessage, "X-Spam-Status"),
              (std::vector<std::string>{" No, score=0.1", " Yes,\tscore=7.5"}));
    EXPECT_TRUE(rawHeaderValues(kMessage, "Missing").empty());
    EXPECT_TRUE(rawHeaderValues("X-Spam-Status", "X-Spam-Status").empty());  // a name without a colon
}

}  // namespace
}  // namespace complaintd::parsers
