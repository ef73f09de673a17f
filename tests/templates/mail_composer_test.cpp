#include "templates/mail_composer.h"

#include <gtest/gtest.h>

#include "cases/error.h"
#include "parsers/mime_parser.h"

namespace complaintd::templates {
namespace {

OutgoingMail sample() {
    OutgoingMail m;
    m.from = {"樹谷園區服務中心", "complaints@center.example"};
    m.to = {"王小明", "wang@example.org"};
    m.subject = "[115-001] 樹谷園區服務中心已收到您的陳情：紫楝路路燈不亮，已經三天了，晚上騎車很危險";
    m.body = "王小明 君 您好：\n\n已收到。\n";
    m.date = cases::Timestamp{std::chrono::seconds(1796000000)};
    m.messageId = "ack.115-001.x@center.example";
    m.inReplyTo = "orig@example.org";
    m.references = {"older@example.org", "orig@example.org"};
    m.autoSubmitted = AutoSubmitted::AutoReplied;
    return m;
}

TEST(MailComposer, UsesStrictCrlfAndRequiredHeaders) {
    const auto raw = composeMail(sample());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n') {
            ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
        }
    }
    EXPECT_NE(raw.find("\r\nMessage-ID: <ack.115-001.x@center.example>\r\n"), std::string::npos);
    EXPECT_NE(raw.find("\r\nIn-Reply-To: <orig@example.org>\r\n"), std::string::npos);
    EXPECT_NE(raw.find("\r\nAuto-Submitted: auto-replied\r\n"), std::string::npos);
    EXPECT_NE(raw.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_NE(raw.find("\r\nDate: "), std::string::npos);
    EXPECT_NE(raw.find("+0800"), std::string::npos);
}

TEST(MailComposer, RoundTripsThroughOurParser) {
    const auto result = parsers::parseMessage(composeMail(sample()));
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(result));
    const auto& parsed = std::get<parsers::ParsedMessage>(result);
    EXPECT_EQ(parsed.subject, sample().subject);
    EXPECT_EQ(parsed.from.name, "樹谷園區服務中心");
    EXPECT_EQ(parsed.to.at(0).address, "wang@example.org");
    EXPECT_EQ(parsed.textBody, "王小明 君 您好：\n\n已收到。\n");
    EXPECT_EQ(parsed.references, (std::vector<std::string>{"older@example.org", "orig@example.org"}));
}

TEST(MailComposer, EncodedWordsStayShortAndNeverSplitACharacter) {
    const auto encoded = encodeHeaderWords(sample().subject);
    std::size_t start = 0;
    while (start < encoded.size()) {
        auto end = encoded.find("\r\n ", start);
        if (end == std::string::npos) end = encoded.size();
        EXPECT_LE(end - start, 75u);
        start = end + 3;
    }
}

TEST(MailComposer, ComplainantValuesCannotInjectHeaders) {
    auto m = sample();
    m.subject = "hello\r\nBcc: everyone@example.org";
    m.to.name = "Eve\r\nX-Evil: 1";
    const auto raw = composeMail(m);
    EXPECT_EQ(raw.find("\r\nBcc:"), std::string::npos);
    EXPECT_EQ(raw.find("\r\nX-Evil:"), std::string::npos);
}

// Every header line within 78 characters plus the first token (at most 76), far below 998.
void expectShortHeaderLines(const std::string& raw) {
    const auto headers = raw.substr(0, raw.find("\r\n\r\n"));
    std::size_t start = 0;
    while (start < headers.size()) {
        auto end = headers.find("\r\n", start);
        if (end == std::string::npos) end = headers.size();
        EXPECT_LE(end - start, 86u) << headers.substr(start, end - start);
        start = end + 2;
    }
}

