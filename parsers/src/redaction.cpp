// The spans to hide are found in the width-folded, ASCII-lowercased text (the form the
// detectors read), then mapped back to the bytes of the text as written.
#include "parsers/redaction.h"

#include <algorithm>
#include <vector>

#include "parsers/contact_details.h"
#include "phone_numbers.h"
#include "postal_address.h"
#include "text_util.h"

namespace complaintd::parsers {

using namespace detail;

namespace {

// A known value shorter than this (a one-character name) would blank ordinary words.
constexpr std::size_t kMinKnownCodePoints = 2;
constexpr std::size_t kMaxSurnameNameCodePoints = 4;
constexpr std::string_view kHonorifics[] = {"先生", "小姐", "女士", "太太"};

bool isAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isLocalPartChar(char c) { return isAsciiAlnum(c) || std::string_view("._%+-").find(c) != std::string_view::npos; }
bool isDomainChar(char c) { return isAsciiAlnum(c) || c == '.' || c == '-'; }

// user@example.org as written in prose. Each scan stops at the next or previous '@',
// so the whole text is read at most twice.
void addEmailSpans(std::string_view text, std::vector<TextSpan>& spans) {
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && isLocalPartChar(text[begin - 1])) --begin;
        std::size_t end = at + 1;
        while (end < text.size() && isDomainChar(text[end])) ++end;
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // the sentence's full stop
        if (begin == at || text.substr(at + 1, end - at - 1).find('.') == std::string_view::npos) continue;
        spans.push_back({begin, end});
    }
}

// 王先生, 王小姐 ... for 王小明: how a Chinese name is often written in a complaint.
std::vector<std::string> surnameForms(std::string_view name) {
    std::size_t pos = 0;
    const bool han = allHan(name);
    const std::size_t count = codePoints(name);
    if (!han || count < 2 || count > kMaxSurnameNameCodePoints) return {};
    nextCodePoint(name, pos);
    std::vector<std::string> forms;
    for (std::string_view honorific : kHonorifics)
        forms.push_back(std::string(name.substr(0, pos)) + std::string(honorific));
    return forms;
}

// Every occurrence of each value (folded and lowercased like `text`).
void addKnownSpans(std::string_view text, const std::vector<std::string>& values, std::vector<TextSpan>& spans) {
    for (const auto& raw : values) {
        const std::string value = asciiLower(trimWhitespace(foldWidth(raw)));
        if (codePoints(value) < kMinKnownCodePoints) continue;
        for (std::size_t pos = text.find(value); pos != std::string_view::npos;
             pos = text.find(value, pos + value.size()))
            spans.push_back({pos, pos + value.size()});
    }
}

std::vector<std::string> knownValues(const KnownIdentity& who, std::string_view text) {
    std::vector<std::string> values{who.name, who.email, who.phone, who.fax, who.address, who.organisation};
    // A name the text itself gives (聯絡人：..., a signature) identifies as well as the known one.
    const ContactDetails written = extractContactDetails(text, "");
    values.push_back(written.name);
    values.push_back(written.organisation);
    for (const std::string& name : {who.name, written.name})
        for (auto& form : surnameForms(name)) values.push_back(std::move(form));
    return values;
}

}  // namespace

std::string redactIdentity(std::string_view text, const KnownIdentity& who) {
    std::vector<std::size_t> origin;
    const std::string folded = asciiLower(foldWidth(text, origin));
    std::vector<TextSpan> spans = findPhoneNumberSpans(folded);
    for (auto& span : spans) {
        // "（0912-345-678）": the number starts at the opening parenthesis, which must not go alone.
        const std::string_view number = std::string_view(folded).substr(span.begin, span.end - span.begin);
        if (number.starts_with('(') && number.find(')') == std::string_view::npos) ++span.begin;
    }
    const std::vector<TextSpan> addresses = findPostalAddressSpans(folded);
    spans.insert(spans.end(), addresses.begin(), addresses.end());
    addEmailSpans(folded, spans);
    addKnownSpans(folded, knownValues(who, text), spans);
    std::sort(spans.begin(), spans.end(), [](const TextSpan& a, const TextSpan& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;  // folded[0, copied) is written out
    for (std::size_t i = 0; i < spans.size();) {
        const std::size_t begin = spans[i].begin;
        std::size_t end = spans[i].end;
        // Overlapping or touching spans become one mark.
        for (++i; i < spans.size() && spans[i].begin <= end; ++i) end = std::max(end, spans[i].end);
        if (begin < copied) continue;
        out.append(text.substr(origin[copied], origin[begin] - origin[copied]));
        out += kRedactionMark;
        copied = end;
    }
    out.append(text.substr(origin[copied]));
    return out;
}

}  // namespace complaintd::parsers
