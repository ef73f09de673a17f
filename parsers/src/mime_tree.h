// Builds the MIME tree with mimetic and walks it for the text body and the
// attachments. Private.
#pragma once

#include <memory>
#include <string>

#include "parsers/mime_parser.h"

namespace mimetic {
class MimeEntity;
}

namespace complaintd::parsers::detail {

// Containers get no more than this many multipart/message headers honoured,
// whatever maxParts says, to keep mimetic's recursion far from the stack limit.
inline constexpr int kMaxContainerHeaders = 1000;

int containerBudget(const ParseLimits& limits);

struct LoadedEntity {
    std::unique_ptr<mimetic::MimeEntity> entity;
    bool containersCapped = false;  // some multipart/message headers were neutralised
};

// Parses `bytes` into a MIME tree. mimetic recurses once per nesting level and
// overflows the stack somewhere below 50,000 levels, so only the first
// `maxContainers` multipart or message Content-Type headers are left for it
// to descend into; later ones are renamed ("xultipart/...") and read as leaves.
// May throw whatever mimetic throws.
LoadedEntity loadEntity(std::string bytes, int maxContainers);

// Fills textBody, bodySource and attachments of `out`, and adds defects.
// Stops descending past limits.maxMimeDepth and after limits.maxParts parts.
void walkMimeTree(const mimetic::MimeEntity& root, const ParseLimits& limits, ParsedMessage& out);

}  // namespace complaintd::parsers::detail
