// Contact details from labelled lines (聯絡人：, 公司：), the signature at the
// end of the text, the phone and address scanners, and confidentiality
// phrases. Everything is read from the width-folded text, so that ０９１２
// and "：" need no special cases.
#include "parsers/contact_details.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "phone_numbers.h"
#include "postal_address.h"
#include "text_util.h"

namespace complaintd::parsers {

using namespace detail;

namespace {

constexpr std::string_view kNameLabels[] = {"聯絡人姓名", "聯絡人", "姓名",   "陳情人", "申訴人", "投訴人",
                                            "檢舉人",     "反映人", "客訴人", "联系人", "Name"};
constexpr std::string_view kOrganisationLabels[] = {"客訴人單位", "服務單位",     "公司名稱",    "單位名稱",
                                                    "公司",       "單位",         "機關",        "學校",
                                                    "Company",    "Organization", "Organisation"};
constexpr std::string_view kHonorifics[] = {"先生", "小姐", "女士", "太太", "君"};
constexpr std::string_view kSignoffs[] = {"敬上", "謹上", "敬啟", "謹啟", "拜上", "上書"};
constexpr std::string_view kOrganisationSuffixes[] = {
    "股份有限公司", "有限公司",   "公司",   "協會",     "基金會", "學會",   "工會",   "商會", "大學",   "學校",
    "國小",         "國中",       "高中",   "醫院",     "診所",   "事務所", "工作室", "商行", "企業社", "實業社",
    "工廠",         "管理委員會", "管委會", "里辦公處", "Inc.",   "Ltd.",   "Co.",    "Corp."};
constexpr std::string_view kConfidentialPhrases[] = {"保密",   "勿公開",   "不要公開",    "不公開",
                                                     "勿透露", "不要透露", "不願具名",    "匿名",
                                                     "勿公开", "不要公开", "confidential"};
constexpr std::string_view kNegations[] = {"不需", "無需", "無須", "不用", "毋需", "不必", "无需", "不须"};
constexpr std::size_t kMaxNameCodePoints = 20;
constexpr std::size_t kMaxOrganisationCodePoints = 40;
constexpr std::size_t kSignatureLines = 8;
constexpr std::size_t kNegationReach = 9;  // bytes: three Han characters before the phrase

std::vector<std::string_view> linesOf(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(trimWhitespace(text.substr(start, end - start)));
        start = end + 1;
    }
    return lines;
}

enum class Colon { Required, Optional };

// The value after "label:" on a line that starts with the label. Where the
// colon is optional, the label must stand alone before a space ("陳情人 王小明").
std::optional<std::string_view> labelledValue(std::string_view line, std::string_view label, Colon colon) {
    if (!startsWithIgnoreCase(line, label)) return std::nullopt;
    std::string_view rest = line.substr(label.size());
    const bool hasColon = rest.starts_with(":") || rest.starts_with(" :");
    if (!hasColon && (colon == Colon::Required || !rest.starts_with(" "))) return std::nullopt;
    const std::size_t value = rest.find_first_not_of(" :");
    return value == std::string_view::npos ? std::string_view() : trimWhitespace(rest.substr(value));
}

// Latin labels ("Name") are words of prose too, so they need their colon.
Colon colonFor(std::string_view label) {
    return static_cast<unsigned char>(label[0]) < 0x80 ? Colon::Required : Colon::Optional;
}

// Cuts a value where the next field or a remark starts.
std::string_view cutAt(std::string_view value, std::initializer_list<std::string_view> stops) {
    std::size_t end = value.size();
    for (std::string_view stop : stops) end = std::min(end, value.find(stop));
    return trimWhitespace(value.substr(0, end));
}

std::string withoutHonorific(std::string_view name) {
    for (std::string_view honorific : kHonorifics) {
        if (name.size() > honorific.size() && name.ends_with(honorific)) name.remove_suffix(honorific.size());
    }
    return std::string(trimWhitespace(name));
}

// A name as written after a label: Latin names keep their spaces, Chinese
// ones end at the first space ("王小明 電話：...").
std::string nameValue(std::string_view value) {
    const bool latin = !value.empty() && static_cast<unsigned char>(value[0]) < 0x80;
    value = latin ? cutAt(value, {",", ";", "  ", "("}) : cutAt(value, {" ", ",", "，", "、", "(", "/", ";"});
    const std::string name = withoutHonorific(value);
    return codePoints(name) <= kMaxNameCodePoints ? name : std::string();
}

std::string labelledName(const std::vector<std::string_view>& lines) {
    for (std::string_view line : lines) {
        for (std::string_view label : kNameLabels) {
            const std::optional<std::string_view> value = labelledValue(line, label, colonFor(label));
            if (!value) continue;
            std::string name = nameValue(*value);
            if (!name.empty()) return name;
        }
    }
    return {};
}

// "王小明 敬上" near the end of the text.
std::string signedName(const std::vector<std::string_view>& lines) {
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        for (std::string_view signoff : kSignoffs) {
            if (!line->ends_with(signoff)) continue;
            std::string_view name = trimWhitespace(line->substr(0, line->size() - signoff.size()));
            for (std::string_view prefix : {"陳情人", "市民", "民眾", "住戶"}) {
                if (name.starts_with(prefix)) name = trimWhitespace(name.substr(prefix.size()));
            }
            std::string result = nameValue(name);
            if (!result.empty()) return result;
        }
    }
    return {};
}

