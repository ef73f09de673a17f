#include "cases/case.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

namespace complaintd::cases {
namespace {

template <typename E>
struct Naming {
    E value;
    std::string_view id;
    std::string_view label;
};

constexpr std::array<Naming<Channel>, 5> kChannels{{
    {Channel::Email, "email", "E-mail"},
    {Channel::Fax, "fax", "傳真"},
    {Channel::Phone, "phone", "電話"},
    {Channel::Letter, "letter", "來函"},
    {Channel::InPerson, "in-person", "到中心"},
}};

constexpr std::array<Naming<Category>, 5> kCategories{{
    {Category::Suggestion, "suggestion", "行政興革之建議"},
    {Category::Inquiry, "inquiry", "行政法令之查詢"},
    {Category::Misconduct, "misconduct", "行政違失之舉發"},
    {Category::Rights, "rights", "行政上權益之維護"},
    {Category::Other, "other", "其他"},
}};

constexpr std::array<Naming<CaseStatus>, 11> kStatuses{{
    {CaseStatus::Received, "received", "已收文"},
    {CaseStatus::Assigned, "assigned", "已分文"},
    {CaseStatus::InProgress, "in-progress", "辦理中"},
    {CaseStatus::ReplyDrafted, "reply-drafted", "擬復中"},
    {CaseStatus::SignedOff, "signed-off", "已核定"},
    {CaseStatus::Replied, "replied", "已函復"},
    {CaseStatus::Closed, "closed", "已結案"},
    {CaseStatus::Archived, "archived", "已存檔"},
    {CaseStatus::Reopened, "reopened", "續辦中"},
    {CaseStatus::Filed, "filed", "存查"},
    {CaseStatus::Referred, "referred", "已轉介"},
}};

template <typename E, std::size_t N>
const Naming<E>& namingOf(const std::array<Naming<E>, N>& table, E value) {
    for (const auto& entry : table)
        if (entry.value == value) return entry;
    std::abort();  // every enumerator is in its table
}

template <typename E, std::size_t N>
std::optional<E> valueFrom(const std::array<Naming<E>, N>& table, std::string_view text) {
    for (const auto& entry : table)
        if (entry.id == text || entry.label == text) return entry.value;
    return std::nullopt;
}

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool isQuoteOrSignatureStart(std::string_view line) { return line.starts_with(">") || line == "-- " || line == "--"; }

}  // namespace

std::string_view idOf(Channel v) { return namingOf(kChannels, v).id; }
std::string_view labelOf(Channel v) { return namingOf(kChannels, v).label; }
std::string_view idOf(Category v) { return namingOf(kCategories, v).id; }
std::string_view labelOf(Category v) { return namingOf(kCategories, v).label; }
std::string_view idOf(CaseStatus v) { return namingOf(kStatuses, v).id; }
std::string_view labelOf(CaseStatus v) { return namingOf(kStatuses, v).label; }
std::optional<Channel> channelFrom(std::string_view t) { return valueFrom(kChannels, t); }
std::optional<Category> categoryFrom(std::string_view t) { return valueFrom(kCategories, t); }
std::optional<CaseStatus> statusFrom(std::string_view t) { return valueFrom(kStatuses, t); }

std::string CaseNumber::toString() const {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%03d-%03d", rocYear, sequence);
    return buffer;
}

std::optional<CaseNumber> CaseNumber::parse(std::string_view text) {
    const auto dash = text.find('-');
    if (dash != 3 || text.size() < 7) return std::nullopt;
    CaseNumber number;
    const auto year = std::from_chars(text.data(), text.data() + dash, number.rocYear);
    const auto seq = std::from_chars(text.data() + dash + 1, text.data() + text.size(), number.sequence);
    if (year.ec != std::errc{} || year.ptr != text.data() + dash) return std::nullopt;
    if (seq.ec != std::errc{} || seq.ptr != text.data() + text.size()) return std::nullopt;
    if (number.rocYear <= 0 || number.sequence <= 0) return std::nullopt;
    return number;
}

CaseNumber nextCaseNumber(int rocYear, int lastSequenceOfYear) { return CaseNumber{rocYear, lastSequenceOfYear + 1}; }

std::string summarizeBody(std::string_view body, std::size_t maxCharacters) {
    std::string summary;
    std::size_t characters = 0;
    bool pendingSpace = false;
    std::size_t lineStart = 0;
    while (lineStart <= body.size() && characters < maxCharacters) {
        auto lineEnd = body.find('\n', lineStart);
        if (lineEnd == std::string_view::npos) lineEnd = body.size();
        std::string_view line = body.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "-- " || line == "--") break;  // the signature follows
        if (isQuoteOrSignatureStart(line)) continue;
        pendingSpace = !summary.empty();
        for (std::size_t i = 0; i < line.size() && characters < maxCharacters; ++i) {
            const char c = line[i];
            if (c == ' ' || c == '\t') {
                pendingSpace = !summary.empty();
                continue;
            }
            if (pendingSpace) {
                summary += ' ';
                pendingSpace = false;
            }
            summary += c;
            // Count code points; finish a multi-byte character before stopping.
            if (!isContinuationByte(c)) ++characters;
            while (i + 1 < line.size() && isContinuationByte(line[i + 1])) summary += line[++i];
        }
    }
    return summary;
}

std::string salutationOf(std::string_view name) {
    if (name.empty()) return "";
    // Not 君: it ends many given names (林淑君), which still get their 君.
    for (std::string_view title : {"先生", "小姐", "女士", "太太"})
        if (name.ends_with(title)) return std::string(name);
    return std::string(name) + " 君";
}

}  // namespace complaintd::cases
