// Test helpers for rendered documents: the text poppler extracts from a PDF,
// its page count, and how much of each page is inked (pages rendered to PNG
// by pdftoppm and decoded with cairo). Files go to a temporary folder; set
// COMPLAINTD_DOCUMENTS_OUT to a folder to keep them for looking at.
#pragma once

#include <string>
#include <vector>

namespace complaintd::documents::test {

// Writes `bytes` as `name` into the output folder and returns the path.
std::string writeOutput(const std::string& name, const std::string& bytes);

// pdftotext's UTF-8 text of the PDF, pages separated by form feeds.
std::string pdfText(const std::string& pdf, const std::string& name);

int pageCount(const std::string& pdf, const std::string& name);

// For each page rendered at `dpi`, the share of pixels that are not white (0..1).
std::vector<double> inkPerPage(const std::string& pdf, const std::string& name, int dpi = 40);

// The fonts pdffonts lists, one line each.
std::string pdfFonts(const std::string& pdf, const std::string& name);

}  // namespace complaintd::documents::test