// The surnames a signature such as "黃小姐" or "張先生 0912-345-678" starts with: the common ones of
// Taiwan and the compound ones. A word before 先生 that is no surname ("各位") is not a name, nor thanks.
constexpr std::string_view kSurnames[] = {
    "歐陽", "司馬", "諸葛", "上官", "張簡", "范姜", "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊",
    "許",   "鄭",   "謝",   "洪",   "郭",   "邱",   "曾", "廖", "賴", "徐", "周", "葉", "蘇", "莊", "呂", "江",
    "何",   "蕭",   "羅",   "高",   "潘",   "簡",   "朱", "鍾", "游", "彭", "詹", "胡", "施", "沈", "余", "盧",
    "梁",   "趙",   "顏",   "柯",   "翁",   "魏",   "孫", "戴", "范", "方", "宋", "鄧", "杜", "侯", "傅", "曹",
    "薛",   "丁",   "卓",   "阮",   "馬",   "董",   "温", "溫", "唐", "藍", "蔣", "石", "古", "紀", "姚", "連",
    "馮",   "歐",   "程",   "湯",   "黄",   "田",   "康", "姜", "白", "汪", "鄒", "尤", "巫", "鐘", "黎", "涂",
    "龔",   "嚴",   "韓",   "袁",   "金",   "童",   "陸", "夏", "柳", "凃", "邵", "錢", "伍", "倪", "韋", "廖"};
constexpr std::string_view kTitles[] = {"先生", "小姐", "女士", "太太"};
constexpr std::size_t kMaxGivenNameCodePoints = 2;

bool isSurnamePrefix(std::string_view text, std::size_t& length) {
    for (std::string_view surname : kSurnames)
        if (text.starts_with(surname)) {
            length = surname.size();
            return true;
        }
    return false;
}

// "黃小姐", "張先生 0912-345-678", "王小明先生": a line of the signature that is a surname (and given
// name) with a courtesy title, and at most a phone after it. A bare surname keeps its title, which
// is how the letter greets them ("黃小姐 您好"); a full name is the name.
std::string titledName(std::string_view line) {
    for (std::string_view prefix : {"陳情人", "市民", "民眾", "住戶"})
        if (line.starts_with(prefix)) line = trimWhitespace(line.substr(prefix.size()));
    const std::string_view word = cutAt(line, {" ", "\t", ",", "，", "、", "(", "（", "0", "+"});
    const std::string_view rest = trimWhitespace(line.substr(word.size()));
    if (!rest.empty() && rest.find_first_not_of("0123456789-+()#, 分機手機電話:：") != std::string_view::npos)
        return {};
    for (std::string_view title : kTitles) {
        if (!word.ends_with(title)) continue;
        const std::string_view person = word.substr(0, word.size() - title.size());
        for (std::string_view opener : {"謝謝", "感謝", "麻煩", "請"})  // 謝 is a surname too
            if (person.starts_with(opener)) return {};
        std::size_t surname = 0;
        if (!isSurnamePrefix(person, surname)) return {};
        const std::size_t given = codePoints(person.substr(surname));
        if (given == 0) return std::string(word);
        if (given <= kMaxGivenNameCodePoints && allHan(person)) return std::string(person);
        return {};
    }
    return {};
}

