#include "mime_tree.h"

#include <mimetic/mimetic.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "header_fields.h"
#include "text_util.h"
#include "transfer_decoding.h"

namespace complaintd::parsers::detail {

namespace {

constexpr std::string_view kContentType = "content-type";

// Stands in for ';' inside quoted Content-Type parameters while mimetic reads
// the header: it splits parameters at every ';' and keeps only its mangled
// rewrite of the field.
constexpr char kQuotedSemicolon = '\x1F';

constexpr int kMaxBoundaryChecks = 4;
constexpr std::size_t kBoundaryTailBytes = 4096;

// If the line at `pos` is a Content-Type header, returns the offset of its
// value (after the colon); npos otherwise.
std::size_t contentTypeValueAt(std::string_view bytes, std::size_t pos) {
    if (!startsWithIgnoreCase(bytes.substr(pos), kContentType)) return std::string_view::npos;
    std::size_t p = pos + kContentType.size();
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t')) ++p;
    if (p >= bytes.size() || bytes[p] != ':') return std::string_view::npos;
    return p + 1;
}

bool isContainerType(std::string_view value) {
    return startsWithIgnoreCase(value, "multipart") || startsWithIgnoreCase(value, "message");
}

// What has to change in the bytes before mimetic reads them.
struct ContentTypeScan {
    std::vector<std::size_t> containers;        // offsets of "multipart"/"message" type words
    std::vector<std::size_t> quotedSemicolons;  // offsets of ';' inside quoted parameter values
};

// Reads one Content-Type field from `value` (its folds included) into `scan`.
void scanContentType(std::string_view bytes, std::size_t value, ContentTypeScan& scan) {
    std::size_t p = value;
    while (p < bytes.size() && isMailWhitespace(bytes[p])) ++p;  // also across a fold
    if (isContainerType(bytes.substr(p))) scan.containers.push_back(p);
    bool quoted = false;
    for (; p < bytes.size(); ++p) {
        const char c = bytes[p];
        const bool lineEnd = c == '\n' || (c == '\r' && (p + 1 >= bytes.size() || bytes[p + 1] != '\n'));
        if (lineEnd && (p + 1 >= bytes.size() || (bytes[p + 1] != ' ' && bytes[p + 1] != '\t'))) return;
        if (c == '\\' && quoted) {
            ++p;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ';' && quoted) {
            scan.quotedSemicolons.push_back(p);
        }
    }
}

// mimetic ends lines at CR as well as LF, and so must this scan; memchr
// keeps it fast on large bodies.
ContentTypeScan scanContentTypes(std::string_view bytes) {
    ContentTypeScan scan;
    const auto check = [&](std::size_t lineStart) {
        if (lineStart >= bytes.size() || (bytes[lineStart] | 0x20) != 'c') return;
        const std::size_t value = contentTypeValueAt(bytes, lineStart);
        if (value != std::string_view::npos) scanContentType(bytes, value, scan);
    };
    check(0);
    const char* data = bytes.data();
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', bytes.size() - (p - data))));) {
        check(static_cast<std::size_t>(++p - data));
    }
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\r', bytes.size() - (p - data))));) {
        if (++p < data + bytes.size() && *p != '\n') check(static_cast<std::size_t>(p - data));
    }
    std::sort(scan.containers.begin(), scan.containers.end());
    return scan;
}

// What the walk learnt about one leaf part from its headers.
struct PartInfo {
    std::string type;     // "text", lower case
    std::string subtype;  // "plain"
    MimeParams typeParams;
    MimeParams dispositionParams;
    bool attachment = false;

    std::string mimeType() const { return type + "/" + subtype; }
};

// RFC 2045 token: printable ASCII without blanks or tspecials.
bool isToken(std::string_view text) {
    constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
    if (text.empty()) return false;
    for (char c : text) {
        if (c <= ' ' || c >= 127 || kSpecials.find(c) != std::string_view::npos) return false;
    }
    return true;
}

bool hasNonEmptyParam(const MimeParams& params, std::string_view name) {
    const std::optional<DecodedParam> value = decodedParam(params, name);
    return value && !value->utf8.empty();
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
    info.typeParams = contentTypeParams(header);

    ParameterisedValue disposition = parseParameterisedValue(fieldValue(header, "Content-Disposition").value_or(""));
    info.dispositionParams = std::move(disposition.params);
    const bool named =
        hasNonEmptyParam(info.dispositionParams, "filename") || hasNonEmptyParam(info.typeParams, "name");
    const bool bodyText = info.type == "text" && (info.subtype == "plain" || info.subtype == "html");
    info.attachment = disposition.token == "attachment" || named || !bodyText;
    return info;
}

bool isBlank(std::string_view text) { return trimWhitespace(text).empty(); }

std::string childLabel(const std::string& parent, int index) {
    return (parent.empty() ? "" : parent + ".") + std::to_string(index);
}

std::string partName(const std::string& label) { return label.empty() ? "1" : label; }

