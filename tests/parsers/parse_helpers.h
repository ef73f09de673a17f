// Helpers shared by the parser tests: building messages and checking results.
#pragma once

#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <string_view>
#include <variant>

#include "parsers/mime_parser.h"

namespace complaintd::parsers::test_helpers {

// LF line ends to CRLF, as mail travels.
inline std::string crlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// UTF-8 test text in another charset ("BIG5", "SHIFT_JIS"), to build mail as old clients send it.
inline std::string encodeAs(const char* charset, std::string_view utf8) {
    iconv_t cd = iconv_open(charset, "UTF-8");
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t inLeft = utf8.size();
    char* outPtr = out.data();
    std::size_t outLeft = out.size();
    iconv(cd, &in, &inLeft, &outPtr, &outLeft);
    iconv(cd, nullptr, nullptr, &outPtr, &outLeft);
    iconv_close(cd);
    out.resize(out.size() - outLeft);
    return out;
}

inline ParsedMessage parseOk(std::string_view raw, const ParseLimits& limits = {}) {
    ParseResult result = parseMessage(raw, limits);
    if (auto* failure = std::get_if<ParseFailure>(&result)) {
        ADD_FAILURE() << "unexpected ParseFailure: " << failure->reason;
        return {};
    }
    return std::get<ParsedMessage>(std::move(result));
}

inline bool hasDefectContaining(const ParsedMessage& message, std::string_view text) {
    for (const std::string& defect : message.defects) {
        if (defect.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace complaintd::parsers::test_helpers
