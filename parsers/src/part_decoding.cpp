#include "part_decoding.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "header_text.h"
#include "parsers/text_decoding.h"
#include "text_util.h"
#include "transfer_decoding.h"

namespace complaintd::parsers::detail {

namespace {

bool isBlank(std::string_view text) { return trimWhitespace(text).empty(); }

// Labels read as UTF-8; the body charset reports them as "".
bool isUtf8Label(std::string_view label) {
    return label.empty() || label == "utf-8" || label == "utf8" || label == "us-ascii" || label == "ascii" ||
           label == "unicode-1-1-utf-8";
}

std::string reportedCharset(const std::string& label) { return isUtf8Label(label) ? std::string() : label; }

// A charset for HTML sent without one in Content-Type: its <meta> declaration.
std::string metaCharset(std::string_view html) {
    const std::string head = asciiLower(html.substr(0, 4096));
    const std::size_t pos = head.find("charset=");
    if (pos == std::string::npos) return {};
    std::size_t start = pos + 8;
    while (start < head.size() && (head[start] == '"' || head[start] == '\'')) ++start;
    std::size_t end = start;
    while (end < head.size() &&
           (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' || head[end] == '_')) {
        ++end;
    }
    return head.substr(start, end - start);
}

void appendParagraph(std::string& body, std::string_view more) {
    if (!body.empty() && body.back() != '\n') body += '\n';
    body += '\n';
    body += more;
}

// Index of the part whose text leads the body: the first non-blank plain
// part, else the first non-blank HTML part, else a blank one.
template <typename TextOf>
std::optional<std::size_t> leadingPart(const std::vector<TextPart>& texts, TextOf&& textOf) {
    for (bool html : {false, true}) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (texts[i].html == html && !isBlank(textOf(i).text)) return i;
        }
    }
    if (texts.empty()) return std::nullopt;
    const auto plain = std::find_if(texts.begin(), texts.end(), [](const TextPart& t) { return !t.html; });
    return plain == texts.end() ? 0 : static_cast<std::size_t>(plain - texts.begin());
}

}  // namespace

ScopeBody PartDecoder::bodyOf(const MessageScope& scope) {
    const std::vector<TextPart>& texts = scope.texts;
    std::vector<std::optional<DecodedPart>> decoded(texts.size());
    const auto textOf = [&](std::size_t i) -> const DecodedPart& {
        if (!decoded[i]) decoded[i] = decodePart(texts[i]);
        return *decoded[i];
    };
    const std::optional<std::size_t> lead = leadingPart(texts, textOf);
    if (!lead) return {};
    const bool html = texts[*lead].html;
    ScopeBody body{textOf(*lead).text, html ? BodySource::Html : BodySource::Plain, textOf(*lead).charset};
    // Later parts of the same kind follow, unless they are another version
    // (multipart/alternative) of a part already taken.
    std::vector<int> takenAlternatives{texts[*lead].alternative};
    for (std::size_t i = *lead + 1; i < texts.size(); ++i) {
        const int alternative = texts[i].alternative;
        if (texts[i].html != html) continue;
        if (alternative >= 0 && std::count(takenAlternatives.begin(), takenAlternatives.end(), alternative) > 0) {
            continue;
        }
        if (isBlank(textOf(i).text)) continue;
        appendParagraph(body.text, textOf(i).text);
        takenAlternatives.push_back(alternative);
    }
    return body;
}

PartDecoder::DecodedPart PartDecoder::decodePart(const TextPart& part) {
    std::string bytes = transferDecoded(part.body, part.encoding, part.label);
    if (!part.html && bytes.find("begin ") != std::string::npos) {
        UuencodeSplit split = splitUuencoded(bytes);
        for (UuencodedBlock& block : split.blocks) {
            if (block.damaged) defects_.push_back("damaged uuencode in part " + part.label);
            uuencoded_.push_back({part.label, std::move(block.fileName), std::move(block.data)});
        }
        bytes = std::move(split.text);
    }
    std::string declared = canonicalCharset(decodedParam(part.typeParams, "charset").value_or(DecodedParam{}).utf8);
    if (declared.empty() && part.html) declared = metaCharset(bytes);
    DecodedPart result = decodeCharset(std::move(bytes), declared, part.label);
    result.text = normaliseLineEnds(result.text);
    if (part.html) result.text = htmlToText(result.text);
    return result;
}

