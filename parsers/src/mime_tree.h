// Builds the MIME tree with mimetic and walks it into a layout: the outer
// message and each forwarded message with their candidate text parts, and the
// attachments. Nothing is transfer-decoded here. Private.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime_params.h"
#include "parsers/mime_parser.h"

namespace mimetic {
class MimeEntity;
struct Header;
}  // namespace mimetic

namespace complaintd::parsers::detail {

// Containers get no more than this many multipart/message headers honoured,
// whatever maxParts says, to keep mimetic's recursion far from the stack limit.
inline constexpr int kMaxContainerHeaders = 1000;

int containerBudget(const ParseLimits& limits);

// Large base64 bodies kept out of what mimetic reads: mimetic copies every body into
// its tree, which for a 10 MB attachment is one copy more than memory allows. Each
// stands in as a placeholder line and is read from the original bytes instead.
struct ElidedBodies {
    std::vector<std::string_view> bodies;  // views into the original bytes
    // The original body when `body` is one of the placeholders, otherwise `body`.
    std::string_view resolve(std::string_view body) const;
};

struct LoadedEntity {
    std::unique_ptr<mimetic::MimeEntity> entity;
    bool containersCapped = false;  // some multipart/message headers were neutralised
    std::string_view input;
    std::string patched;  // what mimetic read instead of `input`, when that had to change
    ElidedBodies elided;  // bodies of `input` left out of `patched`

    std::string_view bytes() const { return patched.empty() ? input : std::string_view(patched); }
};

enum class LargeBodies { Copy, Elide };

// Parses `bytes` into a MIME tree. mimetic recurses once per nesting level and
// overflows the stack somewhere below 50,000 levels, so only the first
// `maxContainers` multipart or message Content-Type headers are left for it
// to descend into; later ones are renamed ("xultipart/...") and read as leaves.
// A ';' inside a quoted Content-Type parameter is swapped for a stand-in that
// contentTypeParams() swaps back. The bytes are copied only for these cases.
// With LargeBodies::Elide, base64 bodies of 256 KiB and more in a message of 1 MiB
// and more are elided (see ElidedBodies); `bytes` must then outlive the tree.
// May throw whatever mimetic throws.
LoadedEntity loadEntity(std::string_view bytes, int maxContainers, LargeBodies large = LargeBodies::Copy);

// An inline text/plain or text/html part that may become (part of) a body.
struct TextPart {
    std::string label;  // MIME part number, "1.2"
    bool html = false;
    int alternative = -1;   // id of the nearest multipart/alternative ancestor, -1 if none
    std::string_view body;  // still transfer-encoded
    std::string encoding;   // Content-Transfer-Encoding as written
    MimeParams typeParams;  // Content-Type parameters (charset)
};

// A leaf that is not body text.
struct AttachmentPart {
    std::string label;
    std::string contentType;  // lower case "type/subtype"
    std::string_view body;
    std::string encoding;
    MimeParams typeParams;
    MimeParams dispositionParams;
};

// The outer message, or a message/rfc822 part inside it.
struct MessageScope {
    const mimetic::Header* header = nullptr;
    std::string label;  // "" for the outer message, else the part number of the message/rfc822 part
    std::vector<TextPart> texts;
};

struct MimeLayout {
    std::vector<MessageScope> messages;  // [0] is the outer message, forwarded ones follow in order
    std::vector<AttachmentPart> attachments;
    std::vector<std::string> defects;
    // Trees of re-parsed encoded messages and text made up from multipart
    // preambles: the views above point into them.
    std::vector<std::unique_ptr<mimetic::MimeEntity>> innerTrees;
    std::deque<std::string> madeTexts;
};

// Walks the tree loaded from `source`. Stops descending past
// limits.maxMimeDepth and after limits.maxParts parts, with a defect for each.
// `elided`: the bodies loadEntity left out of the root tree (not of trees found inside it).
void walkMimeTree(const mimetic::MimeEntity& root, std::string_view source, const ElidedBodies& elided,
                  const ParseLimits& limits, MimeLayout& layout);

// Content-Type parameters as written, parsed by us: mimetic loses quoted
// values holding ';'.
MimeParams contentTypeParams(const mimetic::Header& header);

}  // namespace complaintd::parsers::detail
