#include "parsers/redaction.h"

#include <gtest/gtest.h>

namespace complaintd::parsers {
namespace {

const std::string kMark(kRedactionMark);

KnownIdentity wang() {
    KnownIdentity who;
    who.name = "王小明";
    who.email = "wang@example.org";
    who.phone = "0912-345-678";
    who.address = "台南市新市區紫楝路100號";
    return who;
}

TEST(Redaction, BlanksTheKnownNameWhereverItIsWritten) {
    EXPECT_EQ(redactIdentity("我是王小明，住在附近。", wang()), "我是" + kMark + "，住在附近。");
    EXPECT_EQ(redactIdentity("王先生反映路燈不亮", wang()), kMark + "反映路燈不亮");
}

TEST(Redaction, BlanksPhonesInAnyWrittenFormKnownOrNot) {
    EXPECT_EQ(redactIdentity("手機：0912 345 678", wang()), "手機：" + kMark);
    EXPECT_EQ(redactIdentity("電話（０６）５０５－０１２３分機12。", wang()), "電話" + kMark + "。");
    EXPECT_EQ(redactIdentity("請回電 06-5050123 或 06-5050123", {}), "請回電 " + kMark + " 或 " + kMark);
    EXPECT_EQ(redactIdentity("王小明（0912-345-678）反映", wang()), kMark + "（" + kMark + "）反映");
    EXPECT_EQ(redactIdentity("電話 (06)505-0123", {}), "電話 " + kMark);
}

TEST(Redaction, BlanksEmailAddressesAndPostalAddresses) {
    EXPECT_EQ(redactIdentity("來信 Wang@Example.org.", wang()), "來信 " + kMark + ".");
    EXPECT_EQ(redactIdentity("寄到 lee.x+tag@mail.example.com 謝謝", {}), "寄到 " + kMark + " 謝謝");
    EXPECT_EQ(redactIdentity("地址：台北市中正區重慶南路一段122號3樓，靠近", {}), "地址：" + kMark + "，靠近");
    EXPECT_EQ(redactIdentity("住 741 台南市新市區紫楝路100號", {}), "住 " + kMark);
}

TEST(Redaction, BlanksANameGivenInTheTextAndItsSignature) {
    EXPECT_EQ(redactIdentity("聯絡人：陳大文\n謝謝", {}), "聯絡人：" + kMark + "\n謝謝");
    EXPECT_EQ(redactIdentity("路燈壞了\n林美華 敬上", {}), "路燈壞了\n" + kMark + " 敬上");
}

TEST(Redaction, LeavesOrdinaryTextAndNumbersAlone) {
    const std::string text = "案件 115-001 於 2026-11-30 收文，金額 1500 元，路燈 3 盞。";
    EXPECT_EQ(redactIdentity(text, wang()), text);
    KnownIdentity oneCharacter;
    oneCharacter.name = "王";
    EXPECT_EQ(redactIdentity("王道路口", oneCharacter), "王道路口");
}

TEST(Redaction, TakesANameThatIsNotChineseAsItIs) {
    KnownIdentity who;
    who.name = "（密件）";
    EXPECT_EQ(redactIdentity("（密件）王先生", who), kMark + "王先生");
    who.name = "Anna Lee";
    EXPECT_EQ(redactIdentity("from anna lee, thanks", who), "from " + kMark + ", thanks");
}

TEST(Redaction, MergesOverlappingFindsIntoOneMark) {
    EXPECT_EQ(redactIdentity("王小明0912345678", wang()), kMark);
    EXPECT_EQ(redactIdentity("", wang()), "");
}

TEST(Redaction, StaysLinearOnAHugeText) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "a@b@0912345678 ";
    const auto redacted = redactIdentity(text, wang());
    EXPECT_EQ(redacted.find("0912345678"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::parsers
