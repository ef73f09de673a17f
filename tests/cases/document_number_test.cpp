#include "cases/document_number.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

TEST(DocumentNumber, FillsYearAndPaddedSequence) {
    EXPECT_EQ(formatDocumentNumber("樹谷服字第{roc_year}{seq:05}號", 115, 1), "樹谷服字第11500001號");
    EXPECT_EQ(formatDocumentNumber("樹谷服字第{roc_year}{seq:05}號", 116, 123456), "樹谷服字第116123456號");
    EXPECT_EQ(formatDocumentNumber("服{seq}", 115, 42), "服42");
}

TEST(DocumentNumber, PatternNeedsOneSequenceAndKnownPlaceholders) {
    EXPECT_FALSE(documentNumberPatternProblem("樹谷服字第{roc_year}{seq:05}號"));
    EXPECT_FALSE(documentNumberPatternProblem("{roc_year}-{seq}"));
    EXPECT_TRUE(documentNumberPatternProblem("{seq}"));  // would repeat each year
    EXPECT_TRUE(documentNumberPatternProblem("樹谷服字第{roc_year}號"));
    EXPECT_TRUE(documentNumberPatternProblem("{roc_year}{seq}{seq}"));
    EXPECT_TRUE(documentNumberPatternProblem("{year}{seq}"));
    EXPECT_TRUE(documentNumberPatternProblem("{seq:5}"));
    EXPECT_TRUE(documentNumberPatternProblem("{seq"));
    EXPECT_TRUE(documentNumberPatternProblem("seq}"));
}

}  // namespace
}  // namespace complaintd::cases
