// parseMessage: limits and sanity checks, then mimetic, then field extraction.
#include "parsers/mime_parser.h"

#include <mimetic/mimeentity.h>

#include <exception>

#include "address_list.h"
#include "header_fields.h"
#include "header_text.h"
#include "mime_tree.h"
#include "text_util.h"

namespace complaintd::parsers {

using namespace detail;

namespace {

constexpr std::size_t kMaxQuotedDateLength = 80;

std::size_t lineEnd(std::string_view text, std::size_t pos) {
    const std::size_t end = text.find_first_of("\r\n", pos);
    return end == std::string_view::npos ? text.size() : end;
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

std::vector<Mailbox> readAddresses(const mimetic::Header& header, std::string_view name, ParsedMessage& out) {
    const std::optional<std::string> value = fieldValue(header, name);
    if (!value) return {};
    AddressList list = parseAddressList(*value);
    if (list.lossy) out.defects.push_back("undecodable bytes in " + asciiLower(name) + " (" + list.lossyCharset + ")");
    return std::move(list.mailboxes);
}

void readFrom(const mimetic::Header& header, ParsedMessage& out) {
    if (!fieldValue(header, "From")) {
        out.defects.push_back("missing From header");
        return;
    }
    std::vector<Mailbox> from = readAddresses(header, "From", out);
    if (from.empty()) {
        out.defects.push_back("From header holds no address");
        return;
    }
    out.from = std::move(from.front());
}

void readSubject(const mimetic::Header& header, ParsedMessage& out) {
    HeaderText subject = decodeHeaderText(fieldValue(header, "Subject").value_or(""));
    if (subject.lossy) out.defects.push_back("undecodable bytes in subject (" + subject.lossyCharset + ")");
    out.subject = std::string(trimWhitespace(subject.utf8));
}

void readDate(const mimetic::Header& header, ParsedMessage& out) {
    const std::optional<std::string> value = fieldValue(header, "Date");
    if (!value) return;
    out.date = parseMailDate(*value);
    if (!out.date) {
        out.defects.push_back("unparseable Date header \"" + repairUtf8(value->substr(0, kMaxQuotedDateLength)) + "\"");
    }
}

void readThreadIds(const mimetic::Header& header, ParsedMessage& out) {
    const std::vector<std::string> messageIds = parseMessageIds(fieldValue(header, "Message-ID").value_or(""));
    if (!messageIds.empty()) out.messageId = messageIds.front();
    const std::vector<std::string> replyIds = parseMessageIds(fieldValue(header, "In-Reply-To").value_or(""));
    if (!replyIds.empty()) out.inReplyTo = replyIds.front();
    out.references = parseMessageIds(fieldValue(header, "References").value_or(""));
}

ParsedMessage readMessage(std::string_view message, const ParseLimits& limits) {
    ParsedMessage out;
    const LoadedEntity loaded = loadEntity(std::string(message), containerBudget(limits));
    const mimetic::Header& header = loaded.entity->header();
    readFrom(header, out);
    out.to = readAddresses(header, "To", out);
    out.cc = readAddresses(header, "Cc", out);
    readSubject(header, out);
    readDate(header, out);
    readThreadIds(header, out);
    walkMimeTree(*loaded.entity, limits, out);
    if (loaded.containersCapped) {
        out.defects.push_back("more than " + std::to_string(containerBudget(limits)) +
                              " multipart or message headers; later ones were read as plain parts");
    }
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
