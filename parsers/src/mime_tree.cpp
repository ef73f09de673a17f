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
    std::string_view source;               // the bytes mimetic read this tree from
    const ElidedBodies* elided = nullptr;  // bodies left out of this tree (the root tree only)
    bool messageRoot = false;              // the entity is a whole message, not a part of one
};

class MimeWalker {
public:
    MimeWalker(const ParseLimits& limits, MimeLayout& layout) : limits_(limits), layout_(layout) {}

    void run(const mimetic::MimeEntity& root, std::string_view source, const ElidedBodies& elided) {
        layout_.messages.push_back({&root.header(), "", {}});
        WalkContext context;
        context.source = source;
        context.elided = &elided;
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
    static std::string_view bodyOf(const mimetic::MimeEntity& entity, const WalkContext& context) {
        const std::string_view body = entity.body();
        return context.elided ? context.elided->resolve(body) : body;
    }

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
            return visitEncodedMessage(bodyOf(child, context), encoding, context);
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
    std::string text = entity.body().preamble() + std::string(bodyOf(entity, context)) + entity.body().epilogue();
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
    innerContext.elided = nullptr;
    innerContext.source = inner.patched.empty()
                              ? inner.input
                              : std::string_view(layout_.madeTexts.emplace_back(std::move(inner.patched)));
    visitMessage(message, innerContext);
}

void MimeWalker::visitLeaf(const mimetic::MimeEntity& entity, const WalkContext& context) {
    PartInfo info = describePart(entity.header());
    const std::string encoding = fieldValue(entity.header(), "Content-Transfer-Encoding").value_or("");
    const std::string name = partName(context.label);
    const std::string_view body = bodyOf(entity, context);
    if (info.mimeType() == "message/global" && context.depth < limits_.maxMimeDepth && !isBlank(body)) {
        return visitEncodedMessage(body, encoding, context);
    }
    if (info.attachment) {
        layout_.attachments.push_back(
            {name, info.mimeType(), body, encoding, std::move(info.typeParams), std::move(info.dispositionParams)});
        return;
    }
    layout_.messages[context.scope].texts.push_back(
        {name, info.subtype == "html", context.alternative, body, encoding, std::move(info.typeParams)});
}

}  // namespace

namespace {

constexpr std::size_t kElideMessagesFrom = 1 << 20;
constexpr std::size_t kElideBodiesFrom = 256 << 10;
constexpr std::string_view kElidedPrefix = "complaintd-elided-body-";

bool isBase64Line(std::string_view line) {
    if (line.empty() || line.size() > 998) return false;
    return std::all_of(line.begin(), line.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '/' || c == '='; });
}

// [start, end) of each line of `bytes`, CR LF or LF ended.
struct Line {
    std::size_t start, end, next;
};

Line lineAt(std::string_view bytes, std::size_t pos) {
    const std::size_t newline = bytes.find('\n', pos);
    const std::size_t next = newline == std::string_view::npos ? bytes.size() : newline + 1;
    std::size_t end = newline == std::string_view::npos ? bytes.size() : newline;
    if (end > pos && bytes[end - 1] == '\r') --end;
    return {pos, end, next};
}

// Finds each run of base64 lines right after a header block that declares base64, large
// enough to matter and ending at a boundary line or the end; returns the bytes with each
// run replaced by a placeholder line, or nothing when there is no such run.
std::optional<std::string> elideLargeBase64Bodies(std::string_view bytes, ElidedBodies& elided) {
    std::string skeleton;
    std::size_t copiedUpTo = 0;
    // Only header blocks count: the message's own, and each after a boundary line, read
    // while every line is a field or a fold. A body that merely quotes such lines is left alone.
    bool inHeaders = true, headerSaysBase64 = false;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const Line line = lineAt(bytes, pos);
        const std::string_view text = bytes.substr(line.start, line.end - line.start);
        pos = line.next;
        if (text.starts_with("--")) {
            inHeaders = true;
            headerSaysBase64 = false;
            continue;
        }
        if (!inHeaders) continue;
        if (!text.empty()) {
            const bool fold = text.front() == ' ' || text.front() == '\t';
            const std::size_t colon = text.find(':');
            if (!fold && (colon == std::string_view::npos || colon == 0 ||
                          text.substr(0, colon).find(' ') != std::string_view::npos))
                inHeaders = false;
            else if (startsWithIgnoreCase(text, "content-transfer-encoding:"))
                headerSaysBase64 = equalsIgnoreCase(trimWhitespace(text.substr(26)), "base64");
            continue;
        }
        inHeaders = false;
        if (!headerSaysBase64) continue;
        headerSaysBase64 = false;
        std::size_t end = pos;  // the body starts after the blank line
        Line body = lineAt(bytes, end);
        while (end < bytes.size() && isBase64Line(bytes.substr(body.start, body.end - body.start))) {
            end = body.next;
            body = lineAt(bytes, end);
        }
        const bool closed = end >= bytes.size() || startsWithIgnoreCase(bytes.substr(end), "--");
        if (end - pos < kElideBodiesFrom || !closed) continue;
        skeleton.append(bytes.substr(copiedUpTo, pos - copiedUpTo));
        skeleton.append(kElidedPrefix).append(std::to_string(elided.bodies.size())).append("\r\n");
        elided.bodies.push_back(bytes.substr(pos, end - pos));
        copiedUpTo = pos = end;
    }
    if (elided.bodies.empty()) return std::nullopt;
    skeleton.append(bytes.substr(copiedUpTo));
    return skeleton;
}

