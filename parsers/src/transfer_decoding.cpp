// Transfer decoding. Debian's mimetic 0.9.8 base64 codec reads out of bounds,
// so bodies are decoded here with Poco, after cleaning the input into the
// strict form Poco's decoders accept (they throw on anything else).
#include "transfer_decoding.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Net/QuotedPrintableDecoder.h>

#include <exception>
#include <iterator>
#include <sstream>

#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool isHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Ends a run of base64 characters as a whole padded quantum; a lone trailing
// character carries no full byte and is dropped.
bool closeQuantum(std::string& out, std::size_t& runLength) {
    bool damaged = false;
    if (runLength % 4 == 1) {
        out.pop_back();
        --runLength;
        damaged = true;
    }
    while (runLength % 4 != 0) {
        out += '=';
        ++runLength;
    }
    runLength = 0;
    return damaged;
}

// True for a line that is prose rather than damaged base64: a mailing-list
// footer or signature appended after the encoded data.
bool isTextLine(std::string_view line) {
    line = trimWhitespace(line);
    std::size_t foreign = 0;
    for (char c : line) {
        if (c == ' ' || c == '\t') return true;
        if (!isBase64Char(c) && c != '=') ++foreign;
    }
    return foreign * 4 > line.size();
}

// Keeps the alphabet, drops line breaks and stray characters, repairs padding
// and stops at text appended after the data. Padding in the middle ends one
// quantum run: some senders concatenate separately encoded blobs.
std::string cleanBase64(std::string_view body, bool& damaged) {
    std::string out;
    out.reserve(body.size());
    std::size_t runLength = 0;
    for (std::size_t start = 0; start < body.size();) {
        std::size_t end = body.find_first_of("\r\n", start);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view line = body.substr(start, end - start);
        start = end + 1;
        if (isTextLine(line)) {
            damaged = true;
            if (!out.empty()) break;
            continue;
        }
        for (char c : line) {
            if (isBase64Char(c)) {
                out += c;
                ++runLength;
            } else if (c == '=') {
                if (runLength > 0) damaged |= closeQuantum(out, runLength);
            } else if (!isMailWhitespace(c)) {
                damaged = true;
            }
        }
    }
    if (runLength > 0) damaged |= closeQuantum(out, runLength);
    return out;
}

TransferDecoded decodeBase64(std::string_view body) {
    TransferDecoded result;
    bool damaged = false;
    std::istringstream in(cleanBase64(body, damaged));
    Poco::Base64Decoder decoder(in);
    try {
        result.data.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
        damaged = true;  // keep what was decoded before the fault
    }
    if (damaged) result.problem = "damaged base64";
    return result;
}

// Cleans one quoted-printable line (without its line end): trailing blanks go
// (RFC 2045 6.7), a '=' that starts no escape becomes "=3D". Returns true for
// a soft line break.
bool cleanQpLine(std::string_view line, std::string& out, bool& damaged) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    const bool soft = !line.empty() && line.back() == '=';
    if (soft) line.remove_suffix(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        const bool escape = line[i] == '=' && i + 2 < line.size() && isHexDigit(line[i + 1]) && isHexDigit(line[i + 2]);
        if (line[i] == '=' && !escape) {
            out += "=3D";
            damaged = true;
        } else {
            out += line[i];
        }
    }
    return soft;
}

std::string cleanQuotedPrintable(std::string_view body, bool& damaged) {
    std::string out;
    out.reserve(body.size() + body.size() / 8);
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find_first_of("\r\n", start);
        const bool hasEnd = end != std::string_view::npos;
        if (!hasEnd) end = body.size();
        const bool soft = cleanQpLine(body.substr(start, end - start), out, damaged);
        std::size_t next = end;
        if (hasEnd) next += (body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n') ? 2 : 1;
        if (soft) {
            out += "=\n";
        } else if (hasEnd) {
            out += "\r\n";
        }
        start = next;
    }
    return out;
}

TransferDecoded decodeQuotedPrintable(std::string_view body) {
    TransferDecoded result;
    bool damaged = false;
    std::istringstream in(cleanQuotedPrintable(body, damaged));
    Poco::Net::QuotedPrintableDecoder decoder(in);
    try {
        result.data.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
        damaged = true;
    }
    if (damaged) result.problem = "damaged quoted-printable";
    return result;
}

bool isIdentityEncoding(const std::string& name) {
    return name.empty() || name == "7bit" || name == "8bit" || name == "binary" || name == "7-bit" || name == "8-bit";
}

}  // namespace

std::string normaliseEncodingName(std::string_view encoding) {
    encoding = trimWhitespace(encoding.substr(0, encoding.find(';')));
    std::string name;
    for (char c : encoding) {
        if (c == '"') continue;
        name += (c == ' ' || c == '\t' || c == '_') ? '-' : c;
    }
    return asciiLower(name);
}

TransferDecoded decodeTransfer(std::string_view body, std::string_view encoding) {
    const std::string name = normaliseEncodingName(encoding);
    if (name == "base64") return decodeBase64(body);
    if (name == "quoted-printable") return decodeQuotedPrintable(body);
    TransferDecoded result{std::string(body), {}};
    if (!isIdentityEncoding(name)) result.problem = "unsupported transfer encoding \"" + repairUtf8(name) + "\"";
    return result;
}

}  // namespace complaintd::parsers::detail
