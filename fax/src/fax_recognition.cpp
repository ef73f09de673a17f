#include "fax/fax_recognition.h"

#include <algorithm>
#include <set>

#include "time_text.h"

namespace complaintd::fax {
namespace {

constexpr int kMaxTiffPages = 10000;

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<std::string> fieldLines(const parsers::ParsedMessage& message, MailField field) {
    switch (field) {
        case MailField::Subject:
            return {message.subject.substr(0, kMaxLineBytes)};
        case MailField::From: {
            const auto& from = message.from;
            const std::string line = from.name.empty() ? from.address : from.name + " <" + from.address + ">";
            return {line.substr(0, kMaxLineBytes)};
        }
        case MailField::Body:
            break;
    }
    std::vector<std::string> lines;
    std::string_view body = message.textBody;
    while (!body.empty() && lines.size() < kMaxBodyLines) {
        const auto end = std::min(body.find('\n'), body.size());
        lines.emplace_back(body.substr(0, std::min(end, kMaxLineBytes)));
        body.remove_prefix(std::min(end + 1, body.size()));
    }
    return lines;
}

// The mail's lines, split once per field.
struct MailLines {
    std::vector<std::string> subject, from, body;

    explicit MailLines(const parsers::ParsedMessage& message)
        : subject(fieldLines(message, MailField::Subject)),
          from(fieldLines(message, MailField::From)),
          body(fieldLines(message, MailField::Body)) {}

    const std::vector<std::string>& of(MailField field) const {
        return field == MailField::Subject ? subject : field == MailField::From ? from : body;
    }
};

// The first match of the first pattern that matches any line of its field.
std::optional<PatternMatch> firstMatch(const std::vector<FieldPattern>& patterns, const MailLines& lines) {
    for (const auto& pattern : patterns)
        for (const auto& line : lines.of(pattern.field))
            if (auto match = pattern.pattern.match(line)) return match;
    return std::nullopt;
}

bool matches(const Gateway& gateway, const MailLines& lines) {
    for (const MailField field : {MailField::Subject, MailField::From, MailField::Body}) {
        std::vector<FieldPattern> ofField;
        std::copy_if(gateway.match.begin(), gateway.match.end(), std::back_inserter(ofField),
                     [&](const FieldPattern& p) { return p.field == field; });
        if (!ofField.empty() && !firstMatch(ofField, lines)) return false;
    }
    return true;
}

void readReceived(const Gateway& gateway, const MailLines& lines, FaxInfo& info) {
    std::string unread;
    for (const auto& pattern : gateway.received) {
        for (const auto& line : lines.of(pattern.field)) {
            const auto match = pattern.pattern.match(line);
            if (!match) continue;
            for (const auto& format : gateway.timeFormats) {
                if ((info.received = parseTime(match->time, format, gateway.utcOffset))) return;
            }
            if (unread.empty()) unread = match->time;
        }
    }
    if (!unread.empty()) info.defects.push_back("receive time `" + unread + "` matches no time_format of the gateway");
}

void readGatewayValues(const Gateway& gateway, const MailLines& lines, FaxInfo& info) {
    info.gateway = gateway.id;
    info.kind = gateway.kind;
    if (const auto match = firstMatch(gateway.number, lines)) {
        info.number = match->number;
        info.numberAsWritten = match->numberAsWritten;
    } else if (!gateway.number.empty()) {
        info.defects.push_back("no fax number found where gateway [" + gateway.id + "] writes it");
    }
    if (const auto match = firstMatch(gateway.pages, lines)) info.pages = match->pages;
    readReceived(gateway, lines, info);
}

void findDocuments(const parsers::ParsedMessage& message, FaxInfo& info) {
    for (std::size_t i = 0; i < message.attachments.size(); ++i) {
        const auto& attachment = message.attachments[i];
        const auto format = documentFormat(attachment.data, attachment.contentType, attachment.filename);
        if (format) {
            info.documents.push_back(
                {i, *format, *format == DocumentFormat::Tiff ? countTiffPages(attachment.data) : std::nullopt});
        } else if (attachment.contentType == "application/postscript") {
            info.defects.push_back("fax pages in PostScript are not read (HylaFAX: set FILETYPE=pdf or tif)");
        }
    }
    if (info.documents.empty()) info.defects.push_back("no TIFF or PDF attachment holds the fax pages");
}

// Pages stated by the gateway are checked against the TIFFs: a difference
// usually means the fax was received only in part.
void checkPages(FaxInfo& info) {
    int counted = 0;
    for (const auto& document : info.documents) {
        if (!document.pages) return;
        counted += *document.pages;
    }
    if (info.documents.empty()) return;
    if (!info.pages) {
        info.pages = counted;
    } else if (*info.pages != counted) {
        info.defects.push_back("the gateway states " + std::to_string(*info.pages) + " pages, the attachments hold " +
                               std::to_string(counted));
    }
}

std::uint32_t readUnsigned(std::string_view data, std::size_t offset, std::size_t bytes, bool bigEndian) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
        const auto byte = static_cast<unsigned char>(data[offset + (bigEndian ? i : bytes - 1 - i)]);
        value = (value << 8) | byte;
    }
    return value;
}

}  // namespace

std::string_view idOf(DocumentFormat format) { return format == DocumentFormat::Tiff ? "tiff" : "pdf"; }

std::optional<DocumentFormat> documentFormat(std::string_view data, std::string_view contentType,
                                             std::string_view filename) {
    if (data.starts_with(std::string_view("II*\0", 4)) || data.starts_with(std::string_view("MM\0*", 4)))
        return DocumentFormat::Tiff;
    if (data.substr(0, 1024).find("%PDF-") != std::string_view::npos) return DocumentFormat::Pdf;
    const std::string type = lowerAscii(contentType);
    const std::string name = lowerAscii(filename);
    if (type == "image/tiff" || type == "image/tif" || type == "image/x-tiff" || type == "image/tiff-fx" ||
        name.ends_with(".tif") || name.ends_with(".tiff"))
        return DocumentFormat::Tiff;
    if (type == "application/pdf" || type == "application/x-pdf" || name.ends_with(".pdf")) return DocumentFormat::Pdf;
    return std::nullopt;
}

std::optional<int> countTiffPages(std::string_view data) {
    if (data.size() < 8) return std::nullopt;
    const bool bigEndian = data.starts_with("MM");
    if (!bigEndian && !data.starts_with("II")) return std::nullopt;
    if (readUnsigned(data, 2, 2, bigEndian) != 42) return std::nullopt;  // 43 is BigTIFF
    std::set<std::uint32_t> seen;
    int pages = 0;
    for (std::uint32_t offset = readUnsigned(data, 4, 4, bigEndian); offset != 0;) {
        if (pages == kMaxTiffPages || !seen.insert(offset).second) return std::nullopt;
        if (std::size_t(offset) + 2 > data.size()) return std::nullopt;
        const std::size_t next = std::size_t(offset) + 2 + 12 * std::size_t(readUnsigned(data, offset, 2, bigEndian));
        if (next + 4 > data.size()) return std::nullopt;
        ++pages;
        offset = readUnsigned(data, next, 4, bigEndian);
    }
    return pages;
}

FaxInfo recogniseFax(const parsers::ParsedMessage& message, const GatewaySet& gateways) {
    FaxInfo info;
    const MailLines lines(message);
    for (const auto& gateway : gateways.gateways()) {
        if (!matches(gateway, lines)) continue;
        readGatewayValues(gateway, lines, info);
        break;
    }
    findDocuments(message, info);
    checkPages(info);
    return info;
}

}  // namespace complaintd::fax