// Where in the layout a visited entity belongs.
struct WalkContext {
    int depth = 0;
    std::string label;
    std::size_t scope = 0;  // index into MimeLayout::messages
    int alternative = -1;
    std::string_view source;   // the bytes mimetic read this tree from
    bool messageRoot = false;  // the entity is a whole message, not a part of one
};

class MimeWalker {
public:
    MimeWalker(const ParseLimits& limits, MimeLayout& layout) : limits_(limits), layout_(layout) {}

    void run(const mimetic::MimeEntity& root, std::string_view source) {
        layout_.messages.push_back({&root.header(), "", {}});
        WalkContext context;
        context.source = source;
        context.messageRoot = true;
        visit(root, context);
    }

private:
    void visit(const mimetic::MimeEntity& entity, const WalkContext& context);
    void visitChildren(const mimetic::MimeEntity& entity, const WalkContext& context);
    void visitMessage(const mimetic::MimeEntity& message, WalkContext context);
    void visitPartlessMultipart(const mimetic::MimeEntity& entity, const WalkContext& context);
    void visitEncodedMessage(std::string_view body, const std::string& encoding, const WalkContext& context);
    void visitLeaf(const mimetic::MimeEntity& entity, const WalkContext& context);
    void checkClosingBoundary(const mimetic::ContentType& contentType, const WalkContext& context);
    void defectOnce(bool& flag, std::string text);

    const ParseLimits& limits_;
    MimeLayout& layout_;
    int partsSeen_ = 0;
    int alternatives_ = 0;
    std::size_t reparsedBytes_ = 0;
    int boundaryChecks_ = 0;
    bool partsExceeded_ = false;
    bool depthExceeded_ = false;
};

void MimeWalker::defectOnce(bool& flag, std::string text) {
    if (!flag) layout_.defects.push_back(std::move(text));
    flag = true;
}

void MimeWalker::visit(const mimetic::MimeEntity& entity, const WalkContext& context) {
    if (partsSeen_ >= limits_.maxParts) {
        defectOnce(partsExceeded_,
                   "more than " + std::to_string(limits_.maxParts) + " MIME parts; the rest were not read");
        return;
    }
    ++partsSeen_;
    const mimetic::ContentType& contentType = entity.header().contentType();
    if (contentType.isMultipart() && entity.body().parts().empty()) return visitPartlessMultipart(entity, context);
    if (entity.body().parts().empty()) return visitLeaf(entity, context);
    if (context.depth >= limits_.maxMimeDepth) {
        defectOnce(depthExceeded_, "MIME nesting deeper than " + std::to_string(limits_.maxMimeDepth) +
                                       " levels; inner parts were not read");
        return;
    }
    visitChildren(entity, context);
}

void MimeWalker::visitChildren(const mimetic::MimeEntity& entity, const WalkContext& context) {
    const mimetic::ContentType& contentType = entity.header().contentType();
    if (!contentType.isMultipart()) {  // message/rfc822: mimetic holds the message as the only child
        const mimetic::MimeEntity& child = *entity.body().parts().front();
        const std::string encoding =
            normaliseEncodingName(fieldValue(entity.header(), "Content-Transfer-Encoding").value_or(""));
        const bool encoded = encoding == "base64" || encoding == "quoted-printable";
        if (encoded && child.header().empty() && !isBlank(child.body())) {
            return visitEncodedMessage(child.body(), encoding, context);
        }
        return visitMessage(child, context);
    }
    if (context.messageRoot) checkClosingBoundary(contentType, context);
    WalkContext inner = context;
    ++inner.depth;
    inner.messageRoot = false;
    if (equalsIgnoreCase(trimWhitespace(contentType.subtype()), "alternative")) inner.alternative = alternatives_++;
    int index = 0;
    for (const mimetic::MimeEntity* child : entity.body().parts()) {
        if (partsExceeded_) return;
        inner.label = childLabel(context.label, ++index);
        visit(*child, inner);
    }
}

// Whether `text` holds `needle`, looking at its end first: the closing
// boundary of a message's outermost multipart is in its last lines.
bool containsNearEnd(std::string_view text, std::string_view needle) {
    const auto found = [&](std::string_view haystack) {
        return ::memmem(haystack.data(), haystack.size(), needle.data(), needle.size()) != nullptr;
    };
    const std::size_t tail = std::min(text.size(), kBoundaryTailBytes + needle.size());
    return found(text.substr(text.size() - tail)) || (tail < text.size() && found(text));
}

// A message whose outermost multipart never closes was most likely cut short
// on its way (a size limit, a broken connection): staff should know that parts
// may be missing. Only message roots are checked, and only a few, since each
// check may read the whole message.
void MimeWalker::checkClosingBoundary(const mimetic::ContentType& contentType, const WalkContext& context) {
    if (++boundaryChecks_ > kMaxBoundaryChecks) return;
    const std::string boundary = contentType.param("boundary");
    if (boundary.empty()) return;
    if (containsNearEnd(context.source, "--" + boundary + "--")) return;
    layout_.defects.push_back("multipart " +
                              (context.label.empty() ? std::string("message") : "part " + context.label) +
                              " has no closing boundary; the message may have been cut short");
}