// mimetic grows the buffer of a header field 128 bytes at a time, copying it each time: one
// field costs time quadratic in its length (a 5 MB field took 46 s). Fields are cut at this
// length before mimetic reads them, which leaves Subject (cut at ParseLimits::maxLineBytes,
// 64 KiB by default, with a defect) and any real header whole.
constexpr std::size_t kMaxHeaderFieldBytes = 96 << 10;

bool isFieldNameByte(char c) { return c > ' ' && c < 127 && c != ':'; }

// Where mimetic reads header fields: the message's own block, each block after a boundary
// line ("--"), and the block of a message/rfc822 part's message. In each, a field longer than
// kMaxHeaderFieldBytes gets "\n:" at the cut (mimetic ends the field there and ignores the rest
// of the line, as a line starting with ':') and each fold after it a ':' in place of its blank.
// A line that is no field but starts with a longer run of name bytes (mimetic buffers those as
// a name too) gets a '\n' at the cut. Same length, so every offset stays; nothing for normal mail.
std::vector<std::pair<std::size_t, char>> headerFieldCuts(std::string_view bytes) {
    std::vector<std::pair<std::size_t, char>> cuts;
    bool inHeaders = true, blockIsMessage = false, fieldCut = false;
    std::size_t fieldBytes = 0;
    const auto cutField = [&](const Line& line, std::size_t before) {
        if (fieldBytes <= kMaxHeaderFieldBytes || fieldCut) return;
        fieldCut = true;
        const std::size_t cut = line.start + (kMaxHeaderFieldBytes > before ? kMaxHeaderFieldBytes - before : 0);
        if (cut + 1 < line.end) cuts.push_back({cut, '\n'}), cuts.push_back({cut + 1, ':'});
    };
    for (std::size_t pos = 0; pos < bytes.size();) {
        const Line line = lineAt(bytes, pos);
        const std::string_view text = bytes.substr(line.start, line.end - line.start);
        pos = line.next;
        if (!inHeaders) {
            if (text.starts_with("--")) inHeaders = true, blockIsMessage = false, fieldBytes = 0;
            continue;
        }
        if (text.empty()) {
            inHeaders = blockIsMessage;  // the quoted message's own header block follows
            blockIsMessage = false;
            fieldBytes = 0;
            continue;
        }
        if (text.front() == ' ' || text.front() == '\t') {
            if (fieldCut) {
                cuts.push_back({line.start, ':'});
                continue;
            }
            const std::size_t before = fieldBytes;
            fieldBytes += text.size();
            cutField(line, before);
            continue;
        }
        std::size_t name = 0;
        while (name < text.size() && isFieldNameByte(text[name])) ++name;
        if (name > kMaxHeaderFieldBytes) {
            cuts.push_back({line.start + kMaxHeaderFieldBytes, '\n'});
            inHeaders = false;
            continue;
        }
        std::size_t colon = name;
        while (colon < text.size() && (text[colon] == ' ' || text[colon] == '\t')) ++colon;
        if (name == 0 || colon >= text.size() || text[colon] != ':') {
            inHeaders = false;  // mimetic takes this line for the first of the body
            continue;
        }
        if (startsWithIgnoreCase(text, "content-type:") &&
            asciiLower(text.substr(0, 256)).find("message/rfc822") != std::string::npos)
            blockIsMessage = true;
        fieldCut = false;
        fieldBytes = text.size();
        cutField(line, 0);
    }
    return cuts;
}

}  // namespace

std::string_view ElidedBodies::resolve(std::string_view body) const {
    const std::string_view trimmed = trimWhitespace(body);
    if (bodies.empty() || !trimmed.starts_with(kElidedPrefix)) return body;
    const std::string_view digits = trimmed.substr(kElidedPrefix.size());
    if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return body;
    const std::size_t index = std::stoul(std::string(digits));
    return index < bodies.size() ? bodies[index] : body;
}

LoadedEntity loadEntity(std::string_view bytes, int maxContainers, LargeBodies large) {
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
    } else if (large == LargeBodies::Elide && bytes.size() >= kElideMessagesFrom) {
        if (auto skeleton = elideLargeBase64Bodies(bytes, loaded.elided)) loaded.patched = std::move(*skeleton);
    }
    if (const auto cuts = headerFieldCuts(loaded.bytes()); !cuts.empty()) {
        if (loaded.patched.empty()) loaded.patched = std::string(bytes);
        for (const auto& [offset, c] : cuts) loaded.patched[offset] = c;
    }
    const std::string_view read = loaded.bytes();
    loaded.entity->load(read.data(), read.data() + read.size());
    return loaded;
}

int containerBudget(const ParseLimits& limits) { return std::clamp(limits.maxParts, 1, kMaxContainerHeaders); }

void walkMimeTree(const mimetic::MimeEntity& root, std::string_view source, const ElidedBodies& elided,
                  const ParseLimits& limits, MimeLayout& layout) {
    MimeWalker(limits, layout).run(root, source, elided);
}

MimeParams contentTypeParams(const mimetic::Header& header) {
    MimeParams params = parseParameterisedValue(fieldValue(header, "Content-Type").value_or("")).params;
    for (MimeParam& param : params) std::replace(param.value.begin(), param.value.end(), kQuotedSemicolon, ';');
    return params;
}

}  // namespace complaintd::parsers::detail
