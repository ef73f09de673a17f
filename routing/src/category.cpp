#include "routing/category.h"

#include <vector>

namespace complaintd::routing {
namespace {

constexpr std::string_view kMisconduct[] = {"檢舉", "舉發", "違失", "失職", "瀆職", "收賄",     "索賄",
                                            "貪污", "舞弊", "圖利", "包庇", "刁難", "態度惡劣", "態度不佳"};
constexpr std::string_view kProposal[] = {"建議", "提議", "興革", "建請", "可否增設", "能否增設", "希望能增設"};
// A question, and what it asks about: a rule or how something is done.
constexpr std::string_view kQuestion[] = {"請問", "詢問", "查詢", "想知道", "想了解", "如何",
                                          "怎麼", "是否", "可否", "能否",   "？",     "?"};
constexpr std::string_view kRegulation[] = {"規定", "法令", "法規", "辦法", "程序", "流程", "申請", "手續",
                                            "資格", "條件", "應備", "文件", "費用", "收費", "標準"};

template <std::size_t N>
std::vector<std::string_view> found(std::string_view text, const std::string_view (&cues)[N]) {
    std::vector<std::string_view> hits;
    for (auto cue : cues)
        if (text.find(cue) != std::string_view::npos) hits.push_back(cue);
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
    if (const auto hits = found(text, kMisconduct); !hits.empty())
        return {cases::Category::Misconduct, "by the text: " + listed(hits) + " (a report of misconduct)"};
    if (const auto hits = found(text, kProposal); !hits.empty())
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
