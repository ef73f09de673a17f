#include "cases/document_number.h"

namespace complaintd::cases {
namespace {

// One {...} of the pattern: its width for a sequence (0: as it is), or nullopt for the year.
struct Placeholder {
    bool sequence = false;
    int width = 0;
};

std::optional<Placeholder> placeholderOf(std::string_view name) {
    if (name == "roc_year") return Placeholder{};
    if (name == "seq") return Placeholder{true, 0};
    if (name.size() == 6 && name.starts_with("seq:0") && name[5] >= '1' && name[5] <= '9')
        return Placeholder{true, name[5] - '0'};
    return std::nullopt;
}

}  // namespace

std::optional<std::string> documentNumberPatternProblem(std::string_view pattern) {
    int sequences = 0;
    for (std::size_t pos = 0; pos < pattern.size(); ++pos) {
        if (pattern[pos] == '}') return "a '}' without its '{'";
        if (pattern[pos] != '{') continue;
        const auto end = pattern.find('}', pos);
        if (end == std::string_view::npos) return "a '{' without its '}'";
        const auto name = pattern.substr(pos + 1, end - pos - 1);
        const auto placeholder = placeholderOf(name);
        if (!placeholder) return "unknown {" + std::string(name) + "}: use {roc_year}, {seq} or {seq:05}";
        if (placeholder->sequence) ++sequences;
        pos = end;
    }
    if (sequences != 1) return "needs exactly one {seq} (or {seq:05}): letters of one year must differ";
    if (pattern.find("{roc_year}") == std::string_view::npos)
        return "needs {roc_year}: the sequence starts again at 1 each year";
    return std::nullopt;
}

std::string formatDocumentNumber(std::string_view pattern, int rocYear, int sequence) {
    std::string out;
    for (std::size_t pos = 0; pos < pattern.size(); ++pos) {
        const auto end = pattern[pos] == '{' ? pattern.find('}', pos) : std::string_view::npos;
        const auto placeholder =
            end == std::string_view::npos ? std::nullopt : placeholderOf(pattern.substr(pos + 1, end - pos - 1));
        if (!placeholder) {
            out += pattern[pos];
            continue;
        }
        std::string value = std::to_string(placeholder->sequence ? sequence : rocYear);
        if (value.size() < std::size_t(placeholder->width)) value.insert(0, placeholder->width - value.size(), '0');
        out += value;
        pos = end;
    }
    return out;
}

}  // namespace complaintd::cases
