// The small INI-like format of the center's files (units, rules, referrals,
// fax gateways): [id] sections of `key = value` lines, `#` comments, a UTF-8
// BOM tolerated. Errors are ConfigError "FILE:LINE: message".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::routing {

struct SectionEntry {
    std::string key;
    std::string value;
    int line = 0;
};

struct Section {
    std::string id;
    int line = 0;
    std::vector<SectionEntry> entries;

    // The value of `key`; throws ConfigError naming file and line when required and absent.
    const SectionEntry* find(std::string_view key) const;
};

// Whether a key may stand twice in a section (its values are then alternatives, in file order).
enum class RepeatedKeys { Refuse, Keep };

class SectionFile {
public:
    static SectionFile parse(std::string_view text, const std::string& fileName,
                             RepeatedKeys repeated = RepeatedKeys::Refuse);

    const std::vector<Section>& sections() const { return sections_; }
    const std::string& fileName() const { return fileName_; }

    // Throws ConfigError "FILE:LINE: message".
    [[noreturn]] void fail(int line, const std::string& message) const;
    // The value of a key the section must have.
    const std::string& required(const Section& section, std::string_view key) const;
    // Rejects keys outside `allowed`, so that a typo is not silently ignored.
    void checkKeys(const Section& section, const std::vector<std::string_view>& allowed) const;

private:
    std::string fileName_;
    std::vector<Section> sections_;
};

std::string trim(std::string_view text);
// Splits on ',', '、' and '，', trimming each item and dropping empty ones.
std::vector<std::string> splitList(std::string_view text);

}  // namespace complaintd::routing
