// Which parts make the text, forwarded messages, uuencode, header fields
// that appear twice, and the line and attachment limits.
#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "parsers/mime_parser.h"

namespace complaintd::parsers {
namespace {

using test_helpers::crlf;
using test_helpers::hasDefectContaining;
using test_helpers::parseOk;

TEST(PartDecoding, AppendsLaterInlinePlainPartsOfAMixedMessage) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n"
                     "--b\nContent-Type: text/plain\n\nfirst\n--b\nContent-Type: image/png\n\nPNG\n"
                     "--b\nContent-Type: text/plain\n\nsecond\n--b--\n"));
    EXPECT_EQ(m.textBody, "first\n\nsecond");
    EXPECT_EQ(m.attachments.size(), 1u);
}

TEST(PartDecoding, TakesOneVersionOfEachAlternative) {
    const std::string alt1 =
        "--a1\nContent-Type: text/plain\n\none\n--a1\nContent-Type: text/html\n\n<p>one</p>\n--a1--\n";
    const std::string alt2 = "--a2\nContent-Type: text/plain\n\ntwo\n--a2\nContent-Type: text/plain\n\nzwei\n--a2--\n";
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=m\n\n"
                     "--m\nContent-Type: multipart/alternative; boundary=a1\n\n" +
                     alt1 + "--m\nContent-Type: multipart/alternative; boundary=a2\n\n" + alt2 + "--m--\n"));
    EXPECT_EQ(m.textBody, "one\n\ntwo");
    EXPECT_EQ(m.bodySource, BodySource::Plain);
}

TEST(PartDecoding, SkipsBlankPlainPartForTheNextOne) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n"
                     "--b\nContent-Type: text/plain\n\n \n--b\nContent-Type: text/plain\n\nwords\n--b--\n"));
    EXPECT_EQ(m.textBody, "words");
}

TEST(PartDecoding, KeepsForwardedMessageSenderSubjectAndText) {
    const ParsedMessage m = parseOk(crlf(
        "From: Desk <desk@city.gov.tw>\nSubject: Fwd: =?utf-8?B?6Lev54eI?=\n"
        "Content-Type: multipart/mixed; boundary=o\n\n"
        "--o\nContent-Type: text/plain; charset=utf-8\n\nForwarded to the right unit.\n"
        "--o\nContent-Type: message/rfc822\n\n"
        "From: =?utf-8?B?546L5bCP5piO?= <wang@example.tw>\nTo: desk@city.gov.tw\nSubject: =?utf-8?B?6Lev54eI?=\n"
        "Date: Tue, 3 Oct 2023 10:15:30 +0800\nMessage-ID: <inner@example.tw>\n"
        "Content-Type: multipart/alternative; boundary=i\n\n"
        "--i\nContent-Type: text/plain; charset=utf-8\n\n路燈不亮\n--i\nContent-Type: text/html\n\n<p>x</p>\n--i--\n"
        "--o--\n"));
    EXPECT_EQ(m.textBody, "Forwarded to the right unit.");
    ASSERT_EQ(m.forwarded.size(), 1u);
    const ForwardedMessage& inner = m.forwarded[0];
    EXPECT_EQ(inner.part, "2");
    EXPECT_EQ(inner.from.name, "王小明");
    EXPECT_EQ(inner.from.address, "wang@example.tw");
    ASSERT_EQ(inner.to.size(), 1u);
    EXPECT_EQ(inner.subject, "路燈");
    EXPECT_TRUE(inner.date.has_value());
    EXPECT_EQ(inner.messageId, "inner@example.tw");
    EXPECT_EQ(inner.textBody, "路燈不亮");
    EXPECT_EQ(inner.bodySource, BodySource::Plain);
    EXPECT_TRUE(m.defects.empty());
}

