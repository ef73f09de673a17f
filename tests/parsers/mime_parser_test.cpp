#include "parsers/mime_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace complaintd::parsers {
namespace {

using namespace std::chrono;

std::string crlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

ParsedMessage parseOk(std::string_view raw, const ParseLimits& limits = {}) {
    ParseResult result = parseMessage(raw, limits);
    if (auto* failure = std::get_if<ParseFailure>(&result)) {
        ADD_FAILURE() << "unexpected ParseFailure: " << failure->reason;
        return {};
    }
    return std::get<ParsedMessage>(std::move(result));
}

std::string parseFailure(std::string_view raw, const ParseLimits& limits = {}) {
    ParseResult result = parseMessage(raw, limits);
    if (auto* failure = std::get_if<ParseFailure>(&result)) return failure->reason;
    ADD_FAILURE() << "expected a ParseFailure";
    return {};
}

bool hasDefectContaining(const ParsedMessage& message, std::string_view text) {
    for (const std::string& defect : message.defects) {
        if (defect.find(text) != std::string::npos) return true;
    }
    return false;
}

std::string alternative(std::string_view plain, std::string_view html) {
    return crlf(std::string("From: a@example.tw\nSubject: alt\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/alternative; boundary=\"ALT\"\n\n"
                            "--ALT\nContent-Type: text/plain; charset=utf-8\n\n") +
                std::string(plain) + "\n--ALT\nContent-Type: text/html; charset=utf-8\n\n" + std::string(html) +
                "\n--ALT--\n");
}

// --- headers ----------------------------------------------------------------

TEST(MimeParser, ReadsAddressesSubjectDateAndThreadIds) {
    const ParsedMessage m =
        parseOk(crlf("From: \"Chen, Hsiao-ming\" <chen@example.tw>\n"
                     "To: desk@city.gov.tw, Lin <lin@example.tw>\n"
                     "Cc: team: a@example.tw, b@example.tw;, c@example.tw (Carol)\n"
                     "Subject: Street lamp\n"
                     " broken\n"
                     "Date: Tue, 3 Oct 2023 10:15:30 +0800 (CST)\n"
                     "Message-ID: <abc.123@mail.example.tw>\n"
                     "In-Reply-To: <prev@city.gov.tw> (Desk's reply)\n"
                     "References: <first@x.tw>\n <prev@city.gov.tw>\n"
                     "\n"
                     "Hello\n"));
    EXPECT_EQ(m.from.name, "Chen, Hsiao-ming");
    EXPECT_EQ(m.from.address, "chen@example.tw");
    ASSERT_EQ(m.to.size(), 2u);
    EXPECT_EQ(m.to[0].address, "desk@city.gov.tw");
    EXPECT_EQ(m.to[1].name, "Lin");
    ASSERT_EQ(m.cc.size(), 3u);
    EXPECT_EQ(m.cc[1].address, "b@example.tw");
    EXPECT_EQ(m.cc[2].name, "Carol");
    EXPECT_EQ(m.subject, "Street lamp broken");
    ASSERT_TRUE(m.date.has_value());
    EXPECT_EQ(*m.date, sys_days{year{2023} / 10 / 3} + hours{2} + minutes{15} + seconds{30});
    EXPECT_EQ(m.messageId, "abc.123@mail.example.tw");
    EXPECT_EQ(m.inReplyTo, "prev@city.gov.tw");
    EXPECT_EQ(m.references, (std::vector<std::string>{"first@x.tw", "prev@city.gov.tw"}));
    EXPECT_EQ(m.textBody, "Hello\n");
    EXPECT_EQ(m.bodySource, BodySource::Plain);
    EXPECT_TRUE(m.defects.empty());
}

TEST(MimeParser, DecodesEncodedSubjectAndDisplayNames) {
    const ParsedMessage m =
        parseOk(crlf("From: =?big5?B?s6+kcKn6?= <chen@example.tw>\n"
                     "To: \"=?utf-8?B?5biC5rCR6Zmz5oOF?=\" <desk@city.gov.tw>\n"
                     "Subject: =?big5?B?uPS/Tw==?= =?utf-8?Q?_?=\n"
                     " =?UTF-8?B?5biC5rCR6Zmz5oOF?=\n"
                     "\n"
                     "x\n"));
    EXPECT_EQ(m.from.name, "陳小明");
    ASSERT_EQ(m.to.size(), 1u);
    EXPECT_EQ(m.to[0].name, "市民陳情");
    EXPECT_EQ(m.subject, "路燈 市民陳情");
}

TEST(MimeParser, ReadsSloppyAndCommentedAddresses) {
    const ParsedMessage m = parseOk(
        crlf("From: Chen Hsiao-ming chen@b.tw\n"
             "To: lin@b.tw (Lin Mei), <bare@b.tw>, \"Wang \\\"Da\\\"\" <wang@b.tw>, Huang <@relay.tw:huang@b.tw>\n"
             "\nx\n"));
    EXPECT_EQ(m.from.name, "Chen Hsiao-ming");
    EXPECT_EQ(m.from.address, "chen@b.tw");
    ASSERT_EQ(m.to.size(), 4u);
    EXPECT_EQ(m.to[0].name, "Lin Mei");
    EXPECT_EQ(m.to[0].address, "lin@b.tw");
    EXPECT_EQ(m.to[1].name, "");
    EXPECT_EQ(m.to[1].address, "bare@b.tw");
    EXPECT_EQ(m.to[2].name, "Wang \"Da\"");
    EXPECT_EQ(m.to[3].address, "huang@b.tw");
}

TEST(MimeParser, ReadsRawBig5DisplayNameAndSaysItGuessed) {
    const ParsedMessage m = parseOk(crlf("From: \xb3\xaf\xa4\x70\xa9\xfa <chen@b.tw>\n\nx\n"));
    EXPECT_EQ(m.from.name, "陳小明");
    EXPECT_EQ(m.from.address, "chen@b.tw");
    EXPECT_TRUE(hasDefectContaining(m, "charset of from guessed as big5"));
}

TEST(MimeParser, ReportsUnguessableRawHeaderBytesAsLossy) {
    const ParsedMessage m = parseOk(crlf("From: a\x01\xff <chen@b.tw>\n\nx\n"));
    EXPECT_EQ(m.from.address, "chen@b.tw");
    EXPECT_TRUE(hasDefectContaining(m, "undecodable bytes in from (unlabelled 8-bit)"));
}

TEST(MimeParser, SplitsReferencesWrittenWithoutBrackets) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nReferences: one@b.tw  two@b.tw\nMessage-ID: bare@b.tw\n\nx\n"));
    EXPECT_EQ(m.references, (std::vector<std::string>{"one@b.tw", "two@b.tw"}));
    EXPECT_EQ(m.messageId, "bare@b.tw");
}

