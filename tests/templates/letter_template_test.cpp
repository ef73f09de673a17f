#include "templates/letter_template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cases/error.h"

namespace complaintd::templates {
namespace {

const std::set<std::string> kFields{"case_number", "subject", "complainant_name"};

TEST(LetterTemplate, RendersSubjectAndBodyWithoutHtmlEscaping) {
    const auto t = LetterTemplate::parse("Subject: [{{case_number}}] {{subject}}\n\n{{complainant_name}} 您好：\n",
                                         "ack.txt", kFields);
    const auto letter = t.render({{"case_number", "115-001"}, {"subject", "A & B <路燈>"}, {"complainant_name", "王"}});
    EXPECT_EQ(letter.subject, "[115-001] A & B <路燈>");
    EXPECT_EQ(letter.body, "王 您好：\n");
}

TEST(LetterTemplate, SubjectStaysOneLineWhateverTheFieldHolds) {
    const auto t = LetterTemplate::parse("Subject: {{subject}}\n\nx\n", "ack.txt", kFields);
    EXPECT_EQ(t.render({{"subject", "a\r\nBcc: victim@example.org"}}).subject, "a  Bcc: victim@example.org");
}

TEST(LetterTemplate, UnknownFieldIsAnErrorWithFileAndLine) {
    try {
        LetterTemplate::parse("Subject: x\n\nline 3\n{{case_numbr}}\n", "ack.txt", kFields);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("ack.txt:4: unknown field {{case_numbr}}"), std::string::npos) << e.what();
    }
}

TEST(LetterTemplate, SyntaxErrorNamesFileAndLine) {
    try {
        LetterTemplate::parse("Subject: x\n\nok\n{{#subject}}\nnever closed\n", "ack.txt", kFields);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("ack.txt:4:"), std::string::npos) << e.what();
    }
}

TEST(LetterTemplate, MissingSubjectLineIsAnError) {
    EXPECT_THROW(LetterTemplate::parse("Dear x\n", "ack.txt", kFields), ConfigError);
    EXPECT_THROW(LetterTemplate::parse("Subject: x\nno blank line\n", "ack.txt", kFields), ConfigError);
}

TEST(ShippedLetters, AcknowledgementParsesAndCarriesCaseNumber) {
    std::ifstream in(std::string(COMPLAINTD_SOURCE_DIR) + "/templates/letters/acknowledgement.txt");
    std::stringstream text;
    text << in.rdbuf();
    const auto t = LetterTemplate::parse(text.str(), "acknowledgement.txt", letterFields());
    const auto letter = t.render({{"case_number", "115-001"},
                                  {"subject", "路燈不亮"},
                                  {"center_name", "樹谷園區服務中心"},
                                  {"unit_name", "工務組"},
                                  {"received_date", "中華民國115年11月30日"}});
    EXPECT_EQ(letter.subject.rfind("[115-001] ", 0), 0u) << letter.subject;
    EXPECT_NE(letter.body.find("工務組"), std::string::npos);
    EXPECT_NE(letter.body.find("陳情人 您好"), std::string::npos);  // no name given
    const auto unnamed = t.render({{"case_number", "115-001"}, {"complainant_name", ""}});
    EXPECT_EQ(unnamed.body.rfind("陳情人 您好", 0), 0u) << unnamed.body;  // an empty name is none
}

TEST(QuotedSubject, KeepsShortSubjectsAsTheyAre) {
    EXPECT_EQ(quotedSubject("紫楝路路燈不亮", 60), "紫楝路路燈不亮");
    EXPECT_EQ(quotedSubject("  Street   light\tout  ", 60), "Street light out");
    EXPECT_EQ(quotedSubject("", 60), "");
}

TEST(QuotedSubject, MakesOneLineWithoutControls) {
    EXPECT_EQ(quotedSubject("a\r\nBcc: x@example.org", 60), "a Bcc: x@example.org");
    EXPECT_EQ(quotedSubject("esc\x1b[2Jhere\xc2\x9b!", 60), "esc [2Jhere !");
    EXPECT_EQ(quotedSubject("line\u2028break\u202Eevil\u2066", 60), "line breakevil");
}

TEST(QuotedSubject, CutsOnACharacterBoundaryWithEllipsis) {
    const std::string chinese = "路燈不亮路燈不亮路燈不亮";  // 12 characters, 36 bytes
    EXPECT_EQ(quotedSubject(chinese, 12), chinese);
    EXPECT_EQ(quotedSubject(chinese, 5), "路燈不亮…");
    EXPECT_EQ(quotedSubject(std::string(64 * 1024, 'A'), 60), std::string(59, 'A') + "…");
    EXPECT_EQ(quotedSubject("word word word", 6), "word…");  // no space before the ellipsis
    EXPECT_EQ(quotedSubject("abc", 1), "…");
    EXPECT_EQ(quotedSubject("abc", 0), "");
    EXPECT_EQ(quotedSubject("ok\xff\xfe", 60), "ok\uFFFD\uFFFD");  // invalid bytes are shown as such
}

}  // namespace
}  // namespace complaintd::templates
