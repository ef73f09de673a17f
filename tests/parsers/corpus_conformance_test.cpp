// Conformance over the real-world messages in ../shared/corpus/public, read
// in place (they are not ours to copy into the repository). Every file must
// parse or fail with a reason, within a time that rules out hangs; the text
// must be valid UTF-8; and U+FFFD may appear only where the parser says it
// lost bytes (or the sender's bytes already held one). Prints the counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "parsers/mime_parser.h"

namespace complaintd::parsers {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr auto kMaxParseTime = std::chrono::seconds(10);  // generous: sanitizer builds are slow

bool isValidUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += len;
    }
    return true;
}

bool hasDefect(const ParsedMessage& m, std::string_view text) {
    return std::any_of(m.defects.begin(), m.defects.end(),
                       [&](const std::string& d) { return d.find(text) != std::string::npos; });
}

// A text field of the result, and the defect that must accompany a U+FFFD in it.
struct TextField {
    std::string_view name;
    std::string_view text;
    std::string_view lossDefect;
};

std::vector<TextField> textFields(const ParsedMessage& m) {
    std::vector<TextField> fields = {{"from", m.from.name, "undecodable bytes in from"},
                                     {"subject", m.subject, "undecodable bytes in subject"},
                                     {"textBody", m.textBody, "undecodable bytes in part"}};
    for (const Mailbox& box : m.to) fields.push_back({"to", box.name, "undecodable bytes in to"});
    for (const Mailbox& box : m.cc) fields.push_back({"cc", box.name, "undecodable bytes in cc"});
    for (const Attachment& a : m.attachments) {
        fields.push_back({"attachment name", a.filename, "undecodable bytes in attachment name"});
    }
    for (const ForwardedMessage& f : m.forwarded) {
        fields.push_back({"forwarded subject", f.subject, "undecodable bytes in subject"});
        fields.push_back({"forwarded text", f.textBody, "undecodable bytes in part"});
    }
    return fields;
}

std::vector<std::string_view> allStrings(const ParsedMessage& m) {
    std::vector<std::string_view> strings = {m.from.address, m.messageId, m.inReplyTo, m.bodyCharset};
    for (const TextField& field : textFields(m)) strings.push_back(field.text);
    for (const auto* list : {&m.to, &m.cc}) {
        for (const Mailbox& box : *list) strings.push_back(box.address);
    }
    for (const Attachment& a : m.attachments) strings.push_back(a.contentType);
    strings.insert(strings.end(), m.references.begin(), m.references.end());
    strings.insert(strings.end(), m.defects.begin(), m.defects.end());
    strings.insert(strings.end(), {m.contact.name, m.contact.address, m.contact.organisation});
    return strings;
}

struct Counts {
    int files = 0;
    int parsed = 0;
    int quarantined = 0;
    int withDefects = 0;
    int withReplacement = 0;  // U+FFFD in the text, each explained by a defect or the input
    int charsetDetected = 0;
    int forwarded = 0;
    double slowestSeconds = 0;
    std::string slowest;
};

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void checkParsed(const ParsedMessage& m, const std::string& raw, const std::string& name, Counts& counts) {
    ++counts.parsed;
    if (!m.defects.empty()) ++counts.withDefects;
    if (hasDefect(m, "detected as") || hasDefect(m, "guessed as")) ++counts.charsetDetected;
    if (!m.forwarded.empty()) ++counts.forwarded;
    for (std::string_view s : allStrings(m)) EXPECT_TRUE(isValidUtf8(s)) << name << ": " << s.substr(0, 80);
    const bool rawHasReplacement = raw.find(kReplacement) != std::string::npos;
    bool replaced = false;
    for (const TextField& field : textFields(m)) {
        if (field.text.find(kReplacement) == std::string_view::npos) continue;
        replaced = true;
        EXPECT_TRUE(rawHasReplacement || hasDefect(m, field.lossDefect))
            << name << ": U+FFFD in " << field.name << " without a defect saying bytes were lost";
    }
    if (replaced) ++counts.withReplacement;
}

TEST(CorpusConformance, EveryMessageParsesOrIsQuarantinedWithAReason) {
    const fs::path root = COMPLAINTD_CORPUS_DIR;
    if (!fs::is_directory(root)) {
        GTEST_SKIP() << "corpus folder " << root << " is absent; the conformance sweep needs ../shared/corpus/public";
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    Counts counts;
    for (const fs::path& path : files) {
        const std::string raw = readFile(path);
        const std::string name = fs::relative(path, root).string();
        ++counts.files;
        const Clock::time_point start = Clock::now();
        ParseResult result;
        EXPECT_NO_THROW(result = parseMessage(raw)) << name;
        const std::chrono::duration<double> took = Clock::now() - start;
        EXPECT_LT(took, kMaxParseTime) << name;
        if (took.count() > counts.slowestSeconds) counts.slowestSeconds = took.count(), counts.slowest = name;
        if (const auto* m = std::get_if<ParsedMessage>(&result)) {
            checkParsed(*m, raw, name, counts);
        } else {
            ++counts.quarantined;
            const std::string& reason = std::get<ParseFailure>(result).reason;
            EXPECT_FALSE(reason.empty()) << name;
            EXPECT_TRUE(isValidUtf8(reason)) << name;
            std::cout << "quarantined: " << name << ": " << reason << "\n";
        }
    }
    std::cout << "corpus: " << counts.files << " files, " << counts.parsed << " parsed, " << counts.quarantined
              << " quarantined, " << counts.withDefects << " parsed with defects, " << counts.charsetDetected
              << " with a detected or guessed charset, " << counts.forwarded << " with forwarded messages, "
              << counts.withReplacement << " with U+FFFD (each explained by a defect or the input); slowest "
              << counts.slowest << " (" << counts.slowestSeconds * 1000 << " ms)\n";
    EXPECT_EQ(counts.parsed + counts.quarantined, counts.files);
    EXPECT_GT(counts.parsed, 0);
}

}  // namespace
}  // namespace complaintd::parsers