TEST(MimeParser, ReportsUndecodableSubjectBytesAsDefect) {
    const ParsedMessage m = parseOk(crlf("From: a@example.tw\nSubject: =?big5?Q?=B8=F4=FF?=\n\nx\n"));
    EXPECT_TRUE(hasDefectContaining(m, "undecodable bytes in subject (big5)"));
}

TEST(MimeParser, ConvertsDateToUtc) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nDate: 1 Jan 99 23:30 -0130\n\nx\n"));
    ASSERT_TRUE(m.date.has_value());
    EXPECT_EQ(*m.date, sys_days{year{1999} / 1 / 2} + hours{1});  // 99 is 1999 (RFC 5322 4.3)
}

TEST(MimeParser, ReportsUnparseableDateAsDefect) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nDate: sometime last week\n\nx\n"));
    EXPECT_FALSE(m.date.has_value());
    EXPECT_TRUE(hasDefectContaining(m, "unparseable Date header"));
    const ParsedMessage feb = parseOk(crlf("From: a@b.tw\nDate: Mon, 31 Feb 2023 10:00:00 +0000\n\nx\n"));
    EXPECT_FALSE(feb.date.has_value());
}

TEST(MimeParser, ReportsMissingFromAsDefectNotFailure) {
    const ParsedMessage m = parseOk(crlf("Subject: anonymous\n\nbody\n"));
    EXPECT_TRUE(m.from.address.empty());
    EXPECT_TRUE(hasDefectContaining(m, "missing From header"));
    EXPECT_EQ(m.textBody, "body\n");
}

TEST(MimeParser, SurvivesUnclosedGroupInTo) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nTo: undisclosed-recipients:\nCc: list:\n\nhello\n"));
    EXPECT_TRUE(m.to.empty());
    EXPECT_TRUE(m.cc.empty());
    EXPECT_EQ(m.textBody, "hello\n");
}

