#include "documents/survey.h"

#include "text_match.h"

namespace complaintd::documents {
namespace {

Choice choice(std::string id, std::string label, std::vector<std::string> aliases = {}) {
    return Choice{std::move(id), std::move(label), std::move(aliases), false};
}

// "其他＿＿": the person may write their own words after the box.
Choice otherChoice() { return Choice{"other", "其他", {}, true}; }

std::vector<Choice> yesNo() { return {choice("yes", "是"), choice("no", "否")}; }

Question single(std::string id, std::string text, std::vector<Choice> choices) {
    Question q;
    q.label = id;
    q.id = std::move(id);
    q.text = std::move(text);
    q.choices = std::move(choices);
    return q;
}

Question followUp(Question q, std::string dependsOn, std::vector<std::string> appliesWhen) {
    q.dependsOn = std::move(dependsOn);
    q.appliesWhen = std::move(appliesWhen);
    return q;
}

Question multiple(Question q) {
    q.kind = AnswerKind::MultipleChoice;
    return q;
}

// A part of question 9 (基本資料), printed with its name instead of a number.
Question part(std::string id, std::string label, std::vector<Choice> choices) {
    Question q;
    q.id = std::move(id);
    q.label = label;
    q.text = std::move(label);
    q.choices = std::move(choices);
    return q;
}

Question text(std::string id, std::string label, std::string wording) {
    Question q;
    q.id = std::move(id);
    q.label = std::move(label);
    q.text = std::move(wording);
    q.kind = AnswerKind::Text;
    return q;
}

// The wording and choices are those of 附表二 in shared/seed/complaint-procedure.zh-TW.txt. The original
// prints a lone empty box after 完全沒有解決 in question 5 with no label; it names no answer and is left out.
std::vector<Question> buildQuestions() {
    std::vector<Question> q;
    q.push_back(text("1", "1", "請問您提出客訴的時間"));
    q.push_back(single(
        "2", "請問您是用那一種方式客訴？",
        {choice("letter", "來函"), choice("phone", "電話"), choice("fax", "傳真"),
         choice("email", "EMAIL", {"E-mail", "電子郵件"}), choice("in-person", "親臨", {"到中心"}), otherChoice()}));
    q.push_back(single("3", "請問您多久後收到正式答覆？（答31天以上者請續答第３－１題）",
                       {choice("le10", "10天內", {"10天以內"}), choice("11-20", "11－20天"),
                        choice("21-30", "21－30天"), choice("31+", "31天以上"), choice("forgot", "忘記了")}));
    q.push_back(
        followUp(single("3-1", "請問有關機關是否先行通知您本案未能於30天內辦結的理由？", yesNo()), "3", {"31+"}));
    q.push_back(single("4", "請問您是否一次向多個機關客訴同一事件？", yesNo()));
    q.push_back(
        single("5", "請問您的問題解決了嗎？",
               {choice("solved", "完全解決"), choice("partly", "部分解決"), choice("not-solved", "完全沒有解決"),
                choice("suggestion-only", "只是提出建議供參考"), choice("dont-know", "不知道"), otherChoice()}));
    q.push_back(single("6", "請問您對於有關機關的答覆內容滿意嗎？（答不滿意或非常不滿者，請續答6-1題）",
                       {choice("very-satisfied", "非常滿意"), choice("satisfied", "滿意"), choice("fair", "尚可"),
                        choice("dissatisfied", "不滿意"), choice("very-dissatisfied", "非常不滿意", {"非常不滿"}),
                        choice("no-opinion", "沒意見"), choice("dont-know", "不知道"), otherChoice()}));
    q.push_back(followUp(
        multiple(single("6-1", "請問您不滿意的理由？（可複選）",
                        {choice("not-solved", "問題未解決"), choice("attitude", "處理態度不佳"),
                         choice("too-slow", "處理時間太慢"), choice("boilerplate", "內容係例稿，欠缺誠意"),
                         choice("law-misread", "曲解法令或引用錯誤"), choice("passing-buck", "相關機關推諉責任"),
                         choice("facts-mismatch", "答復內容與實際情形不符"), otherChoice()})),
        "6", {"dissatisfied", "very-dissatisfied"}));
    q.push_back(single("7", "請問您以前是否曾向本機關客訴？", yesNo()));
    q.push_back(single("8", "請問您這次客訴是針對以前曾客訴的相同事由再來客訴？（答是者請續答8-1題）", yesNo()));
    q.push_back(
        followUp(multiple(single(
                     "8-1", "請問您為什麼一再客訴？（可複選）",
                     {choice("not-handled", "案件沒有處理"), choice("far-from-expectation", "處理結果與期望相差太遠"),
                      choice("passing-buck", "機關推諉責任"), choice("new-developments", "案情另有新發展"),
                      choice("public-interest", "與大眾權益有關"), otherChoice()})),
                 "8", {"yes"}));
    q.push_back(part("9-sex", "性別", {choice("female", "女"), choice("male", "男")}));
    q.back().heading = "基本資料";
    q.push_back(part("9-age", "年齡",
                     {choice("le20", "20歲以下"), choice("21-29", "21-29歲"), choice("30-39", "30-39歲"),
                      choice("40-49", "40-49歲"), choice("50-59", "50-59歲"), choice("60+", "60歲以上")}));
    q.push_back(part("9-education", "教育程度",
                     {choice("elementary", "國小及以下"), choice("junior-high", "國中"),
                      choice("senior-high", "高中、職", {"高中", "高職"}), choice("college", "專科"),
                      choice("university", "大學及以上")}));
    q.push_back(
        part("9-occupation", "職業",
             {choice("public-servant", "軍公教"), choice("employer", "企業主"), choice("employee", "一般企業職員"),
              choice("labourer", "勞工"), choice("homemaker-retired", "家管、退休人員"),
              choice("professional", "自由業（醫師、律師、會計師等）", {"自由業"}), choice("unemployed", "無業"),
              otherChoice()}));
    q.push_back(text("suggestions", "其他建議", "其他建議"));
    return q;
}

}  // namespace

const std::vector<Question>& surveyQuestions() {
    static const std::vector<Question> questions = buildQuestions();
    return questions;
}

const Question* findQuestion(std::string_view id) {
    for (const auto& q : surveyQuestions())
        if (q.id == id) return &q;
    return nullptr;
}

const Choice* findChoice(const Question& question, std::string_view text) {
    const auto key = detail::matchKey(text);
    if (key.empty()) return nullptr;
    for (const auto& c : question.choices) {
        if (key == detail::matchKey(c.id) || key == detail::matchKey(c.label)) return &c;
        for (const auto& alias : c.aliases)
            if (key == detail::matchKey(alias)) return &c;
    }
    return nullptr;
}

bool isPrefilledByCenter(const Question& question) { return question.id == "1" || question.id == "2"; }

bool isNumbered(const Question& question) { return question.id == question.label; }

std::string surveyChannelChoice(cases::Channel channel) {
    // The survey's choice ids were chosen equal to the case channel ids.
    return std::string(cases::idOf(channel));
}

}  // namespace complaintd::documents
