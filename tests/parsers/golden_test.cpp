// Golden files: each tests/parsers/golden/NAME.eml, written for these tests,
// parses to exactly NAME.json. After a deliberate change in parsing, rerun
// with COMPLAINTD_UPDATE_GOLDEN=1 to rewrite the .json files, and review the
// diff like code.
#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "parsers/mime_parser.h"

namespace complaintd::parsers {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(COMPLAINTD_SOURCE_DIR) / "tests" / "parsers" / "golden";

// --- a small JSON writer: fixed key order, two-space indent -------------------------

using Fields = std::vector<std::pair<std::string, std::string>>;  // key, rendered value

std::string quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

std::string object(const Fields& fields, int depth) {
    if (fields.empty()) return "{}";
    std::string out = "{\n";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        out += indent(depth + 1) + quote(fields[i].first) + ": " + fields[i].second;
        out += i + 1 < fields.size() ? ",\n" : "\n";
    }
    return out + indent(depth) + "}";
}

std::string array(const std::vector<std::string>& items, int depth) {
    if (items.empty()) return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += indent(depth + 1) + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    }
    return out + indent(depth) + "]";
}

std::string strings(const std::vector<std::string>& values, int depth) {
    std::vector<std::string> items;
    for (const std::string& value : values) items.push_back(quote(value));
    return array(items, depth);
}

std::string boolean(bool value) { return value ? "true" : "false"; }

std::string date(const std::optional<std::chrono::sys_seconds>& value) {
    if (!value) return "null";
    const auto day = std::chrono::floor<std::chrono::days>(*value);
    const std::chrono::year_month_day ymd(day);
    const std::chrono::hh_mm_ss time(*value - day);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()));
    return quote(text);
}

std::string bodySource(BodySource source) {
    return quote(source == BodySource::Plain ? "plain" : source == BodySource::Html ? "html" : "none");
}

std::string mailbox(const Mailbox& box, int depth) {
    return object({{"name", quote(box.name)}, {"address", quote(box.address)}}, depth);
}

std::string mailboxes(const std::vector<Mailbox>& boxes, int depth) {
    std::vector<std::string> items;
    for (const Mailbox& box : boxes) items.push_back(mailbox(box, depth + 1));
    return array(items, depth);
}

std::string sha1(const std::string& data) {
    Poco::SHA1Engine engine;
    engine.update(data);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string attachments(const std::vector<Attachment>& list, int depth) {
    std::vector<std::string> items;
    for (const Attachment& a : list) {
        items.push_back(object({{"part", quote(a.part)},
                                {"filename", quote(a.filename)},
                                {"contentType", quote(a.contentType)},
                                {"bytes", std::to_string(a.data.size())},
                                {"sha1", quote(sha1(a.data))},
                                {"overLimit", boolean(a.overLimit)}},
                               depth + 1));
    }
    return array(items, depth);
}

std::string forwarded(const std::vector<ForwardedMessage>& list, int depth) {
    std::vector<std::string> items;
    for (const ForwardedMessage& f : list) {
        items.push_back(object({{"part", quote(f.part)},
                                {"from", mailbox(f.from, depth + 2)},
                                {"to", mailboxes(f.to, depth + 2)},
                                {"subject", quote(f.subject)},
                                {"date", date(f.date)},
                                {"messageId", quote(f.messageId)},
                                {"bodySource", bodySource(f.bodySource)},
                                {"textBody", quote(f.textBody)}},
                               depth + 1));
    }
    return array(items, depth);
}

std::string undecoded(const std::vector<UndecodedText>& list, int depth) {
    std::vector<std::string> items;
    for (const UndecodedText& u : list) {
        items.push_back(
            object({{"part", quote(u.part)}, {"charset", quote(u.charset)}, {"bytes", std::to_string(u.bytes.size())}},
                   depth + 1));
    }
    return array(items, depth);
}

std::string contact(const ContactDetails& c, int depth) {
    return object({{"name", quote(c.name)},
                   {"phones", strings(c.phones, depth + 1)},
                   {"faxes", strings(c.faxes, depth + 1)},
                   {"address", quote(c.address)},
                   {"organisation", quote(c.organisation)},
                   {"confidential", boolean(c.confidential)}},
                  depth);
}

std::string toJson(const ParseResult& result) {
    if (const auto* failure = std::get_if<ParseFailure>(&result)) {
        return object({{"failure", quote(failure->reason)}}, 0) + "\n";
    }
    const auto& m = std::get<ParsedMessage>(result);
    return object({{"from", mailbox(m.from, 1)},
                   {"to", mailboxes(m.to, 1)},
                   {"cc", mailboxes(m.cc, 1)},
                   {"subject", quote(m.subject)},
                   {"date", date(m.date)},
                   {"messageId", quote(m.messageId)},
                   {"inReplyTo", quote(m.inReplyTo)},
                   {"references", strings(m.references, 1)},
                   {"bodySource", bodySource(m.bodySource)},
                   {"bodyCharset", quote(m.bodyCharset)},
                   {"textBody", quote(m.textBody)},
                   {"attachments", attachments(m.attachments, 1)},
                   {"forwarded", forwarded(m.forwarded, 1)},
                   {"undecodedTexts", undecoded(m.undecodedTexts, 1)},
                   {"contact", contact(m.contact, 1)},
                   {"defects", strings(m.defects, 1)}},
                  0) +
           "\n";
}

// --- the test -------------------------------------------------------------------------

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> goldenNames() {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(kGoldenDir)) {
        if (entry.path().extension() == ".eml") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, ParsesToExpectedJson) {
    const fs::path eml = kGoldenDir / (GetParam() + ".eml");
    const fs::path json = kGoldenDir / (GetParam() + ".json");
    const std::string actual = toJson(parseMessage(readFile(eml)));
    if (std::getenv("COMPLAINTD_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(json, std::ios::binary) << actual;
        GTEST_SKIP() << "rewrote " << json;
    }
    ASSERT_TRUE(fs::exists(json)) << "no expected output " << json << " (run with COMPLAINTD_UPDATE_GOLDEN=1)";
    const std::string expected = readFile(json);
    if (actual != expected) {
        const fs::path written = fs::path(::testing::TempDir()) / (GetParam() + ".actual.json");
        std::ofstream(written, std::ios::binary) << actual;
        FAIL() << "parse of " << eml << " differs from " << json << "\nactual written to " << written << "\n  diff -u "
               << json << " " << written;
    }
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Golden, ::testing::ValuesIn(goldenNames()), testName);

}  // namespace
}  // namespace complaintd::parsers
