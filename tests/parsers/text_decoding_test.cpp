#include "parsers/text_decoding.h"

#include <gtest/gtest.h>

#include <string>

namespace complaintd::parsers {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

// --- toUtf8 ---------------------------------------------------------------

TEST(TextDecoding, ConvertsBig5ToUtf8) {
    const DecodedText text = toUtf8("\xb8\xf4\xbf\x4f", "big5");
    EXPECT_EQ(text.utf8, "路燈");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, ReadsBig5AsCp950ForItsExtensions) {
    // 0xF9F9 is a box-drawing character that CP950 has and plain Big5 lacks.
    const DecodedText text = toUtf8("\xf9\xf9", "BIG5");
    EXPECT_EQ(text.utf8, "═");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, FallsBackToHkscsForCharactersCp950Lacks) {
    const DecodedText text = toUtf8("\xb8\xf4\x88\x62", "big5");
    EXPECT_FALSE(text.lossy);
    EXPECT_EQ(text.utf8.substr(0, 3), "路");
    EXPECT_EQ(text.utf8.find(kReplacement), std::string::npos);
}

TEST(TextDecoding, AcceptsBig5LabelVariants) {
    for (const char* label : {"Big5", "big-5", "CN-BIG5", "x-x-big5"}) {
        EXPECT_EQ(toUtf8("\xb8\xf4", label).utf8, "路") << label;
    }
}

TEST(TextDecoding, ReadsGb2312LabelAsGb18030) {
    EXPECT_EQ(toUtf8("\xc2\xb7\xb5\xc6", "gb2312").utf8, "路灯");
    // 0x8140 is GBK only; senders label GBK text "gb2312" all the time.
    const DecodedText gbkOnly = toUtf8("\x81\x40", "GB2312");
    EXPECT_EQ(gbkOnly.utf8, "丂");
    EXPECT_FALSE(gbkOnly.lossy);
}

TEST(TextDecoding, ReadsKsc5601LabelAsCp949) { EXPECT_EQ(toUtf8("\xb0\xa1", "ks_c_5601-1987").utf8, "가"); }

TEST(TextDecoding, ConvertsIso88591) {
    const DecodedText text = toUtf8("caf\xe9 cr\xe8me", "ISO-8859-1");
    EXPECT_EQ(text.utf8, "café crème");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, TreatsUnknownAndEmptyLabelsAsUtf8) {
    EXPECT_EQ(toUtf8("路燈", "x-no-such-charset").utf8, "路燈");
    EXPECT_EQ(toUtf8("路燈", "").utf8, "路燈");
    EXPECT_EQ(toUtf8("路燈", "utf8").utf8, "路燈");
    EXPECT_FALSE(toUtf8("路燈", "").lossy);
}

TEST(TextDecoding, FlagsInvalidUtf8AsLossyAndReplacesIt) {
    const DecodedText text = toUtf8("ok \xff\xfe end", "utf-8");
    EXPECT_TRUE(text.lossy);
    EXPECT_EQ(text.utf8, "ok " + kReplacement + kReplacement + " end");
}

TEST(TextDecoding, FlagsInvalidBig5AsLossyAndContinues) {
    const DecodedText text = toUtf8("\xb8\xf4\xff\xb8\xf4", "big5");
    EXPECT_TRUE(text.lossy);
    EXPECT_EQ(text.utf8, "路" + kReplacement + "路");
}

TEST(TextDecoding, FlagsTruncatedMultiByteCharacterAsLossy) {
    const DecodedText text = toUtf8("\xb8\xf4\xb8", "big5");
    EXPECT_TRUE(text.lossy);
    EXPECT_EQ(text.utf8, "路" + kReplacement);
}

// --- decodeHeaderValue ----------------------------------------------------

TEST(TextDecoding, DecodesBig5EncodedSubject) {
    const DecodedText text = decodeHeaderValue("=?big5?B?uPS/Tw==?=");
    EXPECT_EQ(text.utf8, "路燈");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, TreatsCharsetAndEncodingLettersCaseInsensitively) {
    EXPECT_EQ(decodeHeaderValue("=?BIG5?b?uPS/Tw==?=").utf8, "路燈");
    EXPECT_EQ(decodeHeaderValue("=?Utf-8?q?=E8=B7=AF?=").utf8, "路");
}

TEST(TextDecoding, JoinsUtf8CharacterSplitAcrossEncodedWords) {
    EXPECT_EQ(decodeHeaderValue("=?utf-8?B?6Lc=?= =?utf-8?B?rw==?=").utf8, "路");
}

TEST(TextDecoding, JoinsBig5CharacterSplitAcrossEncodedWords) {
    const DecodedText text = decodeHeaderValue("=?big5?Q?=B8?=\t=?BIG5?Q?=F4=BF=4F?=");
    EXPECT_EQ(text.utf8, "路燈");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, DropsWhitespaceBetweenAdjacentEncodedWords) {
    EXPECT_EQ(decodeHeaderValue("=?utf-8?Q?a?=   =?iso-8859-1?Q?b?=").utf8, "ab");
}

TEST(TextDecoding, KeepsWhitespaceBetweenEncodedWordAndText) {
    EXPECT_EQ(decodeHeaderValue("Re: =?utf-8?Q?a?= b =?utf-8?Q?c?=").utf8, "Re: a b c");
}

TEST(TextDecoding, DecodesQEncodingWithUnderscoresAsSpaces) {
    EXPECT_EQ(decodeHeaderValue("=?iso-8859-1?Q?Caf=E9_au_lait?=").utf8, "Café au lait");
}

TEST(TextDecoding, DecodesGb2312EncodedWord) { EXPECT_EQ(decodeHeaderValue("=?GB2312?B?wre1xg==?=").utf8, "路灯"); }

TEST(TextDecoding, ToleratesRfc2231LanguageSuffixInCharset) {
    EXPECT_EQ(decodeHeaderValue("=?utf-8*en?Q?hello_there?=").utf8, "hello there");
    EXPECT_EQ(decodeHeaderValue("=?US-ASCII*EN?Q?Keith_Moore?=").utf8, "Keith Moore");
}

TEST(TextDecoding, ForgivesMissingBase64Padding) { EXPECT_EQ(decodeHeaderValue("=?big5?B?uPS/Tw?=").utf8, "路燈"); }

TEST(TextDecoding, LeavesMalformedEncodedWordsAsText) {
    EXPECT_EQ(decodeHeaderValue("=?utf-8?B?Q?=").utf8, "=?utf-8?B?Q?=");        // impossible length
    EXPECT_EQ(decodeHeaderValue("=?utf-8?B?6L*c?=").utf8, "=?utf-8?B?6L*c?=");  // bad character
    EXPECT_EQ(decodeHeaderValue("=?utf-8?Q?abc").utf8, "=?utf-8?Q?abc");        // no closing ?=
    EXPECT_EQ(decodeHeaderValue("=?utf-8?X?abc?=").utf8, "=?utf-8?X?abc?=");    // unknown encoding
    EXPECT_EQ(decodeHeaderValue("a =? b ?= c").utf8, "a =? b ?= c");
}

TEST(TextDecoding, DecodesWordAfterAnUnterminatedOne) {
    EXPECT_EQ(decodeHeaderValue("=?utf-8?Q?abc =?utf-8?Q?d?=").utf8, "=?utf-8?Q?abc d");
}

TEST(TextDecoding, TakesUnencoded8BitHeaderTextAsUtf8) {
    const DecodedText text = decodeHeaderValue("路燈不亮");
    EXPECT_EQ(text.utf8, "路燈不亮");
    EXPECT_FALSE(text.lossy);
}

TEST(TextDecoding, FlagsUnencodedNonUtf8HeaderBytesAsLossy) {
    const DecodedText text = decodeHeaderValue("\xb8\xf4\xbf\x4f lamp");
    EXPECT_TRUE(text.lossy);
    EXPECT_NE(text.utf8.find(kReplacement), std::string::npos);
    EXPECT_NE(text.utf8.find(" lamp"), std::string::npos);
}

TEST(TextDecoding, FlagsEncodedWordWithUndecodableBytesAsLossy) {
    EXPECT_TRUE(decodeHeaderValue("=?big5?Q?=FF=FF?=").lossy);
}

TEST(TextDecoding, DecodesUnknownCharsetWordAsUtf8) { EXPECT_EQ(decodeHeaderValue("=?x-unknown?Q?abc?=").utf8, "abc"); }

// --- htmlToText -------------------------------------------------------------

TEST(TextDecoding, HtmlToTextDropsScriptStyleAndHead) {
    const std::string text = htmlToText(
        "<html><head><title>T</title><style>p{color:red}</style></head>"
        "<body><script>alert(1)</script><p>路燈不亮</p></body></html>");
    EXPECT_EQ(text, "路燈不亮");
}

TEST(TextDecoding, HtmlToTextBreaksLinesAtBlocksAndBr) {
    EXPECT_EQ(htmlToText("<div>one</div><div>two<br>three</div><p>four</p><ul><li>a</li><li>b</li></ul>"),
              "one\ntwo\nthree\n\nfour\n\na\nb");
}

TEST(TextDecoding, HtmlToTextDecodesEntities) {
    EXPECT_EQ(htmlToText("<p>a &amp; b &lt;c&gt; &#x8def;&#29128;&nbsp;x</p>"), "a & b <c> 路燈 x");
}

TEST(TextDecoding, HtmlToTextSeparatesTableCells) {
    EXPECT_EQ(htmlToText("<table><tr><td>地址</td><td>中正路</td></tr><tr><td>a</td><td>b</td></tr></table>"),
              "地址\t中正路\na\tb");
}

TEST(TextDecoding, HtmlToTextCollapsesBlankLinesAndWhitespace) {
    EXPECT_EQ(htmlToText("  <p>a   b\n c</p><p></p><p></p><br><br><br><p>d</p>  "), "a b c\n\nd");
}

TEST(TextDecoding, HtmlToTextKeepsPreformattedText) { EXPECT_EQ(htmlToText("<pre>a  b\n  c</pre>"), "a  b\n  c"); }

TEST(TextDecoding, HtmlToTextIgnoresMetaCharsetOfConvertedInput) {
    EXPECT_EQ(htmlToText("<html><head><meta charset=\"big5\"></head><body>路燈</body></html>"), "路燈");
}

TEST(TextDecoding, HtmlToTextSurvivesDeepNestingAndBrokenMarkup) {
    std::string html;
    for (int i = 0; i < 100; ++i) html += "<div><span>";
    EXPECT_EQ(htmlToText(html + "deep"), "deep");
    // libxml2 drops what lies below its depth limit (256); it must not crash.
    for (int i = 0; i < 20000; ++i) html += "<div><span>";
    EXPECT_NO_THROW(htmlToText(html + "deeper"));
    EXPECT_EQ(htmlToText("<p>unclosed <b>bold <i>text"), "unclosed bold text");
    EXPECT_EQ(htmlToText(""), "");
    EXPECT_EQ(htmlToText("plain words"), "plain words");
}

TEST(HtmlToText, KeepsTheTextAfterATagWithTooManyAttributes) {
    // libxml2 compares every attribute with all before it: this tag took hours before it was cut.
    std::string html = "<p title=\"a b\"";
    for (int i = 0; i < 200000; ++i) html += " a" + std::to_string(i) + "=1";
    html += " title=\"open>路燈不亮</p><p>第二段</p>";
    const std::string text = htmlToText(html);
    EXPECT_NE(text.find("第二段"), std::string::npos) << text.substr(0, 200);
}

}  // namespace
}  // namespace complaintd::parsers