// A titled name on one of the last lines of the text.
std::string signatureTitledName(const std::vector<std::string_view>& lines) {
    std::size_t seen = 0;
    for (auto line = lines.rbegin(); line != lines.rend() && seen < kSignatureLines; ++line) {
        if (line->empty()) continue;
        ++seen;
        if (auto name = titledName(*line); !name.empty()) return name;
    }
    return {};
}

std::string labelledOrganisation(const std::vector<std::string_view>& lines) {
    for (std::string_view line : lines) {
        for (std::string_view label : kOrganisationLabels) {
            // "公司" and "單位" are words of prose too: a colon is required.
            const std::optional<std::string_view> value = labelledValue(line, label, Colon::Required);
            if (!value) continue;
            const std::string_view name = cutAt(*value, {",", "，", "、", "  ", ";"});
            if (!name.empty() && codePoints(name) <= kMaxOrganisationCodePoints) return std::string(name);
        }
    }
    return {};
}

// Words of a sentence, which an organisation's name on a line of its own
// does not hold ("我要投訴這家公司" is not a signature).
bool readsAsSentence(std::string_view line) {
    for (std::string_view word : {"。", "，", "我", "你", "您", "請", "要", "了", "嗎", "是", "在", "!", "?", ":"}) {
        if (line.find(word) != std::string_view::npos) return true;
    }
    return false;
}

// A short line of its own that names an organisation, in the signature: the
// last few lines, from the end up.
std::string signatureOrganisation(const std::vector<std::string_view>& lines) {
    std::size_t seen = 0;
    for (auto line = lines.rbegin(); line != lines.rend() && seen < kSignatureLines; ++line) {
        if (line->empty()) continue;
        ++seen;
        if (codePoints(*line) > kMaxOrganisationCodePoints || readsAsSentence(*line)) continue;
        for (std::string_view suffix : kOrganisationSuffixes) {
            if (line->ends_with(suffix) && line->size() > suffix.size()) return std::string(*line);
        }
    }
    return {};
}

// "不需要保密", "不用保密": the phrase is there, the request is not.
bool negatedAt(std::string_view text, std::size_t pos) {
    const std::size_t from = pos > kNegationReach ? pos - kNegationReach : 0;
    const std::string_view before = text.substr(from, pos - from);
    for (std::string_view negation : kNegations) {
        if (before.find(negation) != std::string_view::npos) return true;
    }
    return false;
}

bool asksForConfidentiality(std::string_view text) {
    const std::string lower = asciiLower(text);
    for (std::string_view phrase : kConfidentialPhrases) {
        for (std::size_t pos = lower.find(phrase); pos != std::string::npos; pos = lower.find(phrase, pos + 1)) {
            if (!negatedAt(lower, pos)) return true;
        }
    }
    return false;
}

bool looksLikeAddress(std::string_view name) { return name.find('@') != std::string_view::npos; }

}  // namespace

ContactDetails extractContactDetails(std::string_view text, std::string_view displayName) {
    const std::string folded = foldWidth(text);
    const std::vector<std::string_view> lines = linesOf(folded);
    ContactDetails details;
    details.name = labelledName(lines);
    if (details.name.empty()) details.name = signedName(lines);
    if (details.name.empty() && !looksLikeAddress(displayName)) details.name = std::string(trimWhitespace(displayName));
    if (details.name.empty()) details.name = signatureTitledName(lines);
    for (PhoneNumber& number : findPhoneNumbers(folded)) {
        (number.fax ? details.faxes : details.phones).push_back(std::move(number.number));
    }
    details.address = findPostalAddress(folded);
    details.organisation = labelledOrganisation(lines);
    if (details.organisation.empty()) details.organisation = signatureOrganisation(lines);
    details.confidential = asksForConfidentiality(folded);
    return details;
}

}  // namespace complaintd::parsers
