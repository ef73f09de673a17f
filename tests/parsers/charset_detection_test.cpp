// Charsets that are missing or wrong, through parseMessage (the detection
// itself is private to the parser).
#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "parsers/mime_parser.h"
#include "parsers/text_decoding.h"

namespace complaintd::parsers {
namespace {

using test_helpers::crlf;
using test_helpers::encodeAs;
using test_helpers::hasDefectContaining;
using test_helpers::parseOk;

constexpr std::string_view kStreetLight =
    "紫楝路上的路燈已經三天不亮了，晚上騎車很危險，請盡快修理。附近的住戶都很擔心，希望市府能夠儘速派人處理。";

std::string plainMessage(std::string_view contentType, std::string_view body) {
    return crlf("From: a@b.tw\nSubject: x\n" + std::string(contentType) + "\n") + std::string(body) + "\r\n";
}

TEST(CharsetDetection, DetectsBig5BodyLabelledUsAscii) {
    const ParsedMessage m =
        parseOk(plainMessage("Content-Type: text/plain; charset=us-ascii\n", encodeAs("BIG5", kStreetLight)));
    EXPECT_EQ(m.textBody, std::string(kStreetLight) + "\n");
    EXPECT_EQ(m.bodyCharset, "big5");
    EXPECT_TRUE(hasDefectContaining(m, "charset of part 1 detected as big5 (declared us-ascii)"));
    EXPECT_TRUE(m.undecodedTexts.empty());
}

TEST(CharsetDetection, DetectsUnlabelledBig5Body) {
    const ParsedMessage m = parseOk(plainMessage("", encodeAs("BIG5", kStreetLight)));
    EXPECT_EQ(m.textBody, std::string(kStreetLight) + "\n");
    EXPECT_TRUE(hasDefectContaining(m, "charset of part 1 detected as big5 (none declared)"));
}

TEST(CharsetDetection, DetectsUtf8BodyLabelledBig5) {
    const ParsedMessage m = parseOk(plainMessage("Content-Type: text/plain; charset=big5\n", kStreetLight));
    EXPECT_EQ(m.textBody, std::string(kStreetLight) + "\n");
    EXPECT_EQ(m.bodyCharset, "");
    EXPECT_TRUE(hasDefectContaining(m, "charset of part 1 detected as utf-8 (declared big5)"));
}

TEST(CharsetDetection, DetectsShiftJisBodyLabelledIso2022Jp) {
    const std::string japanese =
        "お世話になっております。先日の件について、担当者から改めてご連絡いたします。よろしくお願いいたします。";
    const ParsedMessage m =
        parseOk(plainMessage("Content-Type: text/plain; charset=iso-2022-jp\n", encodeAs("SHIFT_JIS", japanese)));
    EXPECT_EQ(m.textBody, japanese + "\n");
    EXPECT_TRUE(hasDefectContaining(m, "(declared iso-2022-jp)"));
}

TEST(CharsetDetection, KeepsBytesAndReportsLossWhenNoCharsetFits) {
    const std::string bytes = encodeAs("BIG5", kStreetLight) + "\xff\xff";
    const ParsedMessage m = parseOk(plainMessage("Content-Type: text/plain; charset=big5\n", bytes));
    EXPECT_TRUE(hasDefectContaining(m, "undecodable bytes in part 1 (big5)"));
    EXPECT_NE(m.textBody.find("紫楝路"), std::string::npos);
    ASSERT_EQ(m.undecodedTexts.size(), 1u);
    EXPECT_EQ(m.undecodedTexts[0].part, "1");
    EXPECT_EQ(m.undecodedTexts[0].charset, "big5");
    EXPECT_EQ(m.undecodedTexts[0].bytes, bytes + "\r\n");
}

TEST(CharsetDetection, ReadsRawBig5SubjectInTheCharsetOfTheBody) {
    const std::string raw = crlf("From: a@b.tw\nSubject: " + encodeAs("BIG5", "路燈不亮") +
                                 "\nContent-Type: text/plain; charset=big5\n\n" + encodeAs("BIG5", "請修理") + "\n");
    const ParsedMessage m = parseOk(raw);
    EXPECT_EQ(m.subject, "路燈不亮");
    EXPECT_EQ(m.textBody, "請修理\n");
    EXPECT_TRUE(hasDefectContaining(m, "charset of subject guessed as big5"));
}

TEST(CharsetDetection, ReadsRawGbkSenderInTheCharsetOfTheBody) {
    const std::string raw = crlf("From: " + encodeAs("GBK", "王小明") + " <wang@b.cn>\nSubject: x\n" +
                                 "Content-Type: text/plain; charset=gb2312\n\n" + encodeAs("GBK", "路灯不亮了") + "\n");
    const ParsedMessage m = parseOk(raw);
    EXPECT_EQ(m.from.name, "王小明");
    EXPECT_TRUE(hasDefectContaining(m, "charset of from guessed as gb2312"));
}

TEST(CharsetDetection, ReadsRawLatin1SubjectAsLatin1NotAsBig5) {
    const std::string subject = "Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro";
    const ParsedMessage m = parseOk(crlf("From: a@b.tw\nSubject: " + encodeAs("ISO-8859-1", subject) + "\n\nx\n"));
    EXPECT_EQ(m.subject, subject);
}

TEST(CharsetDetection, ReadsRawBig5AttachmentNameInTheCharsetOfTheBody) {
    const std::string raw = crlf(
        "From: a@b.tw\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        "Content-Type: text/plain; charset=big5\n\n" +
        encodeAs("BIG5", "請看附件") + "\n--b\nContent-Type: image/jpeg\nContent-Disposition: attachment; filename=\"" +
        encodeAs("BIG5", "路燈照片") + ".jpg\"\n\nxx\n--b--\n");
    const ParsedMessage m = parseOk(raw);
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "路燈照片.jpg");
    EXPECT_TRUE(hasDefectContaining(m, "charset of attachment name in part 2 guessed as big5"));
}

TEST(CharsetDetection, ReadsIso2022JpWithNecSpecialCharacters) {
    // CP50220 writes № and ① in JIS row 13, which plain ISO-2022-JP lacks.
    const DecodedText text = toUtf8("\x1b$B-b-!\x1b(B 12", "iso-2022-jp");
    EXPECT_EQ(text.utf8, "№① 12");
    EXPECT_FALSE(text.lossy);
}

TEST(CharsetDetection, ReadsHalfWidthKatakanaInIso2022Jp) {
    EXPECT_EQ(toUtf8("\x1b(I12\x1b(B", "iso-2022-jp").utf8, "ｱｲ");
    EXPECT_EQ(toUtf8("a\x0e\x31\x0f"
                     "b",
                     "iso-2022-jp")
                  .utf8,
              "aｱb");
}

TEST(CharsetDetection, ReadsEucJpLabelWithMicrosoftExtensions) { EXPECT_EQ(toUtf8("\xad\xe2", "euc-jp").utf8, "№"); }

}  // namespace
}  // namespace complaintd::parsers
