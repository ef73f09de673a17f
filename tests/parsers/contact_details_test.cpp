#include "parsers/contact_details.h"

#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "parsers/mime_parser.h"

namespace complaintd::parsers {
namespace {

using Strings = std::vector<std::string>;

Strings phonesIn(std::string_view text) { return extractContactDetails(text, "").phones; }

TEST(ContactDetails, NormalisesLandlineForms) {
    EXPECT_EQ(phonesIn("電話 06-5050123"), Strings{"06-5050123"});
    EXPECT_EQ(phonesIn("電話(06)505-0123。"), Strings{"06-5050123"});
    EXPECT_EQ(phonesIn("tel: (06) 505 0123"), Strings{"06-5050123"});
    EXPECT_EQ(phonesIn("02-2345-6789"), Strings{"02-23456789"});
    EXPECT_EQ(phonesIn("04-22345678 and 04-7123456"), (Strings{"04-22345678", "04-7123456"}));
    EXPECT_EQ(phonesIn("苗栗 037-123456"), Strings{"037-123456"});
    EXPECT_EQ(phonesIn("金門 0826-12345"), Strings{"0826-12345"});
}

TEST(ContactDetails, NormalisesMobileAndInternationalForms) {
    EXPECT_EQ(phonesIn("手機：0912-345-678"), Strings{"0912-345-678"});
    EXPECT_EQ(phonesIn("手機0912345678"), Strings{"0912-345-678"});
    EXPECT_EQ(phonesIn("+886 912 345 678"), Strings{"0912-345-678"});
    EXPECT_EQ(phonesIn("+886-6-505-0123"), Strings{"06-5050123"});
    EXPECT_EQ(phonesIn("(+886)2-2345-6789"), Strings{"02-23456789"});
    EXPECT_EQ(phonesIn("+886 (0)6 5050123"), Strings{"06-5050123"});
    EXPECT_EQ(phonesIn("免付費 0800-123-456"), Strings{"0800-123456"});
}

TEST(ContactDetails, ReadsFullWidthDigits) { EXPECT_EQ(phonesIn("電話：０６－５０５０１２３"), Strings{"06-5050123"}); }

TEST(ContactDetails, KeepsExtensions) {
    EXPECT_EQ(phonesIn("06-5050123#123"), Strings{"06-5050123#123"});
    EXPECT_EQ(phonesIn("06-5050123 分機 45"), Strings{"06-5050123#45"});
    EXPECT_EQ(phonesIn("(06)5050123轉678"), Strings{"06-5050123#678"});
    EXPECT_EQ(phonesIn("02 2345 6789 ext. 9"), Strings{"02-23456789#9"});
}

TEST(ContactDetails, SplitsNumbersWrittenSideBySide) {
    EXPECT_EQ(phonesIn("06-5050123 0912-345-678"), (Strings{"06-5050123", "0912-345-678"}));
    EXPECT_EQ(phonesIn("06-5050123、0912345678"), (Strings{"06-5050123", "0912-345-678"}));
}

TEST(ContactDetails, SkipsDigitRunsThatAreNotPhoneNumbers) {
    EXPECT_TRUE(phonesIn("案號 115-001，2023-10-03 下午 3 點，金額 12345678 元").empty());
    EXPECT_TRUE(phonesIn("身分證 A123456789，訂單 0012345678，帳號 091234567890").empty());
    EXPECT_TRUE(phonesIn("0912345678@example.tw").empty());
}

TEST(ContactDetails, SeparatesFaxNumbers) {
    const ContactDetails d = extractContactDetails("電話：06-5050123 傳真：06-5050124\nFax (02)2345-6789", "");
    EXPECT_EQ(d.phones, Strings{"06-5050123"});
    EXPECT_EQ(d.faxes, (Strings{"06-5050124", "02-23456789"}));
}

TEST(ContactDetails, FindsPostalAddress) {
    EXPECT_EQ(extractContactDetails("我住在台南市新市區紫楝路100號的旁邊", "").address, "台南市新市區紫楝路100號");
    EXPECT_EQ(extractContactDetails("地址：741臺南市新市區大營里12鄰紫楝路100巷5弄20號5樓之2，謝謝", "").address,
              "741臺南市新市區大營里12鄰紫楝路100巷5弄20號5樓之2");
    EXPECT_EQ(extractContactDetails("住址: 新市區紫楝路１００號", "").address, "新市區紫楝路100號");
    EXPECT_EQ(extractContactDetails("741 台南市新市區紫楝路100號", "").address, "741台南市新市區紫楝路100號");
}

TEST(ContactDetails, IgnoresCityNamesThatAreNotAddresses) {
    EXPECT_EQ(extractContactDetails("台南市政府的回覆太慢了。", "").address, "");
    EXPECT_EQ(extractContactDetails("台南市政府說會處理。我家在台南市東區大學路1號", "").address,
              "台南市東區大學路1號");
}

TEST(ContactDetails, TakesNameFromLabelThenSignatureThenDisplayName) {
    EXPECT_EQ(extractContactDetails("路燈壞了。\n聯絡人：王小明 先生 電話：0912-345-678\n", "Wang").name, "王小明");
    EXPECT_EQ(extractContactDetails("姓名: 陳美玲小姐\n", "").name, "陳美玲");
    EXPECT_EQ(extractContactDetails("Name: Chen Hsiao-ming, resident\n", "").name, "Chen Hsiao-ming");
    EXPECT_EQ(extractContactDetails("請盡快處理。\n\n市民 林大同 敬上\n", "Lin").name, "林大同");
    EXPECT_EQ(extractContactDetails("請盡快處理。", "王小明").name, "王小明");
    EXPECT_EQ(extractContactDetails("請盡快處理。", "wang@example.tw").name, "");
    EXPECT_EQ(extractContactDetails("The name of the road is wrong.", "Wang").name, "Wang");
}

// A signature of a surname and a courtesy title, when the header names nobody: the letter greets them so.
TEST(ContactDetails, TakesATitledSignatureWhenTheHeaderHasNoName) {
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n\n張先生 0912-345-678\n", "").name, "張先生");
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n黃小姐\n", "").name, "黃小姐");
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n歐陽女士 手機：0912-345-678\n", "").name, "歐陽女士");
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n王小明先生\n", "").name, "王小明");
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n林志明敬上\n", "").name, "林志明");
    EXPECT_EQ(extractContactDetails("路燈壞了三天。\n黃小姐\n", "Huang Mei").name, "Huang Mei");  // the header first
    // Words that are no name before a title, and a title inside a sentence, are not taken.
    EXPECT_EQ(extractContactDetails("謝謝各位先生\n", "").name, "");
    EXPECT_EQ(extractContactDetails("謝謝張先生的協助，路燈已修好。\n", "").name, "");
    EXPECT_EQ(extractContactDetails("請轉告陳先生儘快處理\n", "").name, "");
    EXPECT_EQ(extractContactDetails("謝謝林小姐\n", "").name, "");
    EXPECT_EQ(extractContactDetails("謝謝先生\n", "").name, "");
}

TEST(ContactDetails, FindsOrganisation) {
    EXPECT_EQ(extractContactDetails("公司：紫楝科技股份有限公司\n", "").organisation, "紫楝科技股份有限公司");
    EXPECT_EQ(extractContactDetails("客訴人單位: 新市社區發展協會，理事長\n", "").organisation, "新市社區發展協會");
    EXPECT_EQ(extractContactDetails("路燈壞了。\n\n王小明\n紫楝科技有限公司\n06-5050123\n", "").organisation,
              "紫楝科技有限公司");
    EXPECT_EQ(extractContactDetails("我要投訴這家公司\n", "").organisation, "");
    EXPECT_EQ(extractContactDetails("這家公司不理我。", "").organisation, "");
}

TEST(ContactDetails, NoticesRequestsForConfidentiality) {
    EXPECT_TRUE(extractContactDetails("檢舉內容如下，請保密。", "").confidential);
    EXPECT_TRUE(extractContactDetails("我的資料請勿公開", "").confidential);
    EXPECT_TRUE(extractContactDetails("請不要透露我的身分", "").confidential);
    EXPECT_TRUE(extractContactDetails("本人不願具名", "").confidential);
    EXPECT_TRUE(extractContactDetails("Please keep this CONFIDENTIAL.", "").confidential);
    EXPECT_FALSE(extractContactDetails("不需要保密，可以公布我的名字。", "").confidential);
    EXPECT_FALSE(extractContactDetails("路燈不亮。", "").confidential);
}

TEST(ContactDetails, FindsNothingInEmptyOrBinaryText) {
    const ContactDetails d = extractContactDetails(std::string("\0\xff\xfe 0\n", 6), "");
    EXPECT_TRUE(d.phones.empty());
    EXPECT_TRUE(d.address.empty());
    EXPECT_FALSE(d.confidential);
}

TEST(ContactDetails, ParseMessageReadsTheForwardedComplainant) {
    const ParsedMessage m = test_helpers::parseOk(test_helpers::crlf(
        "From: Mayor's Office <office@city.gov.tw>\nSubject: Fwd\nContent-Type: multipart/mixed; boundary=o\n\n"
        "--o\nContent-Type: text/plain; charset=utf-8\n\n轉寄民眾陳情，電話 06-1111111。\n"
        "--o\nContent-Type: message/rfc822\n\n"
        "From: =?utf-8?B?546L5bCP5piO?= <wang@example.tw>\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n"
        "紫楝路路燈不亮。手機 0912-345-678\n--o--\n"));
    EXPECT_EQ(m.contact.name, "王小明");
    EXPECT_EQ(m.contact.phones, Strings{"0912-345-678"});
    EXPECT_FALSE(m.contact.confidential);
}

TEST(ContactDetails, ParseMessageHonoursConfidentialityAskedInTheSubject) {
    EXPECT_TRUE(test_helpers::parseOk(test_helpers::crlf("From: a@b.tw\nSubject: =?utf-8?B?6KuL5L+d5a+G?=\n\nx\n"))
                    .contact.confidential);
}

TEST(ContactDetails, ParseMessageHonoursConfidentialityAskedByTheForwarder) {
    const ParsedMessage m = test_helpers::parseOk(test_helpers::crlf(
        "From: a@b.tw\nContent-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: text/plain; charset=utf-8\n\n"
        "請保密\n--o\nContent-Type: message/rfc822\n\nFrom: c@d.tw\n\ninner\n--o--\n"));
    EXPECT_TRUE(m.contact.confidential);
}

TEST(ContactDetails, KeepsTheFirstTwentyDistinctNumbers) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "電話 0912-" + std::to_string(100000 + i % 100).substr(1) + "0 ";
    const ContactDetails d = extractContactDetails(text, "");
    ASSERT_EQ(d.phones.size(), 20u);
    EXPECT_EQ(d.phones.front(), "0912-000-000");
    EXPECT_EQ(d.phones.back(), "0912-000-190");
}

TEST(ContactDetails, FindsANumberAtTheEndOfALongRunOfDigitGroups) {
    // Hundreds of groups joined by separators are read window by window; a number across the
    // border between two windows is still found, as is one at the very end.
    std::string text;
    for (int i = 0; i < 254; ++i) text += "0 ";
    text += "0912 345 678";
    for (int i = 0; i < 3000; ++i) text += " 0";
    text += " 06-5050123";
    EXPECT_EQ(extractContactDetails(text, "").phones, (Strings{"0912-345-678", "06-5050123"}));
}

}  // namespace
}  // namespace complaintd::parsers
