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

}  // namespace
}  // namespace complaintd::daemon
