// The pure helpers of the IMAP client; the protocol itself is tested against a real
// Dovecot in tests/integration.
#include "imap_client.h"

#include <gtest/gtest.h>

namespace complaintd::daemon {
namespace {

TEST(ImapUidSet, CompressesRunsAndSorts) {
    EXPECT_EQ(imapUidSet({1, 2, 3, 7, 9, 10}), "1:3,7,9:10");
    EXPECT_EQ(imapUidSet({10, 9, 1}), "1,9:10");
    EXPECT_EQ(imapUidSet({42}), "42");
    EXPECT_EQ(imapUidSet({}), "");
}

TEST(QuoteImapString, EscapesQuotesAndDropsLineBreaks) {
    EXPECT_EQ(quoteImapString("Processed"), "\"Processed\"");
    EXPECT_EQ(quoteImapString("a\"b\\c\r\nd"), "\"a\\\"b\\\\cd\"");
}

TEST(CopySearchKey, UndeletedExactSizeAndTheWholeMessageId) {
    EXPECT_EQ(copySearchKey("Message-ID: <a\"b@x>\r\nDate: Mon, 1 Dec 2026 10:00:00 +0800\r\n\r\n", 500),
              "UNDELETED LARGER 499 SMALLER 501 HEADER Message-ID \"<a\\\"b@x>\"");
}

TEST(CopySearchKey, NothingWithoutASevenBitMessageId) {
    EXPECT_EQ(copySearchKey("Date: Mon, 1 Dec 2026 10:00:00 +0800\r\n\r\n", 10), std::nullopt);
    EXPECT_EQ(copySearchKey("\r\n", 10), std::nullopt);
    EXPECT_EQ(copySearchKey("Message-ID: <\xe5\x9d\x91@x>\r\n\r\n", 10), std::nullopt);
    EXPECT_EQ(copySearchKey("Message-ID: <a@x>\r\n\r\n", 0), std::nullopt);
}

}  // namespace
}  // namespace complaintd::daemon
