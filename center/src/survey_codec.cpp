#include "center/survey_codec.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "cases/error.h"

namespace complaintd::center {

std::string surveyToJson(const documents::SurveyAnswers& answers) {
    Poco::JSON::Array array;
    for (const auto& a : answers.answers) {
        if (a.state == documents::AnswerState::Unanswered) continue;
        Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
        item.set("question", a.questionId);
        item.set("state", std::string(documents::idOf(a.state)));
        Poco::JSON::Array choices;
        for (const auto& id : a.choiceIds) choices.add(id);
        item.set("choices", choices);
        item.set("text", a.text);
        item.set("problem", a.problem);
        array.add(item);
    }
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

documents::SurveyAnswers surveyFromJson(const std::string& json) {
    auto answers = documents::emptyAnswers();
    try {
        const auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            const auto item = array->getObject(unsigned(i));
            auto* answer = answers.find(item->getValue<std::string>("question"));
            if (!answer) continue;
            const auto state = item->getValue<std::string>("state");
            answer->state =
                state == "unreadable" ? documents::AnswerState::Unreadable : documents::AnswerState::Answered;
            const auto choices = item->getArray("choices");
            for (std::size_t c = 0; c < choices->size(); ++c)
                answer->choiceIds.push_back(choices->getElement<std::string>(unsigned(c)));
            answer->text = item->getValue<std::string>("text");
            answer->problem = item->getValue<std::string>("problem");
        }
    } catch (const Poco::Exception& e) {
        throw Error("stored survey answers do not read: " + e.displayText());
    }
    answers.status = documents::statusOf(answers);
    return answers;
}

}  // namespace complaintd::center
