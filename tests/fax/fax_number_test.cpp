#include "fax/fax_number.h"

#include <gtest/gtest.h>

namespace complaintd::fax {
namespace {

TEST(FaxNumber, NormalisesTheWaysGatewaysWriteATainanNumber) {
    for (const char* written : {"06-5050777", "065050777", "(06)505-0777", "06 505 0777", "06.5050777",
                                "+886 6 5050777", "+886-6-5050777", "886-6-5050777", "88665050777", "+886 (0)6 5050777",
                                "+88665050777", "00886 6 5050777", "002 886 6 5050777", "  06-5050777  "})
        EXPECT_EQ(normaliseFaxNumber(written).value_or("none"), "06-5050777") << written;
}

TEST(FaxNumber, WritesEightDigitLocalNumbersWithTwoDashes) {
    EXPECT_EQ(normaliseFaxNumber("0223456789").value_or("none"), "02-2345-6789");
    EXPECT_EQ(normaliseFaxNumber("+886 2 2345 6789").value_or("none"), "02-2345-6789");
    EXPECT_EQ(normaliseFaxNumber("(04)2345-6789").value_or("none"), "04-2345-6789");
}

TEST(FaxNumber, WritesMobilesAsFourThreeThree) {
    EXPECT_EQ(normaliseFaxNumber("0912345678").value_or("none"), "0912-345-678");
    EXPECT_EQ(normaliseFaxNumber("+886 912 345 678").value_or("none"), "0912-345-678");
}

TEST(FaxNumber, KnowsTheThreeAndFourDigitAreaCodes) {
    EXPECT_EQ(normaliseFaxNumber("037123456").value_or("none"), "037-123456");    // Miaoli
    EXPECT_EQ(normaliseFaxNumber("0492345678").value_or("none"), "049-2345678");  // Nantou
    EXPECT_EQ(normaliseFaxNumber("089123456").value_or("none"), "089-123456");    // Taitung
    EXPECT_EQ(normaliseFaxNumber("082123456").value_or("none"), "082-123456");    // Kinmen
    EXPECT_EQ(normaliseFaxNumber("083622345").value_or("none"), "0836-22345");    // Matsu
    EXPECT_EQ(normaliseFaxNumber("047123456").value_or("none"), "04-7123456");    // Changhua, 7 digits
    EXPECT_EQ(normaliseFaxNumber("035123456").value_or("none"), "03-5123456");    // Hsinchu
}

TEST(FaxNumber, ReadsFullWidthDigits) {
    EXPECT_EQ(normaliseFaxNumber("０６－５０５０７７７").value_or("none"), "06-5050777");
    EXPECT_EQ(normaliseFaxNumber("（０６）５０５０７７７").value_or("none"), "06-5050777");
}

TEST(FaxNumber, KeepsOtherCountriesAsPlusAndDigits) {
    EXPECT_EQ(normaliseFaxNumber("+81 3 1234 5678").value_or("none"), "+81312345678");
    EXPECT_EQ(normaliseFaxNumber("0081 3 1234 5678").value_or("none"), "+81312345678");
}

TEST(FaxNumber, DoesNotGuess) {
    for (const char* written : {"", "+", "5050777", "ACME CORP", "06-505077", "06-50507770", "12345", "06-5050777 ext",
                                "0912-345-67", "+0 6 5050777", "06#5050777"})
        EXPECT_FALSE(normaliseFaxNumber(written).has_value()) << written;
}

TEST(FaxNumber, GivesTheDigitsToDial) {
    EXPECT_EQ(nationalDigits("06-5050777"), "065050777");
    EXPECT_EQ(nationalDigits("+81312345678"), "");
    EXPECT_EQ(internationalDigits("06-5050777"), "88665050777");
    EXPECT_EQ(internationalDigits("0912-345-678"), "886912345678");
    EXPECT_EQ(internationalDigits("+81312345678"), "81312345678");
}

}  // namespace
}  // namespace complaintd::fax
