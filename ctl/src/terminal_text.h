// Text from mail made safe for a staff terminal. Subjects, names, bodies and reasons come
// from anyone on the Internet; raw control characters in them could clear the screen, hide
// or fake lines, set the window title or reorder text (ESC sequences, CR, BEL, C1 controls,
// bidi overrides). complaintctl writes all its text through TerminalSafeStream, so every
// command, present and future, is covered in one place.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace complaintd::ctl {

// Newlines, tabs and CRLF line ends stay; other C0 controls and DEL become caret notation
// (ESC is "^[", a lone CR "^M"); C1 controls, bidi controls and invalid UTF-8 become U+FFFD.
std::string terminalSafe(std::string_view text);

// JSON text (as Poco writes it: C0 already escaped) with DEL, C1 and bidi controls escaped as
// \uXXXX too: still valid JSON with the same value, and harmless on a terminal.
std::string jsonSafe(std::string_view json);

// Writes terminalSafe() of what it is given to `target`, line by line.
class TerminalSafeBuffer : public std::streambuf {
public:
    explicit TerminalSafeBuffer(std::ostream& target) : target_(target) {}
    ~TerminalSafeBuffer() override;
    TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
    TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    void writeCompleteLines();

    std::ostream& target_;
    std::string pending_;  // the line not yet ended
};

class TerminalSafeStream : public std::ostream {
public:
    explicit TerminalSafeStream(std::ostream& target) : std::ostream(nullptr), buffer_(target) { rdbuf(&buffer_); }
    ~TerminalSafeStream() override { flush(); }

private:
    TerminalSafeBuffer buffer_;
};

}  // namespace complaintd::ctl
