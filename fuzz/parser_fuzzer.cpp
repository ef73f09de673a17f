// libFuzzer target for everything that reads mail: parseMessage (with the
// contact details it extracts), the header helpers used before it, the
// automated-mail checks and bounce scan (mail_safety.h), case tags,
// the survey reply parser, Authentication-Results and the redaction of a
// confidential complainant. run-parser-fuzzer gives inputs of megabytes
// and a timeout, so a scan that is not linear shows up as a hang.
// Beyond crashes, hangs and sanitizer reports, it traps when a result breaks
// the parser's promises: text that is not UTF-8, a failure without a reason.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "cases/threading.h"
#include "documents/survey_reply.h"
#include "parsers/authentication_results.h"
#include "parsers/contact_details.h"
#include "parsers/header_scan.h"
#include "parsers/mail_safety.h"
#include "parsers/mime_parser.h"
#include "parsers/redaction.h"
#include "parsers/text_decoding.h"

namespace {

using namespace complaintd::parsers;

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

void require(bool condition) {
    if (!condition) __builtin_trap();
}

void checkText(const ParsedMessage& m) {
    for (std::string_view s : {std::string_view(m.from.name), std::string_view(m.subject), std::string_view(m.textBody),
                               std::string_view(m.contact.name), std::string_view(m.contact.address),
                               std::string_view(m.contact.organisation)}) {
        require(isValidUtf8(s));
    }
    for (const Attachment& a : m.attachments) require(isValidUtf8(a.filename));
    for (const ForwardedMessage& f : m.forwarded) require(isValidUtf8(f.textBody) && isValidUtf8(f.subject));
    for (const std::string& defect : m.defects) require(!defect.empty() && isValidUtf8(defect));
}

// The bounce scan keeps its promises: at most 20 ids, each once, each ending in the domain.
void checkDaemonScans(std::string_view input) {
    (void)complaintd::parsers::automatedMessage(input, "someone@example.org");
    (void)complaintd::parsers::automatedMessage(input, "");
    const auto ids = complaintd::parsers::messageIdsOfDomain(input, "shugu.example");
    require(ids.size() <= 20);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        require(ids[i].ends_with("@shugu.example"));
        for (std::size_t j = 0; j < i; ++j) require(ids[i] != ids[j]);
    }
}

// Redaction keeps its promise: the known name and phone never survive it.
void checkRedaction(std::string_view text) {
    const KnownIdentity who{"王小明", "wang@example.org", "0912-345-678", "", "紫楝路100號", ""};
    const auto redacted = redactIdentity(text, who);
    require(redacted.find(who.name) == std::string::npos);
    require(redacted.find(who.phone) == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ParseLimits limits;
    limits.maxParts = 200;  // keeps each run short; the limit logic itself is exercised either way
    const ParseResult result = parseMessage(input, limits);
    if (const auto* m = std::get_if<ParsedMessage>(&result)) {
        checkText(*m);
    } else {
        require(!std::get<ParseFailure>(result).reason.empty());
    }
    (void)messageIdOf(input);
    checkDaemonScans(input);
    const auto survey = complaintd::documents::parseSurveyReply(input);
    require(!survey.answers.empty());
    (void)complaintd::cases::caseTagIn(input.substr(0, 64 * 1024));
    require(isValidUtf8(decodeHeaderValue(input.substr(0, 4096)).utf8));
    require(isValidUtf8(extractContactDetails(input.substr(0, 4096), "").address));
    (void)authenticateSender(input, "someone@example.org", "mx.shugu.example");
    (void)parseAuthenticationResults(input.substr(0, 64 * 1024));
    checkRedaction(input.substr(0, 256 * 1024));
    return 0;
}
