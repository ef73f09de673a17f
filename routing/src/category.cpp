#include "routing/category.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace complaintd::routing {
namespace {

// 行政違失之舉發 is about the administration: its staff's conduct. A report of a factory's
// pollution (檢舉工廠排放廢水) asks for the public's rights, so 檢舉 counts only beside an official.
constexpr std::string_view kMisconduct[] = {"違失", "失職", "瀆職", "收賄",     "索賄",     "貪污",    "舞弊",
                                            "圖利", "包庇", "刁難", "態度惡劣", "態度不佳", "推諉塞責"};
constexpr std::string_view kReport[] = {"檢舉", "舉發"};
constexpr std::string_view kOfficials[] = {"公務員", "承辦人", "職員", "人員", "主管", "官員", "本中心"};
// A proposal; "建議儘速修復" is a request to act, not a proposal.
constexpr std::string_view kProposal[] = {"建議", "提議", "興革", "建請", "可否增設", "能否增設", "希望能增設"};
constexpr std::string_view kUrgency[] = {"儘速", "盡速", "儘快", "盡快", "趕快", "立即", "馬上"};
// A question, and what it asks about: a rule or how something is done.
constexpr std::string_view kQuestion[] = {"請問", "詢問", "查詢", "想知道", "想了解",
                                          "如何", "怎麼", "是否", "可否",   "能否"};
constexpr std::string_view kRegulation[] = {"規定", "法令", "法規", "辦法", "程序", "流程", "申請", "手續",
                                            "資格", "條件", "應備", "文件", "費用", "收費", "標準"};

template <std::size_t N>
std::vector<std::string_view> found(std::string_view text, const std::string_view (&cues)[N]) {
    std::vector<std::string_view> hits;
    for (auto cue : cues)
        if (text.find(cue) != std::string_view::npos) hits.push_back(cue);
    return hits;
}

// The proposal words used as one: not followed by a call to hurry.
std::vector<std::string_view> proposals(std::string_view text) {
    std::vector<std::string_view> hits;
    for (auto cue : kProposal) {
        for (auto pos = text.find(cue); pos != std::string_view::npos; pos = text.find(cue, pos + cue.size())) {
            const auto after = text.substr(pos + cue.size());
            const bool hurry = std::any_of(std::begin(kUrgency), std::end(kUrgency),
                                           [&](std::string_view u) { return after.starts_with(u); });
            if (hurry) continue;
            hits.push_back(cue);
            break;
        }
    }
    return hits;
}

std::string listed(const std::vector<std::string_view>& words) {
    std::string out;
    for (auto w : words) out += (out.empty() ? "" : ", ") + std::string(w);
    return out;
}

}  // namespace

CategoryDecision categoryByNature(std::string_view subject, std::string_view body) {
    const std::string text = std::string(subject) + "\n" + std::string(body);
    auto misconduct = found(text, kMisconduct);
    if (const auto reports = found(text, kReport), officials = found(text, kOfficials);
        !reports.empty() && !officials.empty()) {
        misconduct.insert(misconduct.end(), reports.begin(), reports.end());
        misconduct.insert(misconduct.end(), officials.begin(), officials.end());
    }
    if (!misconduct.empty())
        return {cases::Category::Misconduct, "by the text: " + listed(misconduct) + " (a report of misconduct)"};
    if (const auto hits = proposals(text); !hits.empty())
        return {cases::Category::Suggestion, "by the text: " + listed(hits) + " (a proposal)"};
    const auto asks = found(text, kQuestion), about = found(text, kRegulation);
    if (!asks.empty() && !about.empty()) {
        auto words = asks;
        words.insert(words.end(), about.begin(), about.end());
        return {cases::Category::Inquiry,
                "by the text: " + listed(words) + " (a question on a regulation or procedure)"};
    }
    return {cases::Category::Rights, "by the text: no report of misconduct, proposal or question on a regulation"};
}

}  // namespace complaintd::routing
