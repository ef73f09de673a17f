// Charset conversion (glibc iconv) and RFC 2047 header decoding.
#include "parsers/text_decoding.h"

#include <iconv.h>

#include <cerrno>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "header_text.h"
#include "text_util.h"

namespace complaintd::parsers {

using detail::kReplacementChar;

namespace {

// What to hand iconv for one MIME label. An empty `primary` means UTF-8,
// which is checked and repaired without iconv.
struct CharsetPlan {
    std::string primary;
    std::string fallback;  // tried for single characters the primary rejects
};

struct LabelMapping {
    std::string_view label;
    std::string_view primary;
    std::string_view fallback;
};

// Real mail labels supersets with their subsets (CP950 text sent as "big5",
// GBK as "gb2312"), so labels map to the practical superset. Browsers read
// "iso-8859-1" as windows-1252; 8-bit text labelled "us-ascii" is usually UTF-8.
constexpr LabelMapping kLabelMappings[] = {
    {"big5", "CP950", "BIG5-HKSCS"},
    {"big-5", "CP950", "BIG5-HKSCS"},
    {"cn-big5", "CP950", "BIG5-HKSCS"},
    {"x-x-big5", "CP950", "BIG5-HKSCS"},
    {"x-big5", "CP950", "BIG5-HKSCS"},
    {"csbig5", "CP950", "BIG5-HKSCS"},
    {"cp950", "CP950", "BIG5-HKSCS"},
    {"windows-950", "CP950", "BIG5-HKSCS"},
    {"gb2312", "GB18030", ""},
    {"gbk", "GB18030", ""},
    {"x-gbk", "GB18030", ""},
    {"euc-cn", "GB18030", ""},
    {"cp936", "GB18030", ""},
    {"csgb2312", "GB18030", ""},
    {"x-gb2312", "GB18030", ""},
    {"gb_2312-80", "GB18030", ""},
    {"ks_c_5601-1987", "CP949", ""},
    {"ks_c_5601", "CP949", ""},
    {"euc-kr", "CP949", ""},
    {"euc-jp", "EUC-JP-MS", ""},
    {"x-euc-jp", "EUC-JP-MS", ""},
    {"iso-2022-jp", "ISO-2022-JP-2", ""},
    {"csiso2022jp", "ISO-2022-JP-2", ""},
    {"shift_jis", "CP932", ""},
    {"shift-jis", "CP932", ""},
    {"sjis", "CP932", ""},
    {"x-sjis", "CP932", ""},
    {"unicode-1-1-utf-7", "UTF-7", ""},
    {"iso-8859-1", "WINDOWS-1252", ""},
    {"iso8859-1", "WINDOWS-1252", ""},
    {"iso_8859-1", "WINDOWS-1252", ""},
    {"latin1", "WINDOWS-1252", ""},
    {"l1", "WINDOWS-1252", ""},
    {"utf-8", "", ""},
    {"utf8", "", ""},
    {"unicode-1-1-utf-8", "", ""},
    {"us-ascii", "", ""},
    {"ascii", "", ""},
};

// Names that reach iconv_open come from the message: keep them to plain
// charset names (no "//TRANSLIT" and the like).
bool isSafeIconvName(std::string_view name) {
    if (name.empty() || name.size() > 40) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                        c == ':' || c == '+';
        if (!ok) return false;
    }
    return true;
}

CharsetPlan planFor(std::string_view label) {
    const std::string name = detail::canonicalCharset(label);
    for (const LabelMapping& m : kLabelMappings) {
        if (m.label == name) return {std::string(m.primary), std::string(m.fallback)};
    }
    if (!isSafeIconvName(name)) return {};  // empty or odd: read as UTF-8
    return {name, ""};
}

const iconv_t kNoIconv = reinterpret_cast<iconv_t>(-1);

// iconv_close unloads a gconv module no descriptor uses any more, and the
// next iconv_open loads it again with dlopen: that was most of the time spent
// on a short message. So each thread keeps its descriptors open, a few dozen
// at most (only names iconv knows get here).
class IconvCache {
public:
    static constexpr std::size_t kMaxOpen = 32;

    IconvCache() = default;
    IconvCache(const IconvCache&) = delete;
    IconvCache& operator=(const IconvCache&) = delete;
    ~IconvCache() {
        for (const auto& entry : open_) iconv_close(entry.second);
    }