TEST(PartDecoding, ReadsMessageGlobalAsForwardedMessage) {
    const ParsedMessage m = parseOk(
        crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=o\n\n"
             "--o\nContent-Type: message/global\n\nFrom: 王 <wang@example.tw>\nSubject: 路燈\n\ninner text\n--o--\n"));
    ASSERT_EQ(m.forwarded.size(), 1u);
    EXPECT_EQ(m.forwarded[0].from.name, "王");
    EXPECT_EQ(m.forwarded[0].textBody, "inner text");
    EXPECT_EQ(m.textBody, "inner text");
}

TEST(PartDecoding, ReadsEveryToAndCcField) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nTo: one@b.tw\nCc: three@b.tw\nTo: two@b.tw, Two B <twob@b.tw>\n\nx\n"));
    ASSERT_EQ(m.to.size(), 3u);
    EXPECT_EQ(m.to[2].name, "Two B");
    ASSERT_EQ(m.cc.size(), 1u);
}

TEST(PartDecoding, KeepsQuotedSemicolonInContentTypeName) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nContent-Type: application/pdf; name=\"a;b.pdf\"\n\n%PDF\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "a;b.pdf");
    EXPECT_EQ(m.attachments[0].part, "1");
}

TEST(PartDecoding, NamesUuencodedPartAfterItsBeginLine) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n\n"
                     "begin 644 report.pdf\n))5!$1BTQ+C0*\n`\nend\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "report.pdf");
}

TEST(PartDecoding, TakesUuencodedBlocksOutOfPlainText) {
    const ParsedMessage m = parseOk(
        crlf("From: a@b.tw\n\nSee the file below.\n\nbegin 644 report.pdf\n))5!$1BTQ+C0*\n`\nend\n\nThanks.\n"));
    EXPECT_EQ(m.textBody, "See the file below.\n\n\nThanks.\n");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "report.pdf");
    EXPECT_EQ(m.attachments[0].contentType, "application/octet-stream");
    EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
}

TEST(PartDecoding, LeavesBeginLineWithoutEndInTheText) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\n\nbegin 644 is how a mode line starts\n"));
    EXPECT_EQ(m.textBody, "begin 644 is how a mode line starts\n");
    EXPECT_TRUE(m.attachments.empty());
}

TEST(PartDecoding, BreaksTextLinesOverTheLineLimit) {
    ParseLimits limits;
    limits.maxLineBytes = 8;
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nSubject: short\n\n路燈不亮了\nok\n"), limits);
    EXPECT_EQ(m.textBody, "路燈\n不亮\n了\nok\n");
    EXPECT_TRUE(hasDefectContaining(m, "1 text lines longer than 8 bytes were broken"));
}

TEST(PartDecoding, CutsSubjectOverTheLineLimit) {
    ParseLimits limits;
    limits.maxLineBytes = 7;
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nSubject: 路燈不亮\n\nx\n"), limits);
    EXPECT_EQ(m.subject, "路燈");
    EXPECT_TRUE(hasDefectContaining(m, "subject longer than 7 bytes was cut"));
}

TEST(PartDecoding, ListsAttachmentOverTheLimitWithoutItsData) {
    ParseLimits limits;
    limits.maxAttachmentBytes = 4;
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n"
                                         "--b\nContent-Type: text/plain\n\nbody\n"
                                         "--b\nContent-Type: application/pdf; name=big.pdf\n\n0123456789\n"
                                         "--b\nContent-Type: image/png; name=small.png\n\n012\n--b--\n"),
                                    limits);
    ASSERT_EQ(m.attachments.size(), 2u);
    EXPECT_TRUE(m.attachments[0].overLimit);
    EXPECT_TRUE(m.attachments[0].data.empty());
    EXPECT_EQ(m.attachments[0].filename, "big.pdf");
    EXPECT_FALSE(m.attachments[1].overLimit);
    EXPECT_EQ(m.attachments[1].data, "012");
    EXPECT_TRUE(hasDefectContaining(m, "attachment in part 2 is 10 bytes, over the limit of 4 bytes"));
    EXPECT_EQ(m.textBody, "body");
}

}  // namespace
}  // namespace complaintd::parsers