std::string PartDecoder::transferDecoded(std::string_view body, const std::string& encoding, const std::string& part,
                                         std::string* uuName) {
    TransferDecoded decoded = decodeTransfer(body, encoding);
    if (!decoded.problem.empty()) defects_.push_back(decoded.problem + " in part " + part);
    if (uuName != nullptr) *uuName = std::move(decoded.fileName);
    return std::move(decoded.data);
}

// The declared charset first; when it is missing or loses bytes, a detected
// one that reads them all. Loss that nothing avoids is a defect, and the
// part's bytes are kept as sent.
PartDecoder::DecodedPart PartDecoder::decodeCharset(std::string bytes, const std::string& declared,
                                                    const std::string& part) {
    DecodedText text;
    if (declared.empty() && isValidUtf8(bytes)) return {std::move(bytes), ""};
    if (!declared.empty()) {
        text = toUtf8(bytes, declared);
        if (!text.lossy) return {std::move(text.utf8), reportedCharset(declared)};
    }
    const CharsetGuesser guesser = declared.empty() ? CharsetGuesser::forUnlabelled("", bytes)
                                                    : CharsetGuesser::forMislabelledBody(bytes, declared);
    if (std::optional<GuessedText> guess = guesser.decode(bytes)) {
        defects_.push_back("charset of part " + part + " detected as " + guess->charset + " (" +
                           (declared.empty() ? std::string("none declared") : "declared " + declared) + ")");
        return {std::move(guess->utf8), reportedCharset(guess->charset)};
    }
    if (declared.empty()) text.utf8 = repairUtf8(bytes);
    defects_.push_back("undecodable bytes in part " + part + " (" + (declared.empty() ? "no charset" : declared) + ")");
    undecoded_.push_back({part, declared, std::move(bytes)});
    return {std::move(text.utf8), reportedCharset(declared)};
}

std::vector<Attachment> PartDecoder::attachments(const std::vector<AttachmentPart>& parts,
                                                 const CharsetGuesser& guesser) {
    std::vector<Attachment> result;
    result.reserve(parts.size() + uuencoded_.size());
    for (const AttachmentPart& part : parts) result.push_back(decodeAttachment(part, guesser));
    for (UuencodedFile& file : uuencoded_) {
        HeaderText name = decodeHeaderText(file.rawName, &guesser);
        Attachment attachment{std::move(name.utf8), "application/octet-stream", std::move(file.data), file.part};
        keepWithinLimit(attachment);
        result.push_back(std::move(attachment));
    }
    uuencoded_.clear();
    return result;
}

Attachment PartDecoder::decodeAttachment(const AttachmentPart& part, const CharsetGuesser& guesser) {
    std::optional<DecodedParam> name = decodedParam(part.dispositionParams, "filename", &guesser);
    if (!name || name->utf8.empty()) name = decodedParam(part.typeParams, "name", &guesser);
    std::string uuName;
    Attachment attachment{"", part.contentType, transferDecoded(part.body, part.encoding, part.label, &uuName),
                          part.label};
    if ((!name || name->utf8.empty()) && !uuName.empty()) {
        HeaderText text = decodeHeaderText(uuName, &guesser);
        name = DecodedParam{std::move(text.utf8), text.lossy, text.lossyCharset, text.guessedCharset};
    }
    if (name) {
        if (name->lossy) {
            defects_.push_back("undecodable bytes in attachment name in part " + part.label + " (" +
                               name->lossyCharset + ")");
        }
        if (!name->guessedCharset.empty()) {
            defects_.push_back("charset of attachment name in part " + part.label + " guessed as " +
                               name->guessedCharset);
        }
        attachment.filename = std::move(name->utf8);
    }
    keepWithinLimit(attachment);
    return attachment;
}

void PartDecoder::keepWithinLimit(Attachment& attachment) {
    if (attachment.data.size() <= limits_.maxAttachmentBytes) return;
    defects_.push_back("attachment in part " + attachment.part + " is " + std::to_string(attachment.data.size()) +
                       " bytes, over the limit of " + std::to_string(limits_.maxAttachmentBytes) +
                       " bytes; its data was not kept");
    attachment.data = std::string();
    attachment.overLimit = true;
}

}  // namespace complaintd::parsers::detail
