// Transfer decoding in one pass over the body, without streams: parsing time is
// mostly spent here on messages with attachments.
#include "transfer_decoding.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr signed char kNotBase64 = -1;

constexpr std::array<signed char, 256> kBase64Values = [] {
    std::array<signed char, 256> table{};
    table.fill(kNotBase64);
    constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
    }
    return table;
}();

int base64Value(char c) { return kBase64Values[static_cast<unsigned char>(c)]; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// Cuts `text` into lines at CRLF, LF or a lone CR. memchr finds the ends:
// this runs over every byte of every encoded attachment.
class LineReader {
public:
    explicit LineReader(std::string_view text) : text_(text), nextLf_(find('\n', 0, text.size())) {}

    bool next(std::string_view& line, bool& hadEnd) {
        if (pos_ >= text_.size()) return false;
        if (nextLf_ < pos_) nextLf_ = find('\n', pos_, text_.size());
        std::size_t end = nextLf_;
        const std::size_t cr = find('\r', pos_, end);  // a lone CR, or the CR of CRLF
        if (cr < end) end = cr;
        line = text_.substr(pos_, end - pos_);
        hadEnd = end < text_.size();
        pos_ = end + (hadEnd && text_[end] == '\r' && end + 1 < text_.size() && text_[end + 1] == '\n' ? 2 : 1);
        return true;
    }

    std::size_t position() const { return std::min(pos_, text_.size()); }
    void seek(std::size_t pos) { pos_ = pos; }

private:
    // Offset of `c` in [from, to), or `to`.
    std::size_t find(char c, std::size_t from, std::size_t to) const {
        const void* found = std::memchr(text_.data() + from, c, to - from);
        return found == nullptr ? to : static_cast<std::size_t>(static_cast<const char*>(found) - text_.data());
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t nextLf_;  // offset of the next LF at or after pos_, or the size
};

// Writes base64 quanta into a buffer sized for the whole body. Padding in
// the middle ends one quantum run: some senders concatenate separately
// encoded blobs.
class Base64Output {
public:
    explicit Base64Output(std::size_t maxBytes) : buffer_(maxBytes + 3, '\0'), out_(buffer_.data()) {}

    // Four characters at a time while they are all in the alphabet: the
    // common case of a full line.
    std::size_t addQuads(std::string_view line) {
        if (count_ != 0) return 0;
        std::size_t i = 0;
        for (; i + 4 <= line.size(); i += 4) {
            const int a = base64Value(line[i]), b = base64Value(line[i + 1]);
            const int c = base64Value(line[i + 2]), d = base64Value(line[i + 3]);
            if ((a | b | c | d) < 0) break;
            const unsigned bits = (unsigned(a) << 18) | (unsigned(b) << 12) | (unsigned(c) << 6) | unsigned(d);
            *out_++ = static_cast<char>(bits >> 16);
            *out_++ = static_cast<char>(bits >> 8);
            *out_++ = static_cast<char>(bits);
        }
        return i;
    }

    void add(int value) {
        bits_ = (bits_ << 6) | static_cast<unsigned>(value);
        if (++count_ == 4) {
            *out_++ = static_cast<char>(bits_ >> 16);
            *out_++ = static_cast<char>(bits_ >> 8);
            *out_++ = static_cast<char>(bits_);
            count_ = 0;
            bits_ = 0;
        }
    }

    // At padding or the end: emits the bytes of a partial quantum. Returns
    // true when a lone character was dropped (it carries no whole byte).
    bool close() {
        const bool damaged = count_ == 1;
        if (count_ == 2) *out_++ = static_cast<char>(bits_ >> 4);
        if (count_ == 3) {
            *out_++ = static_cast<char>(bits_ >> 10);
            *out_++ = static_cast<char>(bits_ >> 2);
        }
        count_ = 0;
        bits_ = 0;
        return damaged;
    }

    std::string finish() {
        buffer_.resize(static_cast<std::size_t>(out_ - buffer_.data()));
        return std::move(buffer_);
    }

    // To take back a line that turned out to be prose after all.
    struct State {
        char* out;
        unsigned bits;
        int count;
    };
    State state() const { return {out_, bits_, count_}; }
    void restore(const State& state) {
        out_ = state.out;
        bits_ = state.bits;
        count_ = state.count;
    }

private:
    std::string buffer_;
    char* out_;
    unsigned bits_ = 0;
    int count_ = 0;
};

bool isBase64Line(std::string_view line) {
    for (char c : line) {
        if (base64Value(c) == kNotBase64 && c != '=') return false;
    }
    return true;
}

// True for a line that is prose rather than damaged base64: a mailing-list
// footer or signature appended after the encoded data.
bool isTextLine(std::string_view line) {
    line = trimWhitespace(line);
    std::size_t foreign = 0;
    for (char c : line) {
        if (c == ' ' || c == '\t') return true;
        if (base64Value(c) == kNotBase64 && c != '=') ++foreign;
    }
    return foreign * 4 > line.size();
}

TransferDecoded decodeBase64(std::string_view body) {
    Base64Output output(body.size() / 4 * 3);
    bool damaged = false;
    bool sawData = false;
    LineReader lines(body);
    std::string_view line;
    bool hadEnd = false;
    while (lines.next(line, hadEnd)) {
        const Base64Output::State before = output.state();
        const std::size_t quads = output.addQuads(line);  // the whole of a clean line
        if (quads == line.size()) {
            sawData |= quads > 0;
            continue;
        }
        if (!isBase64Line(line) && isTextLine(line)) {
            output.restore(before);
            damaged = true;
            if (sawData) break;
            continue;
        }
        sawData |= quads > 0;
        for (char c : line.substr(quads)) {
            const int value = base64Value(c);
            if (value != kNotBase64) {
                output.add(value);
                sawData = true;
            } else if (c == '=') {
                damaged |= output.close();
            } else if (!isMailWhitespace(c)) {
                damaged = true;
            }
        }
    }
    damaged |= output.close();
    return {output.finish(), damaged ? "damaged base64" : "", {}};
}

// Appends one quoted-printable line (without its line end). Trailing blanks go
// (RFC 2045 6.7); a '=' that starts no escape is kept as written. Returns true
// for a soft line break.
bool decodeQpLine(std::string_view line, std::string& out, bool& damaged) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    const bool soft = !line.empty() && line.back() == '=';
    if (soft) line.remove_suffix(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c != '=') {
            out += c;
            continue;
        }
        const int high = i + 2 < line.size() ? hexValue(line[i + 1]) : -1;
        const int low = high >= 0 ? hexValue(line[i + 2]) : -1;
        if (low < 0) {
            out += '=';
            damaged = true;
            continue;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return soft;
}

TransferDecoded decodeQuotedPrintable(std::string_view body) {
    TransferDecoded result;
    result.data.reserve(body.size());
    bool damaged = false;
    LineReader lines(body);
    std::string_view line;
    bool hadEnd = false;
    while (lines.next(line, hadEnd)) {
        const bool soft = decodeQpLine(line, result.data, damaged);
        if (!soft && hadEnd) result.data += "\r\n";
    }
    if (damaged) result.problem = "damaged quoted-printable";
    return result;
}

bool isIdentityEncoding(const std::string& name) {
    for (std::string_view identity : {"", "7bit", "8bit", "binary", "7-bit", "8-bit", "7bits", "8bits"}) {
        if (name == identity) return true;
    }
    return false;
}

bool isUuencodeName(const std::string& name) {
    return name == "x-uuencode" || name == "uuencode" || name == "x-uue" || name == "uue";
}

// "begin 644 name": returns the name, or nothing when `line` is not a begin line.
bool parseBeginLine(std::string_view line, std::string& fileName) {
    if (line.substr(0, 6) != "begin ") return false;
    std::size_t i = 6;
    while (i < line.size() && line[i] >= '0' && line[i] <= '7') ++i;
    if (i - 6 < 3 || i - 6 > 4 || i >= line.size() || line[i] != ' ') return false;
    fileName = std::string(trimWhitespace(line.substr(i + 1)));
    return !fileName.empty();
}

// Appends the bytes of one uuencoded line. Encoders that strip trailing blanks
// leave lines short; the missing characters are read as zero.
bool decodeUuLine(std::string_view line, std::string& out) {
    if (line.empty()) return true;
    const auto value = [](char c) { return static_cast<unsigned>(c - ' ') & 0x3F; };
    const unsigned length = value(line[0]);
    bool clean = true;
    unsigned written = 0;
    for (std::size_t i = 1; written < length; i += 4) {
        unsigned group = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = i + k < line.size() ? line[i + k] : ' ';
            clean &= c >= ' ' && c <= '`';
            group = (group << 6) | value(c);
        }
        for (int shift = 16; shift >= 0 && written < length; shift -= 8, ++written) {
            out += static_cast<char>(group >> shift);
        }
    }
    return clean;
}

struct UuScan {
    UuencodedBlock block;
    std::size_t end = 0;  // offset after the "end" line, or the text's size
    bool foundEnd = false;
};

// Decodes from the line after a begin line at `start` to the "end" line.
UuScan scanUuBlock(std::string_view text, std::size_t start, std::string fileName) {
    UuScan scan;
    scan.block.fileName = std::move(fileName);
    LineReader lines(text.substr(start));
    std::string_view line;
    bool hadEnd = false;
    while (lines.next(line, hadEnd)) {
        if (trimWhitespace(line) == "end") {
            scan.foundEnd = true;
            break;
        }
        scan.block.damaged |= !decodeUuLine(line, scan.block.data);
    }
    scan.end = start + lines.position();
    scan.block.damaged |= !scan.foundEnd;
    return scan;
}

TransferDecoded decodeUuencode(std::string_view body) {
    LineReader lines(body);
    std::string_view line;
    bool hadEnd = false;
    std::string fileName;
    while (lines.next(line, hadEnd)) {
        if (!parseBeginLine(line, fileName)) continue;
        UuScan scan = scanUuBlock(body, lines.position(), std::move(fileName));
        return {std::move(scan.block.data), scan.block.damaged ? "damaged uuencode" : "",
                std::move(scan.block.fileName)};
    }
    return {std::string(body), "uuencoded part without a begin line", {}};
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
    if (isUuencodeName(name)) return decodeUuencode(body);
    TransferDecoded result{std::string(body), {}, {}};
    if (!isIdentityEncoding(name)) result.problem = "unsupported transfer encoding \"" + repairUtf8(name) + "\"";
    return result;
}

UuencodeSplit splitUuencoded(std::string_view text) {
    UuencodeSplit split;
    if (text.find("begin ") == std::string_view::npos) {
        split.text = std::string(text);
        return split;
    }
    LineReader lines(text);
    std::string_view line;
    bool hadEnd = false;
    std::size_t copied = 0;  // text before this offset is already in split.text
    std::size_t lineStart = 0;
    std::string fileName;
    while (lines.next(line, hadEnd)) {
        if (parseBeginLine(line, fileName)) {
            UuScan scan = scanUuBlock(text, lines.position(), std::move(fileName));
            if (!scan.foundEnd) break;
            split.text.append(text.substr(copied, lineStart - copied));
            split.blocks.push_back(std::move(scan.block));
            copied = scan.end;
            lines.seek(scan.end);
        }
        lineStart = lines.position();
    }
    split.text.append(text.substr(copied));
    return split;
}

}  // namespace complaintd::parsers::detail
