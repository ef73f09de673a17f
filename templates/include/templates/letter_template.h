// Letters to complainants, rendered from mustache templates the center edits.
//
// A template file starts with a `Subject: ...` line, then a blank line, then
// the body; both are mustache. Values are inserted as they are (no HTML
// escaping: letters are plain text). A syntax error or an unknown {{name}} is
// a ConfigError naming the file and line, so it stops start-up rather than
// sending a letter with a hole in it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace complaintd::templates {

// Field name -> UTF-8 value, e.g. {"case_number", "115-001"}.
using LetterFields = std::map<std::string, std::string>;

struct Letter {
    std::string subject;  // one line
    std::string body;     // UTF-8, LF line ends
};

class LetterTemplate {
public:
    // Throws ConfigError "FILE:LINE: ..." on a syntax error or a field not in `knownFields`.
    static LetterTemplate parse(std::string_view text, const std::string& fileName,
                                const std::set<std::string>& knownFields);

    Letter render(const LetterFields& fields) const;

private:
    std::string subject_;
    std::string body_;
};

// The fields every letter template can use.
const std::set<std::string>& letterFields();

// A complaint's subject as an automatic letter may quote it: one line (control characters, line
// and paragraph separators and bidi controls dropped, runs of white space made one space), at
// most `maxCharacters` characters, cut on a character boundary with "…". Anyone can write the
// subject, so it is quoted short: the center's letters carry no one's message.
std::string quotedSubject(std::string_view subject, std::size_t maxCharacters);

}  // namespace complaintd::templates