// --- failures -----------------------------------------------------------------

TEST(MimeParser, FailsOnEmptyInput) { EXPECT_EQ(parseFailure(""), "empty message"); }

TEST(MimeParser, FailsOnHeaderlessGarbage) {
    EXPECT_NE(parseFailure("\x89PNG\r\n\x1a\n binary garbage").find("no header"), std::string::npos);
    EXPECT_NE(parseFailure("just some text\nwith lines\n").find("no header"), std::string::npos);
    EXPECT_NE(parseFailure(" \r\n\t\r\n").find("no header"), std::string::npos);
}

TEST(MimeParser, FailsOverMessageSizeLimitNamingSizeAndLimit) {
    ParseLimits limits;
    limits.maxMessageBytes = 100;
    const std::string reason = parseFailure(crlf("From: a@b.tw\n\n") + std::string(200, 'x'), limits);
    EXPECT_NE(reason.find("216 bytes"), std::string::npos) << reason;
    EXPECT_NE(reason.find("limit of 100"), std::string::npos) << reason;
}

TEST(MimeParser, FailsOverHeaderSizeLimit) {
    ParseLimits limits;
    limits.maxHeaderBytes = 64;
    const std::string reason = parseFailure(crlf("From: a@b.tw\nX-Long: " + std::string(100, 'y') + "\n\nx\n"), limits);
    EXPECT_NE(reason.find("header block"), std::string::npos) << reason;
}

// --- bodies -------------------------------------------------------------------

TEST(MimeParser, PrefersPlainPartOfAlternative) {
    const ParsedMessage m = parseOk(alternative("plain text", "<p>html text</p>"));
    EXPECT_EQ(m.bodySource, BodySource::Plain);
    EXPECT_EQ(m.textBody, "plain text");
    EXPECT_TRUE(m.attachments.empty());
}

TEST(MimeParser, FallsBackToHtmlWhenPlainPartIsEmpty) {
    const ParsedMessage m = parseOk(alternative(" \n", "<p>路燈</p><p>不亮</p>"));
    EXPECT_EQ(m.bodySource, BodySource::Html);
    EXPECT_EQ(m.textBody, "路燈\n\n不亮");
}

TEST(MimeParser, UsesHtmlWhenThereIsNoPlainPart) {
    const ParsedMessage m = parseOk(
        crlf("From: a@b.tw\nContent-Type: text/html; charset=big5\n\n<div>\xb8\xf4\xbf\x4f</div><div>x</div>\n"));
    EXPECT_EQ(m.bodySource, BodySource::Html);
    EXPECT_EQ(m.textBody, "路燈\nx");
}

TEST(MimeParser, DecodesBase64BodyInItsCharset) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: text/plain; charset=\"big5\"\nContent-Transfer-Encoding: base64\n\n"
                     "uPS/Tw0KpKOrRw==\n"));
    EXPECT_EQ(m.textBody, "路燈\n不亮");
    EXPECT_TRUE(m.defects.empty());
}

TEST(MimeParser, DecodesQuotedPrintableBody) {
    const ParsedMessage m = parseOk(
        crlf("From: a@b.tw\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
             "=E8=B7=AF=E7=87=88 soft=\nbreak   \nnext line a=b\n"));
    EXPECT_EQ(m.textBody, "路燈 softbreak\nnext line a=b\n");
}

TEST(MimeParser, ToleratesDamagedBase64) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
                     "aGVs*bG8g\nd29y!bGQ=\nextra=\n"));
    EXPECT_EQ(m.textBody.substr(0, 11), "hello world");
    EXPECT_TRUE(hasDefectContaining(m, "damaged base64 in part 1"));
}

TEST(MimeParser, ReportsUndecodableBodyBytesWithPartAndCharset) {
    const std::string raw = crlf(
        "From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>x</p>\n"
        "--b\nContent-Type: text/plain; charset=gb2312\n\n\xc2\xb7\xff\xff\n--b--\n");
    const ParsedMessage m = parseOk(raw);
    EXPECT_TRUE(hasDefectContaining(m, "undecodable bytes in part 2 (gb2312)"));
    EXPECT_EQ(m.bodySource, BodySource::Plain);
}

