// What the review form (附表三) says about a case: the case record's dates (case_record.h) and the two
// analyses, written as a handler would write them. Kept apart from the drawing so that the text version
// and the PDF say the same.
#include <chrono>
#include <string>

#include "documents/reported_case.h"
#include "documents/review_form.h"
#include "documents/survey.h"

namespace complaintd::documents {
namespace {

// "部分解決", "處理時間太慢、其他（停車位不足）": the chosen labels of an answered question.
std::string answerLabels(const SurveyAnswers& survey, const std::string& questionId) {
    const auto* q = findQuestion(questionId);
    const auto* a = survey.find(questionId);
    if (!q || !a || a->state != AnswerState::Answered) return {};
    std::string out;
    for (const auto& id : a->choiceIds) {
        const auto* c = findChoice(*q, id);
        if (!c) continue;
        out += (out.empty() ? "" : "、") + c->label;
        if (c->takesText && !a->text.empty()) out += "（" + a->text + "）";
    }
    return out;
}

void sentence(std::string& out, const std::string& label, const std::string& value) {
    if (!value.empty()) out += label + "：" + value + "。";
}

std::string unreadableQuestions(const SurveyAnswers& survey) {
    std::string out;
    for (const auto& q : surveyQuestions()) {
        const auto* a = survey.find(q.id);
        if (a && a->state == AnswerState::Unreadable) out += (out.empty() ? "" : "、") + q.label;
    }
    return out.empty() ? out : "第" + out + "題勾選無法判讀，未予採計。";
}

std::string channelPhrase(cases::Channel channel) {
    switch (channel) {
        case cases::Channel::Email:
            return "以電子郵件";
        case cases::Channel::Fax:
            return "以傳真";
        case cases::Channel::Phone:
            return "以電話";
        case cases::Channel::Letter:
            return "以書面來函";
        case cases::Channel::InPerson:
            return "由陳情人親至本中心";
    }
    return "";
}

// Whether the answer kept the handling target (7 days) and the legal limit (30 days).
std::string timeliness(const ReportedCase& record) {
    const auto& deadlines = record.caseFile.deadlines;
    if (!deadlines || !record.repliedOn) return {};
    const auto answered = std::chrono::sys_days(*record.repliedOn);
    if (answered <= std::chrono::sys_days(deadlines->target)) return "於預定結案日期內答復。";
    if (answered <= std::chrono::sys_days(deadlines->legal)) return "逾預定結案日期，惟於法定處理期限內答復。";
    return "已逾法定處理期限始答復，應檢討延宕原因。";
}

}  // namespace

ReportedCase reportedCase(const cases::CaseRecord& r, std::string unitName) {
    ReportedCase d;
    d.caseFile = r.fields;
    // Timeliness is of the first answer, measured against the deadlines the case opened with.
    if (r.firstDeadlines) d.caseFile.deadlines = r.firstDeadlines;
    d.unitName = std::move(unitName);
    for (const auto& e : r.history) {
        if (!d.repliedOn && e.toStatus == cases::CaseStatus::Replied) d.repliedOn = cases::localDate(e.at);
        if (e.toStatus == cases::CaseStatus::Reopened) ++d.reopenCount;
    }
    d.referred = r.fields.status == cases::CaseStatus::Referred || !r.referral.empty();
    // A referral is answered by the referral letter the day the case opened.
    if (d.referred && !d.repliedOn) d.repliedOn = cases::localDate(r.fields.receivedAt);
    if (r.closedAt) d.closedOn = cases::localDate(*r.closedAt);
    d.filedReason = r.filedReason;
    return d;
}

cases::Date receivedOn(const ReportedCase& record) { return cases::localDate(record.caseFile.receivedAt); }

std::optional<int> daysToAnswer(const ReportedCase& record) {
    if (!record.repliedOn) return std::nullopt;
    return cases::daysUntil(receivedOn(record), *record.repliedOn);
}

std::string formatRocDateTime(cases::Timestamp instant) {
    using namespace std::chrono;
    const auto local = instant + cases::kTaiwanOffset;
    const hh_mm_ss time{local - floor<days>(local)};
    return cases::formatRocDate(instant) + " " + std::to_string(time.hours().count()) + "時" +
           std::to_string(time.minutes().count()) + "分";
}

std::string surveyAnalysis(const std::optional<SurveyAnswers>& survey) {
    if (!survey) return "尚未收到客訴案件處理情形調查表。";
    if (survey->status == FormStatus::Unreadable) return "陳情人已寄回調查表，惟填答內容無法判讀，建議以電話訪談補填。";
    std::string out = "調查表已回收（" + std::string(labelOf(survey->status)) + "）。";
    sentence(out, "答覆內容滿意度", answerLabels(*survey, "6"));
    sentence(out, "問題解決情形", answerLabels(*survey, "5"));
    sentence(out, "收到正式答覆時間", answerLabels(*survey, "3"));
    sentence(out, "是否先行通知未能於30天內辦結之理由", answerLabels(*survey, "3-1"));
    sentence(out, "不滿意理由", answerLabels(*survey, "6-1"));
    if (survey->chosen("4") == "yes") out += "陳情人曾以同一事件向多個機關客訴。";
    if (survey->chosen("8") == "yes") {
        out += "本案係就同一事由再次客訴";
        const auto why = answerLabels(*survey, "8-1");
        out += why.empty() ? "。" : "，理由：" + why + "。";
    }
    out += unreadableQuestions(*survey);
    if (const auto* s = survey->find("suggestions"); s && s->state == AnswerState::Answered)
        out += "其他建議：" + s->text + "。";
    if (isDissatisfied(*survey))
        out += "陳情人表示不滿意，依作業說明應續辦並後續追蹤。";
    else if (const auto satisfaction = survey->chosen("6");
             satisfaction == "very-satisfied" || satisfaction == "satisfied")
        out += "陳情人對本案處理結果表示滿意。";
    return out;
}

std::string handlingAnalysis(const ReportedCase& record) {
    const auto& c = record.caseFile;
    std::string out = "本案於" + cases::formatRocDate(receivedOn(record)) + channelPhrase(c.channel) +
                      "受理，類別為「" + std::string(cases::labelOf(c.category)) + "」";
    out += record.unitName.empty() ? "。" : "，分文" + record.unitName + "辦理。";
    if (c.deadlines)
        out += "預定結案日期為" + cases::formatRocDate(c.deadlines->target) + "，法定處理期限為" +
               cases::formatRocDate(c.deadlines->legal) + "。";
    if (record.filedReason)
        out += "本案依作業說明註記第" + std::to_string(static_cast<int>(*record.filedReason)) + "款（" +
               std::string(cases::labelOf(*record.filedReason)) + "）登記存查，不予處理。";
    if (record.referred) out += "本案非屬本中心業務，已告知陳情人相關主管機關及聯繫方式。";
    if (const auto days = daysToAnswer(record)) {
        const auto kept = timeliness(record);
        out += "於" + cases::formatRocDate(*record.repliedOn) + "函復，距收文" + std::to_string(*days) + "日" +
               (kept.empty() ? "。" : "，" + kept);
    } else if (!record.filedReason)
        out += "本案尚未函復。";
    if (record.closedOn) out += "已於" + cases::formatRocDate(*record.closedOn) + "結案。";
    if (record.reopenCount > 0) out += "陳情人不滿意處理結果，本案曾續辦" + std::to_string(record.reopenCount) + "次。";
    return out;
}

ReviewForm reviewFormFor(const ReportedCase& record) {
    ReviewForm form;
    form.caseNumber = record.caseFile.number;
    form.receivedAt = record.caseFile.receivedAt;
    form.subject = record.caseFile.subject;
    form.unitName = record.unitName;
    form.surveyAnalysis = surveyAnalysis(record.survey);
    form.handlingAnalysis = handlingAnalysis(record);
    form.managementOpinion = record.managementOpinion;
    return form;
}

}  // namespace complaintd::documents
