#include "templates/letter_template.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <regex>

#include "cases/error.h"

namespace complaintd::templates {
namespace {

using kainjow::mustache::mustache;

int lineAt(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(offset), '\n'));
}

// kainjow reports errors as "... at OFFSET"; turn the offset into a line.
[[noreturn]] void failSyntax(const std::string& fileName, std::string_view whole, std::size_t partStart,
                             const std::string& message) {
    std::size_t offset = 0;
    if (auto at = message.rfind(" at "); at != std::string::npos) offset = std::stoul(message.substr(at + 4));
    throw ConfigError(fileName + ":" + std::to_string(lineAt(whole, partStart + offset)) + ": " + message);
}

// Names used in {{name}}, {{{name}}}, {{&name}}, {{#name}}, {{^name}}, with their offsets.
void checkFieldNames(const std::string& fileName, std::string_view whole, std::size_t partStart,
                     const std::string& part, const std::set<std::string>& known) {
    static const std::regex tag(R"(\{\{\{?\s*[#^/&]?\s*([A-Za-z0-9_.]+)\s*\}?\}\})");
    for (auto it = std::sregex_iterator(part.begin(), part.end(), tag); it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        if (name == "." || known.count(name)) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw ConfigError(fileName + ":" + std::to_string(lineAt(whole, partStart + std::size_t(it->position()))) +
                          ": unknown field {{" + name + "}} (known: " + list + ")");
    }
}

void validate(const std::string& fileName, std::string_view whole, std::size_t partStart, const std::string& part,
              const std::set<std::string>& known) {
    mustache compiled{part};
    if (!compiled.is_valid()) failSyntax(fileName, whole, partStart, compiled.error_message());
    checkFieldNames(fileName, whole, partStart, part, known);
}

std::string renderPart(const std::string& part, const LetterFields& fields) {
    mustache compiled{part};
    compiled.set_custom_escape([](const std::string& s) { return s; });
    kainjow::mustache::data data;
    // An empty value is no value: {{#name}}...{{/name}} is skipped and {{^name}} shown (mustache
    // would count an empty string as set, and greet " 君").
    for (const auto& [key, value] : fields)
        if (!value.empty()) data.set(key, value);
    return compiled.render(data);
}

}  // namespace

LetterTemplate LetterTemplate::parse(std::string_view text, const std::string& fileName,
                                     const std::set<std::string>& knownFields) {
    constexpr std::string_view kSubject = "Subject:";
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const auto lineEnd = text.find('\n');
    if (!text.starts_with(kSubject) || lineEnd == std::string_view::npos)
        throw ConfigError(fileName + ":1: a letter template starts with a `Subject: ...` line, then a blank line");
    LetterTemplate letter;
    std::string_view subject = text.substr(kSubject.size(), lineEnd - kSubject.size());
    while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t')) subject.remove_prefix(1);
    while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' ')) subject.remove_suffix(1);
    letter.subject_ = std::string(subject);
    std::size_t bodyStart = lineEnd + 1;
    if (text.substr(bodyStart).starts_with("\r\n"))
        bodyStart += 2;
    else if (text.substr(bodyStart).starts_with("\n"))
        bodyStart += 1;
    else
        throw ConfigError(fileName + ":2: a blank line must follow the Subject line");
    letter.body_ = std::string(text.substr(bodyStart));
    letter.body_.erase(std::remove(letter.body_.begin(), letter.body_.end(), '\r'), letter.body_.end());
    validate(fileName, text, kSubject.size(), letter.subject_, knownFields);
    validate(fileName, text, bodyStart, letter.body_, knownFields);
    return letter;
}

Letter LetterTemplate::render(const LetterFields& fields) const {
    Letter letter{renderPart(subject_, fields), renderPart(body_, fields)};
    // A subject is one line whatever a field held.
    std::replace(letter.subject.begin(), letter.subject.end(), '\n', ' ');
    std::replace(letter.subject.begin(), letter.subject.end(), '\r', ' ');
    return letter;
}

const std::set<std::string>& letterFields() {
    static const std::set<std::string> fields{
        "case_number",      "received_date", "received_at",      "subject",     "summary",        "channel",
        "category",         "unit_name",     "complainant_name", "center_name", "center_address", "center_phone",
        "center_email",     "today",         "reply_text",       "handler",     "referral_name",  "referral_phone",
        "referral_address", "referral_web",  "target_due",       "legal_due",   "days_left",      "delay_reason",
        "status",           "notice_title",  "notice_text",      "case_link",   "contact_person", "center_fax",
        "awaiting_post",    "salutation"};
    return fields;
}

}  // namespace complaintd::templates

namespace complaintd::templates {
namespace {

// The code point at `i` and its length; an invalid sequence is one byte of U+FFFD.
std::pair<char32_t, std::size_t> codePointAt(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) return {lead, 1};
    const std::size_t length = lead >= 0xF0 && lead < 0xF5 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return {0xFFFD, 1};
    char32_t cp = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if ((c & 0xC0) != 0x80) return {0xFFFD, 1};
        cp = (cp << 6) | (c & 0x3F);
    }
    return {cp, length};
}

bool breaksLine(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

bool isInvisibleControl(char32_t cp) {
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF;
}

}  // namespace

std::string quotedSubject(std::string_view subject, std::size_t maxCharacters) {
    std::string line;
    std::size_t characters = 0, cutAt = 0;  // cutAt: bytes of the first maxCharacters - 1 characters
    bool space = false, cut = false;
    for (std::size_t i = 0; i < subject.size() && !cut;) {
        const auto [cp, length] = codePointAt(subject, i);
        const auto bytes = cp == 0xFFFD && length == 1 ? std::string_view("\xEF\xBF\xBD") : subject.substr(i, length);
        i += length;
        if (isInvisibleControl(cp)) continue;
        if (breaksLine(cp) || cp == ' ') {
            space = !line.empty();
            continue;
        }
        for (const auto piece : {space ? std::string_view(" ") : std::string_view(), bytes}) {
            if (piece.empty()) continue;
            if (characters == maxCharacters) {
                cut = true;
                break;
            }
            line += piece;
            if (++characters + 1 == maxCharacters) cutAt = line.size();
        }
        space = false;
    }
    if (!cut) return line;
    if (maxCharacters == 0) return {};
    line.resize(maxCharacters == 1 ? 0 : cutAt);
    while (line.ends_with(' ')) line.pop_back();
    return line + "…";
}

}  // namespace complaintd::templates
