// Decoding the parts a MIME walk found: the text body of each message (which
// parts, their transfer encoding, their charset, declared or detected) and
// the attachments. Private.
#pragma once

#include <string>
#include <vector>

#include "charset_detection.h"
#include "mime_tree.h"
#include "parsers/mime_parser.h"

namespace complaintd::parsers::detail {

struct ScopeBody {
    std::string text;  // UTF-8, LF line ends
    BodySource source = BodySource::None;
    std::string charset;  // what the text was read in, "" for UTF-8 or ASCII
};

class PartDecoder {
public:
    // Defects go to `defects`, lossy text parts to `undecoded`.
    PartDecoder(const ParseLimits& limits, std::vector<std::string>& defects, std::vector<UndecodedText>& undecoded)
        : limits_(limits), defects_(defects), undecoded_(undecoded) {}

    // The text of one message: the first non-blank plain part and later plain
    // parts that are not alternatives of one taken, else the first non-blank
    // HTML part as text. Only the parts that are needed are decoded. Blocks
    // uuencoded into plain text are kept for attachments().
    ScopeBody bodyOf(const MessageScope& scope);

    // The attachment parts, then the uuencoded blocks, decoded. `guesser`
    // reads file names written in 8-bit without a charset.
    std::vector<Attachment> attachments(const std::vector<AttachmentPart>& parts, const CharsetGuesser& guesser);

private:
    struct DecodedPart {
        std::string text;
        std::string charset;
    };

    struct UuencodedFile {
        std::string part;
        std::string rawName;
        std::string data;
    };

    DecodedPart decodePart(const TextPart& part);
    std::string transferDecoded(std::string_view body, const std::string& encoding, const std::string& part,
                                std::string* uuName = nullptr);
    DecodedPart decodeCharset(std::string bytes, const std::string& declared, const std::string& part);
    Attachment decodeAttachment(const AttachmentPart& part, const CharsetGuesser& guesser);
    void keepWithinLimit(Attachment& attachment);

    const ParseLimits& limits_;
    std::vector<std::string>& defects_;
    std::vector<UndecodedText>& undecoded_;
    std::vector<UuencodedFile> uuencoded_;
};

}  // namespace complaintd::parsers::detail