TEST(MimeParser, NormalisesBodyLineEndsToLf) {
    const ParsedMessage m = parseOk("From: a@b.tw\r\n\r\none\r\ntwo\rthree\n");
    EXPECT_EQ(m.textBody, "one\ntwo\nthree\n");
}

TEST(MimeParser, ParsesBareLfMessages) {
    const ParsedMessage m = parseOk(
        "From: Chen <chen@b.tw>\nSubject: lf\nContent-Type: multipart/mixed; boundary=\"x\"\n\n"
        "--x\nContent-Type: text/plain\n\nbody\n--x\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
        "iVBORw==\n--x--\n");
    EXPECT_EQ(m.from.name, "Chen");
    EXPECT_EQ(m.textBody, "body");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].data, "\x89PNG");
}

TEST(MimeParser, ToleratesMissingFinalBoundaryAndSaysTheMessageMayBeCut) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n"
                     "--b\nContent-Type: text/plain\n\ntruncated body\n"));
    EXPECT_EQ(m.textBody, "truncated body\n");
    EXPECT_TRUE(hasDefectContaining(m, "multipart message has no closing boundary"));
}

TEST(MimeParser, ReadsTextOfMultipartWhoseBoundaryNeverAppears) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: multipart/mixed; boundary=\"missing\"\n\n路燈不亮\n"));
    EXPECT_EQ(m.bodySource, BodySource::Plain);
    EXPECT_EQ(m.textBody, "路燈不亮\n");
    EXPECT_TRUE(hasDefectContaining(m, "has no parts"));
}

TEST(MimeParser, AcceptsSloppyTransferEncodingNames) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nContent-Transfer-Encoding: Quoted Printable;\n\n=E8=B7=AF\n"));
    EXPECT_EQ(m.textBody, "路\n");
    EXPECT_TRUE(m.defects.empty());
}

TEST(MimeParser, ReadsInvalidContentTypeAsPlainText) {
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nContent-Type: <html>\n\nhello\n"));
    EXPECT_EQ(m.bodySource, BodySource::Plain);
    EXPECT_EQ(m.textBody, "hello\n");
    EXPECT_TRUE(m.attachments.empty());
}

TEST(MimeParser, ReportsUnsupportedTransferEncodingAndKeepsBytes) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: x-gzip64\n\n"
                     "H4sI\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].data, "H4sI\r\n");
    EXPECT_TRUE(hasDefectContaining(m, "unsupported transfer encoding \"x-gzip64\" in part 1"));
}

TEST(MimeParser, DecodesUuencodedPart) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: application/pdf\nContent-Transfer-Encoding: x-uuencode\n\n"
                     "begin 644 report.pdf\n))5!$1BTQ+C0*\n`\nend\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
    EXPECT_TRUE(m.defects.empty());
}

TEST(MimeParser, ReportsUuencodedPartWithoutEndLine) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: application/pdf\nContent-Transfer-Encoding: x-uuencode\n\n"
                     "begin 644 report.pdf\n))5!$1BTQ+C0*\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
    EXPECT_TRUE(hasDefectContaining(m, "damaged uuencode in part 1"));
}

// --- attachments -----------------------------------------------------------------

TEST(MimeParser, ListsAttachmentsWithDecodedNamesAndBytes) {
    const ParsedMessage m = parseOk(crlf(
        "From: a@b.tw\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain; charset=utf-8\n\nsee attached\n"
        "--b\nContent-Type: application/pdf; name=\"=?utf-8?B?5aCx5ZGKLnBkZg==?=\"\n"
        "Content-Disposition: attachment; filename=\"=?utf-8?B?5aCx5ZGKLnBkZg==?=\"\n"
        "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
        "--b\nContent-Type: IMAGE/TIFF\nContent-Disposition: attachment;\n"
        " filename*=big5''%B8%F4%BF%4F.tif\n\nraw-bytes\n"
        "--b\nContent-Type: text/plain; name=\"notes; v2.txt\"\nContent-Disposition: inline; filename=\"a;b.txt\"\n\n"
        "attached text\n"
        "--b--\n"));
    EXPECT_EQ(m.textBody, "see attached");
    ASSERT_EQ(m.attachments.size(), 3u);
    EXPECT_EQ(m.attachments[0].filename, "報告.pdf");
    EXPECT_EQ(m.attachments[0].contentType, "application/pdf");
    EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
    EXPECT_EQ(m.attachments[1].filename, "路燈.tif");
    EXPECT_EQ(m.attachments[1].contentType, "image/tiff");
    EXPECT_EQ(m.attachments[1].data, "raw-bytes");
    EXPECT_EQ(m.attachments[2].filename, "a;b.txt");
    EXPECT_EQ(m.attachments[2].data, "attached text");
}

