#include "fax/ocr_text.h"

#include <gtest/gtest.h>

namespace complaintd::fax {
namespace {

TEST(OcrText, RemovesSpacesBetweenCjkCharacters) {
    EXPECT_EQ(tidyOcrText("紫 楝 路 路 燈 不 亮"), "紫楝路路燈不亮");
    EXPECT_EQ(tidyOcrText("請 派 員 修 理 。"), "請派員修理。");
    EXPECT_EQ(tidyOcrText("路\u3000燈"), "路燈");
}

TEST(OcrText, KeepsSpacesAroundLatinAndDigits) {
    EXPECT_EQ(tidyOcrText("Shugu Precision Co., Ltd."), "Shugu Precision Co., Ltd.");
    EXPECT_EQ(tidyOcrText("聯 絡 電 話 06-5050123"), "聯絡電話 06-5050123");
    EXPECT_EQ(tidyOcrText("E-mail: chen@example.com.tw"), "E-mail: chen@example.com.tw");
}

TEST(OcrText, JoinsAWordBrokenAtTheLineEnd) {
    EXPECT_EQ(tidyOcrText("紫楝路路\n燈不亮"), "紫楝路路燈不亮");
    EXPECT_EQ(tidyOcrText("紫楝路路燈\n\n請修理"), "紫楝路路燈\n\n請修理");  // a paragraph stays
    EXPECT_EQ(tidyOcrText("Street\nlight"), "Street\nlight");
}

TEST(OcrText, WidensAsciiPunctuationAfterCjk) {
    EXPECT_EQ(tidyOcrText("不亮, 晚上很危險, 請修理"), "不亮，晚上很危險，請修理");
    EXPECT_EQ(tidyOcrText("聯絡人: 陳大文"), "聯絡人：陳大文");
    EXPECT_EQ(tidyOcrText("Co., Ltd."), "Co., Ltd.");
}

TEST(OcrText, TidiesLinesAndBlankLines) {
    EXPECT_EQ(tidyOcrText("\n\n  first  \n\n\n\nsecond\t\n\n"), "  first\n\nsecond");
    EXPECT_EQ(tidyOcrText(""), "");
}

TEST(OcrText, PassesInvalidUtf8Through) { EXPECT_EQ(tidyOcrText("a\xFF b \xE8\xB7"), "a\xFF b \xE8\xB7"); }

}  // namespace
}  // namespace complaintd::fax