// A forwarded message opens a new scope; it takes the label of its
// message/rfc822 part, and its parts are numbered below that.
void MimeWalker::visitMessage(const mimetic::MimeEntity& message, WalkContext context) {
    layout_.messages.push_back({&message.header(), partName(context.label), {}});
    context.scope = layout_.messages.size() - 1;
    context.alternative = -1;
    context.messageRoot = true;
    ++context.depth;
    visit(message, context);
}

// A multipart whose boundary never turned up: mimetic left everything in the
// preamble. Reading it as plain text beats losing the complainant's words.
void MimeWalker::visitPartlessMultipart(const mimetic::MimeEntity& entity, const WalkContext& context) {
    std::string text = entity.body().preamble() + entity.body() + entity.body().epilogue();
    if (isBlank(text)) return;
    const std::string name = partName(context.label);
    layout_.defects.push_back("multipart part " + name + " has no parts; its text was read as plain text");
    const std::string_view body = layout_.madeTexts.emplace_back(std::move(text));
    layout_.messages[context.scope].texts.push_back({name, false, context.alternative, body, "", {}});
}

// A message/rfc822 part sent in base64 reaches mimetic still encoded, and
// message/global is not parsed by mimetic at all: the inner message is decoded
// and parsed again here.
// Each level of such nesting is a fresh copy, so their total size is capped.
void MimeWalker::visitEncodedMessage(std::string_view body, const std::string& encoding, const WalkContext& context) {
    reparsedBytes_ += body.size();
    if (reparsedBytes_ > limits_.maxMessageBytes) {
        layout_.defects.push_back("forwarded message in part " + partName(context.label) +
                                  " not read: nested encoded messages exceed the message size limit");
        return;
    }
    const TransferDecoded decoded = decodeTransfer(body, encoding);
    const std::string_view bytes = layout_.madeTexts.emplace_back(decoded.data);
    LoadedEntity inner = loadEntity(bytes, containerBudget(limits_));
    if (inner.containersCapped) {
        layout_.defects.push_back("forwarded message in part " + partName(context.label) +
                                  " has too many multipart headers; later ones were read as plain parts");
    }
    const mimetic::MimeEntity& message = *layout_.innerTrees.emplace_back(std::move(inner.entity));
    WalkContext innerContext = context;
    innerContext.source = inner.patched.empty()
                              ? inner.input
                              : std::string_view(layout_.madeTexts.emplace_back(std::move(inner.patched)));
    visitMessage(message, innerContext);
}

void MimeWalker::visitLeaf(const mimetic::MimeEntity& entity, const WalkContext& context) {
    PartInfo info = describePart(entity.header());
    const std::string encoding = fieldValue(entity.header(), "Content-Transfer-Encoding").value_or("");
    const std::string name = partName(context.label);
    if (info.mimeType() == "message/global" && context.depth < limits_.maxMimeDepth && !isBlank(entity.body())) {
        return visitEncodedMessage(entity.body(), encoding, context);
    }
    if (info.attachment) {
        layout_.attachments.push_back({name, info.mimeType(), entity.body(), encoding, std::move(info.typeParams),
                                       std::move(info.dispositionParams)});
        return;
    }
    layout_.messages[context.scope].texts.push_back(
        {name, info.subtype == "html", context.alternative, entity.body(), encoding, std::move(info.typeParams)});
}

}  // namespace

LoadedEntity loadEntity(std::string_view bytes, int maxContainers) {
    LoadedEntity loaded;
    const ContentTypeScan scan = scanContentTypes(bytes);
    const auto budget = static_cast<std::size_t>(std::max(maxContainers, 0));
    // Built first and loaded after: when load() throws, the finished object's
    // destructor still frees the parts mimetic allocated so far.
    loaded.entity = std::make_unique<mimetic::MimeEntity>();
    loaded.input = bytes;
    if (scan.containers.size() > budget || !scan.quotedSemicolons.empty()) {
        loaded.patched = std::string(bytes);
        for (std::size_t i = budget; i < scan.containers.size(); ++i) loaded.patched[scan.containers[i]] = 'x';
        for (std::size_t offset : scan.quotedSemicolons) loaded.patched[offset] = kQuotedSemicolon;
        loaded.containersCapped = scan.containers.size() > budget;
    }
    const std::string_view read = loaded.bytes();
    loaded.entity->load(read.data(), read.data() + read.size());
    return loaded;
}

int containerBudget(const ParseLimits& limits) { return std::clamp(limits.maxParts, 1, kMaxContainerHeaders); }

void walkMimeTree(const mimetic::MimeEntity& root, std::string_view source, const ParseLimits& limits,
                  MimeLayout& layout) {
    MimeWalker(limits, layout).run(root, source);
}

MimeParams contentTypeParams(const mimetic::Header& header) {
    MimeParams params = parseParameterisedValue(fieldValue(header, "Content-Type").value_or("")).params;
    for (MimeParam& param : params) std::replace(param.value.begin(), param.value.end(), kQuotedSemicolon, ';');
    return params;
}

}  // namespace complaintd::parsers::detail
