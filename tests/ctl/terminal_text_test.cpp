#include "terminal_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace complaintd::ctl {
namespace {

TEST(TerminalText, ShowsC0ControlsInCaretNotationAndKeepsLineEndsAndTabs) {
    EXPECT_EQ(terminalSafe("a\x1b[2Jb\x07\x7f"), "a^[[2Jb^G^?");
    EXPECT_EQ(terminalSafe("line\tone\r\nline two\n"), "line\tone\r\nline two\n");
    EXPECT_EQ(terminalSafe("over\rprint"), "over^Mprint");
    EXPECT_EQ(terminalSafe(std::string("nul\0x", 5)), "nul^@x");
}

TEST(TerminalText, ReplacesC1BidiControlsAndInvalidUtf8) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(terminalSafe("\xc2\x9b"
                           "31m"),
              fffd + "31m");
    EXPECT_EQ(terminalSafe("\xe2\x80\xae"
                           "gpj.exe"),
              fffd + "gpj.exe");
    EXPECT_EQ(terminalSafe("\x9b\xff\xc0\xaf"), fffd + fffd + fffd + fffd);
    EXPECT_EQ(terminalSafe("路燈不亮 é 😀"), "路燈不亮 é 😀");
    EXPECT_EQ(terminalSafe("\xe8\xb7"), fffd + fffd);  // cut in the middle of a character
}

TEST(TerminalText, JsonKeepsItsValueWithControlsEscaped) {
    EXPECT_EQ(jsonSafe("{\"s\": \"a\\u001b\x7f\xc2\x9b\xe2\x80\xae 中\"}"),
              "{\"s\": \"a\\u001b\\u007f\\u009b\\u202e 中\"}");
}

TEST(TerminalText, TheStreamFiltersWhateverIsWrittenLineByLine) {
    std::ostringstream target;
    {
        TerminalSafeStream out(target);
        out << "first\x1b"
            << "[2J\n"
            << "no newline \x07" << std::flush;
        EXPECT_EQ(target.str(), "first^[[2J\nno newline ^G");
        out << "路"
            << "燈\r"
            << "\n";
    }
    EXPECT_EQ(target.str(), "first^[[2J\nno newline ^G路燈\r\n");
}

}  // namespace
}  // namespace complaintd::ctl
