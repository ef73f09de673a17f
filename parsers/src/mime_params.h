// MIME header parameters (RFC 2045 section 5, RFC 2231). Private.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "charset_detection.h"

namespace complaintd::parsers::detail {

struct MimeParam {
    std::string name;   // lower case, RFC 2231 suffixes kept ("filename*0*")
    std::string value;  // unquoted, still raw bytes
};

using MimeParams = std::vector<MimeParam>;

struct ParameterisedValue {
    std::string token;  // the part before the first ';', lower case, e.g. "attachment"
    MimeParams params;
};

// Splits `attachment; filename="a;b.pdf"; size=3`, honouring quoted strings.
ParameterisedValue parseParameterisedValue(std::string_view raw);

struct DecodedParam {
    std::string utf8;
    bool lossy = false;
    std::string lossyCharset;
    std::string guessedCharset;
};

// The value of parameter `name`, decoded to UTF-8: RFC 2231 continuations and
// charset when present, else RFC 2047 encoded words or raw 8-bit text.
// `guesser` reads 8-bit values without a (working) charset.
std::optional<DecodedParam> decodedParam(const MimeParams& params, std::string_view name,
                                         const CharsetGuesser* guesser = nullptr);

}  // namespace complaintd::parsers::detail
