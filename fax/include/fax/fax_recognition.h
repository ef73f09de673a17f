// Recognising a fax that arrived as mail: which gateway sent it, the sender's
// fax number, the page count, when it was received, and which attachments
// hold the pages (TIFF or PDF).
//
// Pure. The message is untrusted: only the first kMaxBodyLines lines of the
// body are looked at, each cut to kMaxLineBytes, and TIFF directories are
// walked with a page limit and a loop check. A mail no gateway matches is
// still a fax (kind Unknown, no number); what could not be read becomes a
// defect, never an exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fax/gateway_config.h"
#include "parsers/mime_parser.h"

namespace complaintd::fax {

inline constexpr std::size_t kMaxBodyLines = 300;
inline constexpr std::size_t kMaxLineBytes = 1000;

enum class DocumentFormat { Tiff, Pdf };

// "tiff", "pdf".
std::string_view idOf(DocumentFormat format);

// Whether an attachment holds fax pages, and in which format: by its first
// bytes ("II*\0", "MM\0*", "%PDF-"), else by its content type (image/tiff,
// image/tiff-fx, application/pdf, ...) or file name (.tif, .tiff, .pdf), so
// that a damaged page still reaches OCR and is reported there. Nullopt for
// anything else.
std::optional<DocumentFormat> documentFormat(std::string_view data, std::string_view contentType,
                                             std::string_view filename);

// The number of pages (image directories) of a classic TIFF; nullopt when the
// bytes are not one, or the chain of directories is broken or loops.
std::optional<int> countTiffPages(std::string_view data);

struct FaxDocument {
    std::size_t attachment = 0;  // index into ParsedMessage::attachments
    DocumentFormat format = DocumentFormat::Tiff;
    std::optional<int> pages;  // counted for TIFF; a PDF's pages are counted when it is rendered
};

struct FaxInfo {
    std::string gateway;  // id of the gateway whose patterns matched; empty when none did
    GatewayKind kind = GatewayKind::Unknown;
    std::string number;           // sender's fax number, normalised ("06-5050777"); empty when not found
    std::string numberAsWritten;  // as the gateway wrote it ("+886 6 5050777")
    std::optional<int> pages;     // as the gateway states it, else counted in TIFF attachments
    std::optional<std::chrono::sys_seconds> received;  // as the gateway states it
    std::vector<FaxDocument> documents;                // in attachment order
    std::vector<std::string> defects;                  // English, one line each, for staff
};

// Tries the gateways in order; the first whose match patterns all hold decides
// where the values are read from.
FaxInfo recogniseFax(const parsers::ParsedMessage& message, const GatewaySet& gateways);

}  // namespace complaintd::fax