TEST(MimeParser, JoinsRfc2231FilenameContinuations) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: application/octet-stream\n"
                     "Content-Disposition: attachment; filename*0*=utf-8''%E8%B7%AF; filename*1*=%E7%87%88;\n"
                     " filename*2=\".txt\"\n\ndata\n"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "路燈.txt");
    EXPECT_EQ(m.bodySource, BodySource::None);
}

// --- structure and limits ------------------------------------------------------

std::string nestedMultipart(int levels) {
    std::string raw = "From: a@b.tw\r\n";
    for (int i = 0; i < levels; ++i) {
        raw += "Content-Type: multipart/mixed; boundary=\"n" + std::to_string(i) + "\"\r\n\r\n--n" + std::to_string(i) +
               "\r\n";
    }
    return raw + "Content-Type: text/plain\r\n\r\ninnermost\r\n";
}

TEST(MimeParser, StopsAtNestingLimitWithDefect) {
    ParseLimits limits;
    limits.maxMimeDepth = 5;
    const ParsedMessage m = parseOk(nestedMultipart(10), limits);
    EXPECT_TRUE(hasDefectContaining(m, "nesting deeper than 5"));
    EXPECT_EQ(m.bodySource, BodySource::None);
    EXPECT_EQ(parseOk(nestedMultipart(5), limits).textBody, "innermost\n");
}

TEST(MimeParser, SurvivesExtremeNestingWithoutCrashing) {
    const ParsedMessage m = parseOk(nestedMultipart(100000));
    EXPECT_TRUE(hasDefectContaining(m, "nesting deeper than 20"));
}

TEST(MimeParser, StopsAtPartLimitWithDefect) {
    std::string raw = "From: a@b.tw\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n";
    for (int i = 0; i < 50; ++i) raw += "--p\r\nContent-Type: image/png\r\n\r\nx\r\n";
    raw += "--p--\r\n";
    ParseLimits limits;
    limits.maxParts = 10;
    const ParsedMessage m = parseOk(raw, limits);
    EXPECT_EQ(m.attachments.size(), 9u);  // the root counts as a part
    EXPECT_TRUE(hasDefectContaining(m, "more than 10 MIME parts"));
}

TEST(MimeParser, UsesBodyOfForwardedMessageWhenOuterHasNone) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nSubject: Fwd\nContent-Type: multipart/mixed; boundary=o\n\n"
                     "--o\nContent-Type: message/rfc822\n\n"
                     "From: inner@b.tw\nSubject: inner\nContent-Type: text/plain; charset=big5\n\n\xb8\xf4\xbf\x4f\n"
                     "--o--\n"));
    EXPECT_EQ(m.subject, "Fwd");
    EXPECT_EQ(m.textBody, "路燈");
}

TEST(MimeParser, ReadsBase64EncodedForwardedMessage) {
    // "From: x@y.tw\r\nSubject: in\r\n\r\ninner body\r\n"
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                     "RnJvbTogeEB5LnR3DQpTdWJqZWN0OiBpbg0KDQppbm5lciBib2R5DQo=\n"));
    EXPECT_EQ(m.textBody, "inner body\n");
}

TEST(MimeParser, SkipsMboxFromLine) {
    const ParsedMessage m = parseOk("From chen@b.tw Tue Oct  3 10:00:00 2023\nFrom: chen@b.tw\n\nhi\n");
    EXPECT_EQ(m.from.address, "chen@b.tw");
}

TEST(MimeParser, SkipsByteOrderMarkAndLeadingBlankLines) {
    EXPECT_EQ(parseOk("\xEF\xBB\xBF" + crlf("From: a@b.tw\n\nx\n")).from.address, "a@b.tw");
    EXPECT_EQ(parseOk("   \r\n\r\n" + crlf(" From: a@b.tw\n\nx\n")).from.address, "a@b.tw");
}

