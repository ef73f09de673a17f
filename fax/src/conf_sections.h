// The sectioned text format of gateways.conf, like routing/rules.conf:
// [id] headers, `key = value` lines, `#` comments, a UTF-8 BOM tolerated.
// Unlike the rules file a key may be repeated: its values are alternatives,
// kept in file order. Errors are ConfigError "FILE:LINE: message".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::fax {

struct ConfEntry {
    std::string key;
    std::string value;
    int line = 0;
};

struct ConfSection {
    std::string id;
    int line = 0;
    std::vector<ConfEntry> entries;
};

class ConfFile {
public:
    static ConfFile parse(std::string_view text, const std::string& fileName);

    const std::vector<ConfSection>& sections() const { return sections_; }
    [[noreturn]] void fail(int line, const std::string& message) const;

private:
    std::string fileName_;
    std::vector<ConfSection> sections_;
};

}  // namespace complaintd::fax
