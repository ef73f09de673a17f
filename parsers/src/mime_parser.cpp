// parseMessage: limits and sanity checks, then mimetic, then field extraction.
#include "parsers/mime_parser.h"

#include <mimetic/mimeentity.h>

#include <exception>

#include "charset_detection.h"
#include "message_headers.h"
#include "mime_tree.h"
#include "part_decoding.h"
#include "text_util.h"

namespace complaintd::parsers {

using namespace detail;

namespace {

std::size_t lineEnd(std::string_view text, std::size_t pos) {
    while (pos < text.size() && text[pos] != '\r' && text[pos] != '\n') ++pos;
    return pos;
}

std::size_t nextLine(std::string_view text, std::size_t end) {
    if (end >= text.size()) return text.size();
    return (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? end + 2 : end + 1;
}

// "Name: value", as mimetic reads it: printable name, optional blanks, colon.
bool isHeaderFieldLine(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] > ' ' && line[i] < 127 && line[i] != ':') ++i;
    if (i == 0) return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i < line.size() && line[i] == ':';
}

// Drops what real mail carries before its first header field: a UTF-8 byte
// order mark, stray white space or blank lines, and the "From sender date"
// separator line of mailbox files.
std::string_view skipLeadingJunk(std::string_view raw) {
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    while (!raw.empty() && isMailWhitespace(raw.front())) raw.remove_prefix(1);
    if (raw.substr(0, 5) == "From ") raw.remove_prefix(nextLine(raw, lineEnd(raw, 0)));
    return raw;
}

// Bytes of the header block: field and continuation lines up to the first
// blank or non-header line.
std::size_t headerBlockLength(std::string_view message) {
    std::size_t pos = 0;
    while (pos < message.size()) {
        const std::size_t end = lineEnd(message, pos);
        const std::string_view line = message.substr(pos, end - pos);
        const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (line.empty() || !(continuation || isHeaderFieldLine(line))) return pos;
        pos = nextLine(message, end);
    }
    return pos;
}

void copyHeaderFields(HeaderFields fields, ParsedMessage& out) {
    out.from = std::move(fields.from);
    out.to = std::move(fields.to);
    out.cc = std::move(fields.cc);
    out.subject = std::move(fields.subject);
    out.date = fields.date;
    out.messageId = std::move(fields.messageId);
    out.inReplyTo = std::move(fields.inReplyTo);
    out.references = std::move(fields.references);
}

ForwardedMessage forwardedMessage(const MessageScope& scope, ScopeBody body, const std::string& hint,
                                  std::vector<std::string>& defects) {
    const std::string prefix = "forwarded message in part " + scope.label + ": ";
    HeaderFields fields = readHeaderFields(*scope.header, body.charset.empty() ? hint : body.charset,
                                           FromHeader::Optional, prefix, defects);
    return ForwardedMessage{scope.label, std::move(fields.from),      std::move(fields.to), std::move(fields.subject),
                            fields.date, std::move(fields.messageId), std::move(body.text), body.source};
}

// Line limits apply to what staff and the letters will show.
void applyLineLimits(ParsedMessage& out, std::size_t maxLineBytes) {
    std::size_t broken = breakLongLines(out.textBody, maxLineBytes);
    for (ForwardedMessage& forwarded : out.forwarded) broken += breakLongLines(forwarded.textBody, maxLineBytes);
    if (broken > 0) {
        out.defects.push_back(std::to_string(broken) + " text lines longer than " + std::to_string(maxLineBytes) +
                              " bytes were broken");
    }
    if (cutAtCharacter(out.subject, maxLineBytes)) {
        out.defects.push_back("subject longer than " + std::to_string(maxLineBytes) + " bytes was cut");
    }
}

// The complainant of a forwarded complaint is the inner message's sender;
// asking for confidentiality anywhere counts, the subject included.
void readContactDetails(ParsedMessage& out) {
    const bool forwarded = !out.forwarded.empty();
    const std::string& text = forwarded ? out.forwarded.front().textBody : out.textBody;
    const std::string& name = forwarded ? out.forwarded.front().from.name : out.from.name;
    out.contact = extractContactDetails(text, name);
    for (const std::string& more : {out.subject, forwarded ? out.textBody : std::string()}) {
        if (!out.contact.confidential) out.contact.confidential = extractContactDetails(more, "").confidential;
    }
}

// The outer message's text, or without any, the first forwarded message's.
void chooseTextBody(std::vector<ScopeBody>& bodies, ParsedMessage& out) {
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        if (bodies[i].source == BodySource::None) continue;
        out.textBody = i == 0 ? std::move(bodies[i].text) : bodies[i].text;
        out.bodySource = bodies[i].source;
        out.bodyCharset = bodies[i].charset;
        return;
    }
}

ParsedMessage readMessage(std::string_view message, const ParseLimits& limits) {
    ParsedMessage out;
    const LoadedEntity loaded = loadEntity(message, containerBudget(limits), LargeBodies::Elide);
    MimeLayout layout;
    walkMimeTree(*loaded.entity, loaded.bytes(), loaded.elided, limits, layout);
    std::vector<std::string> partDefects = std::move(layout.defects);
    PartDecoder decoder(limits, partDefects, out.undecodedTexts);
    std::vector<ScopeBody> bodies;
    for (const MessageScope& scope : layout.messages) bodies.push_back(decoder.bodyOf(scope));
    chooseTextBody(bodies, out);
    // Header text sent without a charset is most likely in the charset of the text.
    const std::string hint = out.bodyCharset;
    out.attachments = decoder.attachments(layout.attachments, CharsetGuesser::forUnlabelled(hint, ""));

    copyHeaderFields(readHeaderFields(*layout.messages.front().header, hint, FromHeader::Required, "", out.defects),
                     out);
    out.defects.insert(out.defects.end(), partDefects.begin(), partDefects.end());
    for (std::size_t i = 1; i < layout.messages.size(); ++i) {
        out.forwarded.push_back(forwardedMessage(layout.messages[i], std::move(bodies[i]), hint, out.defects));
    }
    if (loaded.containersCapped) {
        out.defects.push_back("more than " + std::to_string(containerBudget(limits)) +
                              " multipart or message headers; later ones were read as plain parts");
    }
    applyLineLimits(out, limits.maxLineBytes);
    readContactDetails(out);
    return out;
}

}  // namespace

ParseResult parseMessage(std::string_view raw, const ParseLimits& limits) {
    if (raw.empty()) return ParseFailure{"empty message"};
    if (raw.size() > limits.maxMessageBytes) {
        return ParseFailure{"message is " + std::to_string(raw.size()) + " bytes, over the limit of " +
                            std::to_string(limits.maxMessageBytes) + " bytes"};
    }
    const std::string_view message = skipLeadingJunk(raw);
    if (!isHeaderFieldLine(message.substr(0, lineEnd(message, 0)))) {
        return ParseFailure{"no header block: the first line is not a header field"};
    }
    const std::size_t headerBytes = headerBlockLength(message);
    if (headerBytes > limits.maxHeaderBytes) {
        return ParseFailure{"header block is " + std::to_string(headerBytes) + " bytes, over the limit of " +
                            std::to_string(limits.maxHeaderBytes) + " bytes"};
    }
    try {
        return readMessage(message, limits);
    } catch (const std::exception& e) {
        return ParseFailure{std::string("MIME parser failed: ") + repairUtf8(e.what())};
    } catch (...) {
        return ParseFailure{"MIME parser failed with an unknown error"};
    }
}

}  // namespace complaintd::parsers