TEST(MimeParser, StopsBase64AtAppendedMailingListFooter) {
    const ParsedMessage m =
        parseOk(crlf("From: a@b.tw\nContent-Type: text/plain; charset=big5\nContent-Transfer-Encoding: base64\n\n"
                     "uPS/Tw==\n\n___________\nSLAT-talk mailing list\nhttp://lists.example.tw/\n"));
    EXPECT_EQ(m.textBody, "路燈");
}

}  // namespace
}  // namespace complaintd::parsers

namespace complaintd::parsers {
namespace {

// Bytes 0..255 repeated, base64-encoded in 76-character lines.
std::string base64Lines(const std::string& data) {
    static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string encoded;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const unsigned n = (unsigned char)data[i] << 16 | (i + 1 < data.size() ? (unsigned char)data[i + 1] << 8 : 0) |
                           (i + 2 < data.size() ? (unsigned char)data[i + 2] : 0);
        encoded += kAlphabet[n >> 18 & 63];
        encoded += kAlphabet[n >> 12 & 63];
        encoded += i + 1 < data.size() ? kAlphabet[n >> 6 & 63] : '=';
        encoded += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
    }
    std::string lines;
    for (std::size_t i = 0; i < encoded.size(); i += 76) lines += encoded.substr(i, 76) + "\r\n";
    return lines;
}

std::string largeAttachmentMail(const std::string& data, const std::string& text) {
    return "From: a@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           text + "\r\n--XX\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64Lines(data) + "--XX--\r\n";
}

TEST(MimeParser, LargeBase64AttachmentIsDecodedFromTheOriginalBytes) {
    std::string data(3 << 20, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = char(i * 7 % 256);
    const auto parsed = parseOk(largeAttachmentMail(data, "路燈不亮"));
    ASSERT_EQ(parsed.attachments.size(), 1u);
    EXPECT_EQ(parsed.attachments[0].filename, "a.pdf");
    EXPECT_TRUE(parsed.attachments[0].data == data);
    EXPECT_EQ(parsed.textBody.find("complaintd-elided"), std::string::npos);
    EXPECT_NE(parsed.textBody.find("路燈不亮"), std::string::npos);
}

TEST(MimeParser, Base64QuotedInATextBodyIsLeftAsText) {
    // A text part that quotes a header block and a large base64 block is text, read as written.
    const std::string quoted =
        "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(std::string(400 << 10, 'a')) + "--\r\n";
    const auto parsed = parseOk(largeAttachmentMail(std::string(700 << 10, 'b'), "see below\r\n" + quoted));
    EXPECT_NE(parsed.textBody.find("YWFh"), std::string::npos);
    EXPECT_EQ(parsed.textBody.find("complaintd-elided"), std::string::npos);
    ASSERT_EQ(parsed.attachments.size(), 1u);
    EXPECT_EQ(parsed.attachments[0].data, std::string(700 << 10, 'b'));
}

// mimetic buffers a header field 128 bytes at a time: a 4 MB field in a part took over 20 s.
TEST(MimeParser, ReadsAPartWithAHugeHeaderFieldInLinearTime) {
    std::string raw =
        "From: a@b.tw\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nX-Long:";
    for (int i = 0; i < 1000000; ++i) raw += " ab";
    raw += "\r\n";
    for (int i = 0; i < 100000; ++i) raw += " folded\r\n";
    raw += "X-After: 1\r\n\r\n路燈不亮\r\n--b--\r\n";
    const auto start = steady_clock::now();
    const ParsedMessage m = parseOk(raw);
    EXPECT_LT(steady_clock::now() - start, seconds(5));
    EXPECT_EQ(m.textBody, "路燈不亮");
}

TEST(MimeParser, ALongSubjectIsStillCutWithADefect) {
    std::string raw = "From: a@b.tw\r\nSubject: ";
    raw += std::string(300 * 1024, 'x') + "\r\nTo: c@d.tw\r\n\r\nbody\r\n";
    const ParsedMessage m = parseOk(raw);
    EXPECT_EQ(m.subject.size(), 64u * 1024);
    EXPECT_TRUE(hasDefectContaining(m, "subject longer than"));
    ASSERT_EQ(m.to.size(), 1u);
    EXPECT_EQ(m.to[0].address, "c@d.tw");
    EXPECT_EQ(m.textBody, "body\n");
}

}  // namespace
}  // namespace complaintd::parsers
