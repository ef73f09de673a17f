#include "fixtures.h"

namespace complaintd::documents::test {

cases::Case streetLightCase() {
    cases::Case c;
    c.number = {115, 1};
    c.channel = cases::Channel::Email;
    c.receivedAt = cases::parseIso8601("2026-11-30T09:15:00+08:00");
    c.complainant.name = "王小明";
    c.complainant.email = "wang@example.org";
    c.complainant.address = "744 臺南市新市區中山路100號";
    c.subject = "紫楝路路燈不亮";
    c.summary = "紫楝路上的路燈已經三天不亮了，晚上騎車很危險，請盡快修理。";
    c.category = cases::Category::Rights;
    c.unit = "public-works";
    c.status = cases::CaseStatus::SignedOff;
    c.deadlines = cases::Deadlines{std::chrono::year{2026} / 12 / 7, std::chrono::year{2026} / 12 / 30};
    return c;
}

SurveyPrefill streetLightPrefill() {
    auto prefill = surveyPrefillFor(streetLightCase());
    prefill.replyEmail = "complaints@shugu.example";
    return prefill;
}

std::string streetLightForm() { return renderSurveyText(streetLightPrefill()); }

std::string markChoice(std::string form, std::string_view anchor, std::string_view choiceLabel, std::string_view mark) {
    auto at = form.find("\n" + std::string(anchor));
    if (at == std::string::npos) at = form.find("   " + std::string(anchor));
    const auto box = form.find("（ ）" + std::string(choiceLabel), at);
    if (at == std::string::npos || box == std::string::npos) return form + "\n[markChoice: not found]";
    form.replace(box, std::string_view("（ ）").size(), "（" + std::string(mark) + "）");
    return form;
}

std::string gmailQuoted(std::string_view text, std::string_view prefix) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(start, end - start);
        // Gmail writes ">" alone for an empty line.
        out += (line.empty() ? std::string(prefix.substr(0, 1)) : std::string(prefix) + std::string(line)) + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace complaintd::documents::test
