#include "center/traditional_copy.h"

#include <opencc/opencc.h>

#include "cases/error.h"

namespace complaintd::center {
namespace {

// A cut inside a UTF-8 sequence would give OpenCC an invalid byte: back to the sequence's start.
std::size_t wholeCharacters(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text.size();
    while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;
    return limit;
}

}  // namespace

TraditionalCopy::TraditionalCopy() {
    const opencc_t handle = opencc_open("s2twp.json");
    if (handle == reinterpret_cast<opencc_t>(-1))
        throw ConfigError(std::string("OpenCC cannot load s2twp.json (") + opencc_error() +
                          "): install Debian's libopencc1.1 and libopencc-data");
    converter_ = std::shared_ptr<void>(handle, [](void* h) { opencc_close(h); });
}

std::string TraditionalCopy::of(std::string_view utf8) const {
    const auto length = wholeCharacters(utf8, kMaxBytes);
    if (length == 0) return {};
    char* converted = opencc_convert_utf8(converter_.get(), utf8.data(), length);
    if (!converted) return std::string(utf8.substr(0, length));  // matching falls back to the text as sent
    std::string copy(converted);
    opencc_convert_utf8_free(converted);
    return copy;
}

}  // namespace complaintd::center
