#include "mime_tree.h"

#include <mimetic/mimetic.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "header_fields.h"
#include "mime_params.h"
#include "parsers/text_decoding.h"
#include "text_util.h"
#include "transfer_decoding.h"

namespace complaintd::parsers::detail {

namespace {

constexpr std::string_view kContentType = "content-type";

// If the line at `pos` is a Content-Type header whose type is multipart or
// message, returns the offset of that type word; npos otherwise.
std::size_t containerTypeAt(const std::string& bytes, std::size_t pos) {
    if (!startsWithIgnoreCase(std::string_view(bytes).substr(pos), kContentType)) return std::string::npos;
    std::size_t p = pos + kContentType.size();
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t')) ++p;
    if (p >= bytes.size() || bytes[p] != ':') return std::string::npos;
    ++p;
    while (p < bytes.size() && isMailWhitespace(bytes[p])) ++p;  // also across a fold
    const std::string_view rest = std::string_view(bytes).substr(p);
    if (startsWithIgnoreCase(rest, "multipart") || startsWithIgnoreCase(rest, "message")) return p;
    return std::string::npos;
}

bool capContainers(std::string& bytes, int maxContainers) {
    int seen = 0;
    bool capped = false;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t type = containerTypeAt(bytes, pos);
        if (type != std::string::npos && ++seen > maxContainers) {
            bytes[type] = 'x';
            capped = true;
        }
        pos = bytes.find_first_of("\r\n", pos);
        if (pos == std::string::npos) break;
        ++pos;
    }
    return capped;
}

// What the walk learnt about one leaf part from its headers.
struct PartInfo {
    std::string type;     // "text", lower case
    std::string subtype;  // "plain"
    MimeParams typeParams;
    std::optional<DecodedParam> filename;
    bool attachment = false;

    std::string mimeType() const { return type + "/" + subtype; }
};

MimeParams paramsOf(const mimetic::ContentType& contentType) {
    MimeParams params;
    for (const mimetic::FieldParam& p : contentType.paramList()) {
        if (!p.name().empty()) params.push_back({asciiLower(trimWhitespace(p.name())), p.value()});
    }
    return params;
}

// RFC 2045 token: printable ASCII without blanks or tspecials.
bool isToken(std::string_view text) {
    constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
    if (text.empty()) return false;
    for (char c : text) {
        if (c <= ' ' || c >= 127 || kSpecials.find(c) != std::string_view::npos) return false;
    }
    return true;
}

PartInfo describePart(const mimetic::Header& header) {
    PartInfo info;
    const mimetic::ContentType& contentType = header.contentType();
    info.type = asciiLower(trimWhitespace(contentType.type()));
    info.subtype = asciiLower(trimWhitespace(contentType.subtype()));
    if (!isToken(info.type)) {  // RFC 2045 5.2: missing or invalid means text/plain
        info.type = "text";
        info.subtype = "plain";
    }
    if (!isToken(info.subtype)) info.subtype = info.type == "text" ? "plain" : "octet-stream";
    info.typeParams = paramsOf(contentType);

    const std::string dispositionField = fieldValue(header, "Content-Disposition").value_or("");
    const ParameterisedValue disposition = parseParameterisedValue(dispositionField);
    info.filename = decodedParam(disposition.params, "filename");
    if (!info.filename || info.filename->utf8.empty()) info.filename = decodedParam(info.typeParams, "name");
    const bool named = info.filename && !info.filename->utf8.empty();
    const bool bodyText = info.type == "text" && (info.subtype == "plain" || info.subtype == "html");
    info.attachment = disposition.token == "attachment" || named || !bodyText;
    return info;
}

bool isBlank(std::string_view text) { return trimWhitespace(text).empty(); }

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

class MimeWalker {
public:
    MimeWalker(const ParseLimits& limits, ParsedMessage& out) : limits_(limits), out_(out) {}

    void run(const mimetic::MimeEntity& root) {
        visit(root, 0, "");
        chooseBody();
    }

private:
    void visit(const mimetic::MimeEntity& entity, int depth, const std::string& label);
    void visitChildren(const mimetic::MimeEntity& entity, int depth, const std::string& label);
    void visitPartlessMultipart(const mimetic::MimeEntity& entity, const std::string& label);
    void visitEncodedMessage(const mimetic::MimeEntity& entity, int depth, const std::string& label);
    void visitLeaf(const mimetic::MimeEntity& entity, const std::string& label);
    std::string decodedBody(const mimetic::MimeEntity& entity, const std::string& label);
    std::string decodedText(const std::string& bytes, std::string charset, const std::string& label);
    void chooseBody();
    void defectOnce(bool& flag, std::string text);