TEST(MailComposer, FoldsLongAsciiSubjectsAndCapsNames) {
    auto m = sample();
    std::string words;
    for (int i = 0; i < 400; ++i) words += "spam" + std::to_string(i) + " ";
    m.subject = words + std::string(3000, 'x');  // one word longer than any line
    m.to.name = std::string(5000, 'N');
    m.from.name = "Center \"Desk\" " + std::string(100, 'c');
    const auto raw = composeMail(m);
    expectShortHeaderLines(raw);
    const auto parsed = std::get<parsers::ParsedMessage>(parsers::parseMessage(raw));
    EXPECT_EQ(parsed.subject, m.subject);
    EXPECT_EQ(parsed.to.at(0).address, "wang@example.org");
    EXPECT_EQ(parsed.to.at(0).name, std::string(63, 'N') + "…");

    m.subject = words;  // ASCII words only: folded between them, kept readable
    const auto plain = composeMail(m);
    expectShortHeaderLines(plain);
    EXPECT_NE(plain.find("Subject: spam0 spam1 "), std::string::npos);
    EXPECT_EQ(std::get<parsers::ParsedMessage>(parsers::parseMessage(plain)).subject,
              words.substr(0, words.size() - 1));
}

TEST(MailComposer, RepeatsOnlyPlausibleMessageIds) {
    auto m = sample();
    m.inReplyTo = std::string(5000, 'i') + "@example.org";
    m.references = {"BUY CHEAP PILLS@spam.example", "a>b@example.org"};
    for (int i = 0; i < 30; ++i) m.references.push_back("r" + std::to_string(i) + "@example.org");
    const auto raw = composeMail(m);
    expectShortHeaderLines(raw);
    EXPECT_EQ(raw.find("In-Reply-To:"), std::string::npos);
    EXPECT_EQ(raw.find("PILLS"), std::string::npos);
    EXPECT_EQ(raw.find("<r19@example.org>"), std::string::npos);
    EXPECT_NE(raw.find("References: <r20@example.org>\r\n"), std::string::npos);
    EXPECT_NE(raw.find(" <r29@example.org>\r\n"), std::string::npos);
}

TEST(MailComposer, AutomaticLettersSuppressAutoResponses) {
    EXPECT_NE(composeMail(sample()).find("\r\nX-Auto-Response-Suppress: All\r\n"), std::string::npos);
    auto m = sample();
    m.autoSubmitted = AutoSubmitted::No;
    EXPECT_EQ(composeMail(m).find("X-Auto-Response-Suppress"), std::string::npos);
}

TEST(MailComposer, AttachmentsGoInMultipartMixedAndRoundTrip) {
    auto m = sample();
    const std::string pdf = "%PDF-1.5\n\x01\x02\xff binary\n%%EOF\n";
    m.attachments.push_back({"115-001-函復.pdf", "application/pdf", pdf});
    m.attachments.push_back({"survey.pdf", "application/pdf", std::string(5000, 'x')});
    const auto raw = composeMail(m);
    EXPECT_NE(raw.find("Content-Type: multipart/mixed; boundary="), std::string::npos);
    EXPECT_NE(raw.find("filename*=UTF-8''115-001-%E5%87%BD%E5%BE%A9.pdf"), std::string::npos);
    const auto result = parsers::parseMessage(raw);
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(result));
    const auto& parsed = std::get<parsers::ParsedMessage>(result);
    EXPECT_EQ(parsed.textBody, "王小明 君 您好：\n\n已收到。\n");
    ASSERT_EQ(parsed.attachments.size(), 2u);
    EXPECT_EQ(parsed.attachments[0].filename, "115-001-函復.pdf");
    EXPECT_EQ(parsed.attachments[0].contentType, "application/pdf");
    EXPECT_EQ(parsed.attachments[0].data, pdf);
    EXPECT_EQ(parsed.attachments[1].data.size(), 5000u);
}

TEST(MailComposer, RefusesAddressesThatAreNotPlain) {
    auto m = sample();
    m.to.address = "wang@example.org>, everyone@example.org";
    EXPECT_THROW(composeMail(m), InvalidRequestError);
    EXPECT_FALSE(isPlainAddress("a b@example.org"));
    EXPECT_FALSE(isPlainAddress("nobody"));
    EXPECT_TRUE(isPlainAddress("wang.xm+complaint@example.org"));
}

}  // namespace
}  // namespace complaintd::templates
