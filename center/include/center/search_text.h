// Finding cases by any text of theirs, CJK included. SQLite FTS5's tokenizers split Chinese
// badly (unicode61 takes a whole run of Han characters for one word; trigram finds nothing
// shorter than three characters, and 路燈 is two), so the index holds the text as words and
// overlapping character pairs (路燈壞了 -> 路燈 燈壞 壞了), as CJK search engines do, and a query
// is a phrase of the same pairs: any substring of two or more characters is found. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace complaintd::center {

// `text` (UTF-8) as the index stores it: words (letters and digits, ASCII lower-cased) and the
// character pairs of each CJK run (a lone CJK character as itself), separated by spaces.
std::string searchTokens(std::string_view text);

// The FTS5 MATCH expression that finds `query` as a substring: one phrase per run of the query,
// all of them. nullopt when the query has nothing to search for or a lone CJK character (at
// least two are needed).
std::optional<std::string> searchMatch(std::string_view query);

}  // namespace complaintd::center