    const ParseLimits& limits_;
    ParsedMessage& out_;
    int partsSeen_ = 0;
    bool partsExceeded_ = false;
    bool depthExceeded_ = false;
    std::optional<std::string> plain_;  // body candidates, decoded to UTF-8
    std::optional<std::string> html_;
};

void MimeWalker::defectOnce(bool& flag, std::string text) {
    if (!flag) out_.defects.push_back(std::move(text));
    flag = true;
}

void MimeWalker::visit(const mimetic::MimeEntity& entity, int depth, const std::string& label) {
    if (partsSeen_ >= limits_.maxParts) {
        defectOnce(partsExceeded_,
                   "more than " + std::to_string(limits_.maxParts) + " MIME parts; the rest were not read");
        return;
    }
    ++partsSeen_;
    const mimetic::ContentType& contentType = entity.header().contentType();
    if (contentType.isMultipart() && entity.body().parts().empty()) return visitPartlessMultipart(entity, label);
    if (entity.body().parts().empty()) return visitLeaf(entity, label);
    if (depth >= limits_.maxMimeDepth) {
        defectOnce(depthExceeded_, "MIME nesting deeper than " + std::to_string(limits_.maxMimeDepth) +
                                       " levels; inner parts were not read");
        return;
    }
    visitChildren(entity, depth, label);
}

void MimeWalker::visitChildren(const mimetic::MimeEntity& entity, int depth, const std::string& label) {
    const bool message = !entity.header().contentType().isMultipart();
    int index = 0;
    for (const mimetic::MimeEntity* child : entity.body().parts()) {
        if (partsExceeded_) return;
        // A message/rfc822 wrapper is transparent: its message takes its label.
        const std::string childLabel = message ? label : (label.empty() ? "" : label + ".") + std::to_string(++index);
        if (message && child->header().empty() && !isBlank(child->body())) {
            visitEncodedMessage(entity, depth + 1, label);
        } else {
            visit(*child, depth + 1, childLabel);
        }
    }
}

// A multipart whose boundary never turned up: mimetic left everything in the
// preamble. Reading it as plain text beats losing the complainant's words.
void MimeWalker::visitPartlessMultipart(const mimetic::MimeEntity& entity, const std::string& label) {
    const std::string text = entity.body().preamble() + entity.body() + entity.body().epilogue();
    if (isBlank(text)) return;
    const std::string partName = label.empty() ? "1" : label;
    out_.defects.push_back("multipart part " + partName + " has no parts; its text was read as plain text");
    if (!plain_) plain_ = decodedText(text, "", partName);
}

// A message/rfc822 part sent in base64 reaches mimetic still encoded, so the
// inner message is decoded and parsed again here.
void MimeWalker::visitEncodedMessage(const mimetic::MimeEntity& entity, int depth, const std::string& label) {
    const mimetic::MimeEntity& child = *entity.body().parts().front();
    const std::string encoding =
        normaliseEncodingName(fieldValue(entity.header(), "Content-Transfer-Encoding").value_or(""));
    if (encoding != "base64" && encoding != "quoted-printable") return visit(child, depth, label);
    const TransferDecoded decoded = decodeTransfer(child.body(), encoding);
    const LoadedEntity inner = loadEntity(decoded.data, containerBudget(limits_));
    if (inner.containersCapped) {
        out_.defects.push_back("forwarded message in part " + (label.empty() ? std::string("1") : label) +
                               " has too many multipart headers; later ones were read as plain parts");
    }
    visit(*inner.entity, depth, label);
}

void MimeWalker::visitLeaf(const mimetic::MimeEntity& entity, const std::string& label) {
    const PartInfo info = describePart(entity.header());
    const std::string partName = label.empty() ? "1" : label;
    if (info.attachment) {
        if (info.filename && info.filename->lossy) {
            out_.defects.push_back("undecodable bytes in attachment name in part " + partName + " (" +
                                   info.filename->lossyCharset + ")");
        }
        out_.attachments.push_back(
            Attachment{info.filename ? info.filename->utf8 : "", info.mimeType(), decodedBody(entity, partName)});
        return;
    }
    std::optional<std::string>& slot = info.subtype == "html" ? html_ : plain_;
    if (slot) return;  // only the first of each kind can become the body
    const std::string bytes = decodedBody(entity, partName);
    std::string charset = decodedParam(info.typeParams, "charset").value_or(DecodedParam{}).utf8;
    if (charset.empty() && info.subtype == "html") charset = metaCharset(bytes);
    slot = decodedText(bytes, charset, partName);
}

std::string MimeWalker::decodedBody(const mimetic::MimeEntity& entity, const std::string& partName) {
    const std::string encoding = fieldValue(entity.header(), "Content-Transfer-Encoding").value_or("");
    TransferDecoded decoded = decodeTransfer(entity.body(), encoding);
    if (!decoded.problem.empty()) out_.defects.push_back(decoded.problem + " in part " + partName);
    return std::move(decoded.data);
}

std::string MimeWalker::decodedText(const std::string& bytes, std::string charset, const std::string& partName) {
    DecodedText text = toUtf8(bytes, charset);
    if (text.lossy) {
        const std::string label = charset.empty() ? std::string("no charset") : repairUtf8(charset);
        out_.defects.push_back("undecodable bytes in part " + partName + " (" + label + ")");
    }
    return normaliseLineEnds(text.utf8);
}

void MimeWalker::chooseBody() {
    const bool plainUsable = plain_ && !(isBlank(*plain_) && html_);
    if (plainUsable) {
        out_.textBody = std::move(*plain_);
        out_.bodySource = BodySource::Plain;
    } else if (html_) {
        out_.textBody = htmlToText(*html_);
        out_.bodySource = BodySource::Html;
    }
}

}  // namespace

LoadedEntity loadEntity(std::string bytes, int maxContainers) {
    LoadedEntity loaded;
    loaded.containersCapped = capContainers(bytes, maxContainers);
    // Built first and loaded after: when load() throws, the finished object's
    // destructor still frees the parts mimetic allocated so far.
    loaded.entity = std::make_unique<mimetic::MimeEntity>();
    loaded.entity->load(bytes.cbegin(), bytes.cend());
    return loaded;
}

int containerBudget(const ParseLimits& limits) { return std::clamp(limits.maxParts, 1, kMaxContainerHeaders); }

void walkMimeTree(const mimetic::MimeEntity& root, const ParseLimits& limits, ParsedMessage& out) {
    MimeWalker(limits, out).run(root);
}

}  // namespace complaintd::parsers::detail