    // A descriptor for `from`, and whether the caller must close it.
    std::pair<iconv_t, bool> get(const std::string& from) {
        for (const auto& entry : open_) {
            if (entry.first == from) return {entry.second, false};
        }
        const iconv_t cd = iconv_open("UTF-8", from.c_str());
        if (cd == kNoIconv || open_.size() >= kMaxOpen) return {cd, true};
        open_.emplace_back(from, cd);
        return {cd, false};
    }

private:
    std::vector<std::pair<std::string, iconv_t>> open_;
};

class Iconv {
public:
    explicit Iconv(const std::string& from) {
        thread_local IconvCache cache;
        std::tie(cd_, owned_) = cache.get(from);
        if (ok()) reset();
    }
    ~Iconv() {
        if (ok() && owned_) iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;

    bool ok() const { return cd_ != kNoIconv; }
    void reset() { iconv(cd_, nullptr, nullptr, nullptr, nullptr); }

    // Converts as much as it can, appending to `out`. Returns errno when it
    // stopped at bytes it cannot convert, 0 when everything was consumed.
    int convert(const char*& in, std::size_t& inLeft, std::string& out) {
        char buffer[4096];
        while (true) {
            char* outPtr = buffer;
            std::size_t outLeft = sizeof buffer;
            auto* inPtr = const_cast<char*>(in);
            const std::size_t rc = iconv(cd_, &inPtr, &inLeft, &outPtr, &outLeft);
            const int err = rc == static_cast<std::size_t>(-1) ? errno : 0;
            in = inPtr;
            out.append(buffer, static_cast<std::size_t>(outPtr - buffer));
            if (err != E2BIG) return err;
        }
    }

    // Emits whatever a stateful decoder still holds back.
    void flush(std::string& out) {
        char buffer[64];
        char* outPtr = buffer;
        std::size_t outLeft = sizeof buffer;
        iconv(cd_, nullptr, nullptr, &outPtr, &outLeft);
        out.append(buffer, static_cast<std::size_t>(outPtr - buffer));
    }

private:
    iconv_t cd_ = kNoIconv;
    bool owned_ = true;
};

// Tries one double-byte character with the fallback decoder (HKSCS characters
// that CP950 lacks). Advances `in` only on success.
bool convertOneWithFallback(Iconv& fallback, const char*& in, std::size_t& inLeft, std::string& out) {
    if (!fallback.ok() || inLeft < 2) return false;
    const char* probe = in;
    std::size_t probeLeft = 2;
    std::string piece;
    fallback.reset();
    if (fallback.convert(probe, probeLeft, piece) != 0 || probeLeft != 0) return false;
    fallback.flush(piece);
    out += piece;
    in += 2;
    inLeft -= 2;
    return true;
}

std::optional<DecodedText> convertWithIconv(std::string_view bytes, const CharsetPlan& plan) {
    Iconv primary(plan.primary);
    if (!primary.ok()) return std::nullopt;
    std::optional<Iconv> fallback;
    if (!plan.fallback.empty()) fallback.emplace(plan.fallback);

    DecodedText result;
    result.utf8.reserve(bytes.size() + bytes.size() / 2);
    const char* in = bytes.data();
    std::size_t inLeft = bytes.size();
    while (inLeft > 0) {
        if (primary.convert(in, inLeft, result.utf8) == 0) continue;
        if (fallback && convertOneWithFallback(*fallback, in, inLeft, result.utf8)) continue;
        // Invalid or truncated sequence: mark it, skip one byte, resynchronise.
        result.utf8 += kReplacementChar;
        result.lossy = true;
        ++in;
        --inLeft;
        primary.reset();
    }
    primary.flush(result.utf8);
    if (!detail::isValidUtf8(result.utf8)) result.utf8 = detail::repairUtf8(result.utf8, result.lossy);
    return result;
}

enum class JisSet { Ascii, Jis0208, Jis0212, Katakana };

struct JisEscape {
    std::string_view sequence;  // after ESC
    JisSet set;
};

constexpr JisEscape kJisEscapes[] = {
    {"(B", JisSet::Ascii},   {"(J", JisSet::Ascii},   {"(I", JisSet::Katakana},
    {"$@", JisSet::Jis0208}, {"$B", JisSet::Jis0208}, {"$(D", JisSet::Jis0212},
};

// Switches `set` for the escape sequence at bytes[i] (ESC); returns its
// length, or 0 for one this reader does not know.
std::size_t readJisEscape(std::string_view bytes, std::size_t i, JisSet& set) {
    const std::string_view rest = bytes.substr(i + 1);
    for (const JisEscape& escape : kJisEscapes) {
        if (rest.starts_with(escape.sequence)) {
            set = escape.set;
            return escape.sequence.size() + 1;
        }
    }
    return 0;
}

bool isJisByte(char c) { return c >= 0x21 && c <= 0x7E; }

// ISO-2022-JP as Windows and Japanese phones write it (CP50220/50221: NEC and
// IBM rows, half-width katakana, SO/SI) is moved byte for byte into EUC-JP and
// read with the Microsoft EUC-JP table, which knows those characters. Nothing
// for 8-bit input (a wrong label) or an escape this does not know.
std::optional<std::string> iso2022JpAsEucJp(std::string_view bytes) {
    JisSet set = JisSet::Ascii;
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
        if (c == '\x1B') {
            const std::size_t length = readJisEscape(bytes, i, set);
            if (length == 0) return std::nullopt;
            i += length - 1;
        } else if (c == '\x0E' || c == '\x0F') {
            set = c == '\x0E' ? JisSet::Katakana : JisSet::Ascii;
        } else if (set == JisSet::Katakana && c >= 0x21 && c <= 0x5F) {
            out += '\x8E';
            out += static_cast<char>(c | 0x80);
        } else if (set != JisSet::Ascii && set != JisSet::Katakana && isJisByte(c) && i + 1 < bytes.size() &&
                   isJisByte(bytes[i + 1])) {
            if (set == JisSet::Jis0212) out += '\x8F';
            out += static_cast<char>(c | 0x80);
            out += static_cast<char>(bytes[++i] | 0x80);
        } else {
            out += c;
        }
    }
    return out;
}

DecodedText decodeUtf8(std::string_view bytes) {
    DecodedText result;
    result.utf8 = detail::repairUtf8(bytes, result.lossy);
    return result;
}

}  // namespace

DecodedText toUtf8(std::string_view bytes, std::string_view charset) {
    const CharsetPlan plan = planFor(charset);
    if (plan.primary == "ISO-2022-JP-2") {
        if (const std::optional<std::string> euc = iso2022JpAsEucJp(bytes)) {
            if (auto converted = convertWithIconv(*euc, {"EUC-JP-MS", ""})) return *converted;
        }
    }
    if (plan.primary.empty()) return decodeUtf8(bytes);
    if (auto converted = convertWithIconv(bytes, plan)) return *converted;
    return decodeUtf8(bytes);  // iconv does not know the label
}

}  // namespace complaintd::parsers
