#include "pdf_check.h"

#include <cairo.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace complaintd::documents::test {
namespace {

namespace fs = std::filesystem;

fs::path outputFolder() {
    if (const char* keep = std::getenv("COMPLAINTD_DOCUMENTS_OUT")) {
        fs::create_directories(keep);
        return keep;
    }
    static const fs::path folder = [] {
        auto path = fs::temp_directory_path() / ("documents_test." + std::to_string(::getpid()));
        fs::create_directories(path);
        return path;
    }();
    return folder;
}

std::string run(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string out;
    char buffer[4096];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    if (::pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
    return out;
}

std::string shellQuoted(const fs::path& path) { return "'" + path.string() + "'"; }

double inkOf(const fs::path& png) {
    auto* image = cairo_image_surface_create_from_png(png.c_str());
    if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(image);
        throw std::runtime_error("cannot read " + png.string());
    }
    const int width = cairo_image_surface_get_width(image), height = cairo_image_surface_get_height(image);
    const int stride = cairo_image_surface_get_stride(image);
    const auto* data = cairo_image_surface_get_data(image);
    long inked = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const auto* p = data + y * stride + x * 4;  // RGB24/ARGB32: one 32-bit word per pixel
            if (p[0] < 200 || p[1] < 200 || p[2] < 200) ++inked;
        }
    cairo_surface_destroy(image);
    return static_cast<double>(inked) / (static_cast<double>(width) * height);
}

}  // namespace

std::string writeOutput(const std::string& name, const std::string& bytes) {
    const auto path = outputFolder() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}

std::string pdfText(const std::string& pdf, const std::string& name) {
    return run("pdftotext -enc UTF-8 " + shellQuoted(writeOutput(name, pdf)) + " -");
}

int pageCount(const std::string& pdf, const std::string& name) {
    const auto info = run("pdfinfo " + shellQuoted(writeOutput(name, pdf)));
    const auto at = info.find("Pages:");
    return at == std::string::npos ? 0 : std::atoi(info.c_str() + at + 6);
}

std::vector<double> inkPerPage(const std::string& pdf, const std::string& name, int dpi) {
    const auto path = fs::path(writeOutput(name, pdf));
    const auto prefix = path.parent_path() / path.stem();
    run("pdftoppm -r " + std::to_string(dpi) + " -png " + shellQuoted(path) + " " + shellQuoted(prefix));
    std::vector<double> ink;
    for (int page = 1; page <= pageCount(pdf, name); ++page) {
        // pdftoppm pads the page number to the width of the page count.
        for (const auto* pattern : {"%s-%d.png", "%s-%02d.png", "%s-%03d.png"}) {
            char file[1024];
            std::snprintf(file, sizeof file, pattern, prefix.c_str(), page);
            if (fs::exists(file)) {
                ink.push_back(inkOf(file));
                break;
            }
        }
    }
    return ink;
}

std::string pdfFonts(const std::string& pdf, const std::string& name) {
    return run("pdffonts " + shellQuoted(writeOutput(name, pdf)));
}

}  // namespace complaintd::documents::test
