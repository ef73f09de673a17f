// Cost of every scan over a message against adversarial input of 1, 5 and
// 25 MB: time per MB and the growth from 5 to 25 MB, which must be close to
// 5x for a linear scan (25x would be quadratic). Printed, not asserted.
//
// usage: hostile_scan_bench [--sizes 1,5,25] [--only SUBSTRING[,SUBSTRING...]] [--no-before]
//
// The first row is a trivial linear pass (std::count over the same bytes), so
// that the figures compare across machines. The pre-fix messageIdsOfDomain is
// kept here, and only here, to print the "before" figure, at 1 and 3 MB only:
// it is quadratic and takes minutes beyond that.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"
#include "cases/dispositions.h"
#include "cases/threading.h"
#include "documents/survey_reply.h"
#include "parsers/authentication_results.h"
#include "parsers/contact_details.h"
#include "parsers/header_scan.h"
#include "parsers/mail_safety.h"
#include "parsers/mime_parser.h"
#include "parsers/redaction.h"
#include "parsers/text_decoding.h"
#include "routing/routing.h"

namespace {

using namespace complaintd;
using Clock = std::chrono::steady_clock;
constexpr std::size_t kMB = 1024 * 1024;
constexpr std::string_view kDomain = "shugu.example";

// The pre-fix version of daemon::messageIdsOfDomain, verbatim, for the
// "before" figure: rfind('<') walks back to the start for every hit, and the
// std::find dedupe is quadratic in the ids found.
std::vector<std::string> messageIdsOfDomainBeforeFix(std::string_view raw, std::string_view domain) {
    std::vector<std::string> ids;
    const std::string suffix = "@" + std::string(domain) + ">";
    for (auto end = raw.find(suffix); end != std::string_view::npos; end = raw.find(suffix, end + 1)) {
        const auto open = raw.rfind('<', end);
        if (open == std::string_view::npos || end - open > 300) continue;
        const std::string id(raw.substr(open + 1, end + suffix.size() - 2 - open));
        if (id.find_first_of(" \t\r\n<") == std::string::npos && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    return ids;
}

// `unit` repeated (with a counter where it holds "%N") until `bytes` long, after `head`.
std::string repeated(std::string_view head, std::string_view unit, std::size_t bytes) {
    std::string out(head);
    out.reserve(bytes + 64);
    const auto mark = unit.find("%N");
    for (std::size_t n = 0; out.size() < bytes; ++n) {
        if (mark == std::string_view::npos) {
            out += unit;
        } else {
            out.append(unit.substr(0, mark)).append(std::to_string(n)).append(unit.substr(mark + 2));
        }
    }
    out.resize(bytes);
    return out;
}

const std::string kBounceHead =
    "From: MAILER-DAEMON@x.example\r\nTo: desk@shugu.example\r\nSubject: Undelivered\r\n"
    "Message-ID: <forged@x.example>\r\n\r\n";

std::string forgedBounce(std::size_t bytes) { return repeated(kBounceHead, "@shugu.example>", bytes); }
std::string distinctIds(std::size_t bytes) { return repeated(kBounceHead, "<x%N@shugu.example> ", bytes); }
std::string endlessHeaders(std::size_t bytes) { return repeated("", "X-Filler-%N: value\r\n", bytes); }
std::string foldedHeader(std::size_t bytes) {
    return repeated("From: a@b.example\r\nAuto-Submitted:", " no\r\n", bytes);
}
std::string mail(std::string_view headers, std::string body) { return std::string(headers) + "\r\n" + body; }

const std::string kPlainHead =
    "From: a@b.example\r\nTo: desk@shugu.example\r\nSubject: x\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n";
const std::string kHtmlHead =
    "From: a@b.example\r\nTo: desk@shugu.example\r\nSubject: x\r\n"
    "Content-Type: text/html; charset=utf-8\r\n";

struct Scan {
    std::string name;
    std::function<std::string(std::size_t)> input;
    std::function<std::size_t(const std::string&)> run;  // returns something, so nothing is optimised away
    std::vector<std::size_t> sizesMB;                    // empty: the sizes given on the command line
};

routing::RuleSet shippedRules() {
    const auto read = [](const char* name) {
        std::ifstream in(std::string(COMPLAINTD_ROUTING_DIR) + "/" + name);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    static const auto units = routing::UnitDirectory::parse(read("units.conf"), "units.conf", "intake");
    static const auto referrals = routing::ReferralDirectory::parse(read("referrals.conf"), "referrals.conf");
    return routing::RuleSet::parse(read("rules.conf"), "rules.conf", units, referrals);
}

cases::Case caseWith(const std::string& text) {
    cases::Case c;
    c.subject = text.substr(0, 64 * 1024);
    c.summary = text;
    c.complainant.name = "王小明";
    c.complainant.email = "a@b.example";
    return c;
}

std::vector<Scan> scans() {
    std::vector<Scan> list;
    const auto count = [](const std::string& s) { return std::size_t(std::count(s.begin(), s.end(), '>')); };
    list.push_back({"baseline: std::count over the bytes", forgedBounce, count, {}});
    const auto ids = [](const std::string& s) { return parsers::messageIdsOfDomain(s, kDomain).size(); };
    const auto oldIds = [](const std::string& s) { return messageIdsOfDomainBeforeFix(s, kDomain).size(); };
    list.push_back({"messageIdsOfDomain BEFORE FIX, forged bounce", forgedBounce, oldIds, {1, 3}});
    list.push_back({"messageIdsOfDomain BEFORE FIX, distinct ids", distinctIds, oldIds, {1, 3}});
    list.push_back({"messageIdsOfDomain, forged bounce @domain> repeated", forgedBounce, ids, {}});
    list.push_back({"messageIdsOfDomain, distinct <xN@domain>", distinctIds, ids, {}});
    const auto automated = [](const std::string& s) {
        return std::size_t(parsers::automatedMessage(s, "someone@b.example").has_value());
    };
    list.push_back({"automatedMessage, forged bounce", forgedBounce, automated, {}});
    list.push_back({"automatedMessage, header block without end", endlessHeaders, automated, {}});
    list.push_back({"automatedMessage, one header folded to the end", foldedHeader, automated, {}});
    const auto messageId = [](const std::string& s) { return parsers::messageIdOf(s).size(); };
    list.push_back({"messageIdOf, header block without end", endlessHeaders, messageId, {}});

    parsers::ParseLimits limits;
    limits.maxMessageBytes = 30 * kMB;
    limits.maxHeaderBytes = 30 * kMB;
    const auto parse = [limits](const std::string& s) { return parsers::parseMessage(s, limits).index(); };
    list.push_back({"parseMessage, one long line without newline",
                    [](std::size_t b) { return mail(kPlainHead, repeated("", "路燈不亮請修理", b)); },
                    parse,
                    {}});
    list.push_back({"parseMessage, deep HTML <div> x N",
                    [](std::size_t b) { return mail(kHtmlHead, repeated("", "<div>", b)); },
                    parse,
                    {}});
    list.push_back(
        {"parseMessage, HTML <b><i> unclosed then </p> x N",
         [](std::size_t b) { return mail(kHtmlHead, repeated("", "<b><i>", b / 2) + repeated("", "</p>", b / 2)); },
         parse,
         {}});
    list.push_back({"parseMessage, digits and dashes",
                    [](std::size_t b) { return mail(kPlainHead, repeated("", "0-", b)); },
                    parse,
                    {}});
    // mimetic grows a header field's buffer 128 bytes at a time (docs/parsing.md): fields are cut.
    list.push_back({"parseMessage, MIME part header folded to the end",
                    [](std::size_t b) {
                        return mail("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n",
                                    repeated("--b\r\nX-Long:", " a", b) + "\r\n\r\nx\r\n--b--\r\n");
                    },
                    parse,
                    {}});
    list.push_back({"parseMessage, encoded words in a Subject as long as the message",
                    [](std::size_t b) {
                        return repeated("From: a@b.example\r\nSubject:", " =?big5?B?pf2qTA==?=", b) + "\r\n\r\nx";
                    },
                    parse,
                    {}});

    const auto contact = [](const std::string& s) {
        const auto d = parsers::extractContactDetails(s, "");
        return d.phones.size() + d.faxes.size() + d.address.size() + d.name.size();
    };
    list.push_back(
        {"extractContactDetails, digits and dashes", [](std::size_t b) { return repeated("", "0-", b); }, contact, {}});
    list.push_back({"extractContactDetails, distinct phone numbers",
                    [](std::size_t b) { return repeated("", "電話 09%N ", b); },
                    contact,
                    {}});
    list.push_back({"extractContactDetails, 地址 and cities without 號",
                    [](std::size_t b) { return repeated("", "地址：臺南市中西區民生路", b); },
                    contact,
                    {}});
    list.push_back(
        {"extractContactDetails, 姓名 lines with long values",
         [](std::size_t b) { return repeated("", "姓名：王小明王小明王小明王小明王小明王小明王小明王小明\n", b); },
         contact,
         {}});
    list.push_back({"extractContactDetails, 不需保密 repeated",
                    [](std::size_t b) { return repeated("", "不需保密", b); },
                    contact,
                    {}});

    const auto html = [](const std::string& s) { return parsers::htmlToText(s).size(); };
    list.push_back({"htmlToText, deep <div> x N", [](std::size_t b) { return repeated("", "<div>", b); }, html, {}});
    list.push_back({"htmlToText, <table><tr><td> x N",
                    [](std::size_t b) { return repeated("", "<table><tr><td>x", b); },
                    html,
                    {}});
    list.push_back(
        {"htmlToText, many attributes", [](std::size_t b) { return repeated("<p ", "a%N=1 ", b); }, html, {}});
    list.push_back({"htmlToText, text with entities",
                    [](std::size_t b) { return repeated("<p>", "&amp;&#x8def;&nbsp; ", b); },
                    html,
                    {}});

    const auto decode = [](const std::string& s) { return parsers::toUtf8(s, "").utf8.size(); };
    list.push_back({"toUtf8 with charset detection, high bytes",
                    [](std::size_t b) { return repeated("", "\xb8\xf4\xbf\x4f\xa4\xa3\xab\x47 ", b); },
                    decode,
                    {}});
    const auto big5 = [](const std::string& s) { return parsers::toUtf8(s, "big5").utf8.size(); };
    list.push_back(
        {"toUtf8 big5 with broken bytes", [](std::size_t b) { return repeated("", "\xb8\xf4\xff\xa4", b); }, big5, {}});
    const auto header = [](const std::string& s) { return parsers::decodeHeaderValue(s).utf8.size(); };
    list.push_back({"decodeHeaderValue, encoded words",
                    [](std::size_t b) { return repeated("", "=?utf-8?Q?=E8=B7=AF?= ", b); },
                    header,
                    {}});
    list.push_back({"decodeHeaderValue, broken encoded words",
                    [](std::size_t b) { return repeated("", "=?utf-8?Q?", b); },
                    header,
                    {}});

    const auto tag = [](const std::string& s) { return std::size_t(cases::caseTagIn(s).has_value()); };
    list.push_back({"caseTagIn, [ x N then ]", [](std::size_t b) { return repeated("", "[", b - 1) + "]"; }, tag, {}});
    list.push_back({"caseTagIn, 案號-like tags [115-00x]",
                    [](std::size_t b) { return repeated("", "【案號115-00x】[115-0", b); },
                    tag,
                    {}});
    const auto summary = [](const std::string& s) { return cases::summarizeBody(s, 200).size(); };
    list.push_back(
        {"summarizeBody, quoted lines", [](std::size_t b) { return repeated("", "> quoted\n", b); }, summary, {}});
    const auto same = [](const std::string& s) { return std::size_t(cases::sameAddress(s, s)); };
    list.push_back({"sameAddress, long address", [](std::size_t b) { return repeated("", "a", b); }, same, {}});

    const auto similar = [](const std::string& s) {
        const auto c = caseWith(s);
        std::vector<cases::EarlierCase> earlier;
        for (int i = 0; i < 20; ++i)
            earlier.push_back({cases::CaseNumber{115, i + 1}, cases::CaseStatus::Closed, c.subject, c.summary + "x"});
        cases::DispositionPolicy policy;
        policy.repeatSimilarity = 2.0;  // never reached: every earlier case is compared
        return cases::suggestDispositions(c, {}, earlier, policy).size();
    };
    list.push_back({"suggestDispositions, 20 earlier cases of that size",
                    [](std::size_t b) { return repeated("", "路燈%N不亮", b); },
                    similar,
                    {}});

    const auto route = [rules = shippedRules()](const std::string& s) {
        return rules.route(s.substr(0, 64 * 1024), s).routing.keywords.size();
    };
    list.push_back({"RuleSet::route, near-miss keywords",
                    [](std::size_t b) { return repeated("", "路燈路面排水噪音空氣", b); },
                    route,
                    {}});

    const auto survey = [](const std::string& s) { return documents::parseSurveyReply(s).answers.size(); };
    list.push_back({"parseSurveyReply, choice words repeated on one line",
                    [](std::size_t b) { return repeated("6. ", "滿意、", b); },
                    survey,
                    {}});
    list.push_back({"parseSurveyReply, marked boxes",
                    [](std::size_t b) { return repeated("", "> 6.（V）滿意（ ）不滿意\n", b); },
                    survey,
                    {}});
    list.push_back({"parseSurveyReply, distinct text answers",
                    [](std::size_t b) { return repeated("", "1. 去年%N月\n", b); },
                    survey,
                    {}});
    list.push_back({"parseSurveyReply, parentheses without close",
                    [](std::size_t b) { return repeated("6. ", "(", b); },
                    survey,
                    {}});

    // The scans this issue added: whom to believe, what to hold, what to hide.
    const auto authenticated = [](const std::string& s) {
        return std::size_t(parsers::authenticateSender(s, "a@b.example", "mx.center.example"));
    };
    list.push_back({"authenticateSender, one Authentication-Results field folded to the end",
                    [](std::size_t b) {
                        return repeated("From: a@b.example\r\nAuthentication-Results: mx.center.example;",
                                        "\r\n spf=pass smtp.mailfrom=x%N.example;", b);
                    },
                    authenticated,
                    {}});
    list.push_back({"authenticateSender, Authentication-Results fields repeated",
                    [](std::size_t b) {
                        return repeated(
                            "", "Authentication-Results: mx.center.example; dmarc=fail header.from=b.example\r\n", b);
                    },
                    authenticated,
                    {}});
    const auto spam = [marks = std::vector<parsers::SpamMark>{{"X-Spam-Flag", "YES"}, {"X-Spam-Status", "Yes"}}](
                          const std::string& s) { return std::size_t(parsers::spamMarkOf(s, marks).has_value()); };
    list.push_back({"spamMarkOf, X-Spam-Status: No repeated",
                    [](std::size_t b) { return repeated("", "X-Spam-Status: No, score=0.1\r\n", b); },
                    spam,
                    {}});
    const auto redact = [](const std::string& s) {
        const parsers::KnownIdentity who{"王小明", "wang@b.example", "0912-345-678", "", "紫楝路100號", ""};
        return parsers::redactIdentity(s, who).size();
    };
    list.push_back({"redactIdentity, names, phones, e-mail and addresses",
                    [](std::size_t b) {
                        return repeated("", "王先生說0912-345-678或wang%N@b.example，台南市新市區紫楝路%N號。", b);
                    },
                    redact,
                    {}});
    list.push_back({"redactIdentity, digits and @ without an address",
                    [](std::size_t b) { return repeated("", "1-2@3.", b); },
                    redact,
                    {}});
    return list;
}

double secondsFor(const Scan& scan, const std::string& input, std::size_t& sink) {
    // Best of up to five runs within about half a second (the machine is shared): fast scans are
    // repeated until the figure settles, slow ones run once.
    double best = 1e9;
    double spent = 0;
    for (int run = 0; run < 5 && (run == 0 || spent < 0.5); ++run) {
        const auto start = Clock::now();
        sink += scan.run(input);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        best = std::min(best, seconds);
        spent += seconds;
    }
    return best;
}

std::vector<std::size_t> parseSizes(const char* text) {
    std::vector<std::size_t> sizes;
    for (const char* p = text; *p;) {
        sizes.push_back(std::strtoul(p, const_cast<char**>(&p), 10));
        if (*p == ',') ++p;
    }
    return sizes;
}

// Whether `name` holds one of the comma-separated parts of `only` (all when empty).
bool selected(const std::string& name, const std::string& only) {
    if (only.empty()) return true;
    for (std::size_t start = 0; start <= only.size();) {
        auto end = only.find(',', start);
        if (end == std::string::npos) end = only.size();
        if (end > start && name.find(only.substr(start, end - start)) != std::string::npos) return true;
        start = end + 1;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes{1, 5, 25};
    std::string only;
    bool before = true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--sizes" && i + 1 < argc) {
            sizes = parseSizes(argv[++i]);
        } else if (arg == "--only" && i + 1 < argc) {
            only = argv[++i];
        } else if (arg == "--no-before") {
            before = false;
        } else {
            std::fprintf(stderr, "usage: hostile_scan_bench [--sizes 1,5,25] [--only SUBSTRING] [--no-before]\n");
            return 2;
        }
    }
    std::size_t sink = 0;
    std::printf("%-62s %10s %10s %10s %8s\n", "scan (ms per MB at each size)", "1 MB", "5 MB", "25 MB", "25/5");
    for (const Scan& scan : scans()) {
        const bool isBefore = scan.name.find("BEFORE") != std::string::npos;
        if ((!selected(scan.name, only) && !scan.name.starts_with("baseline")) || (isBefore && !before)) continue;
        const auto& mbs = scan.sizesMB.empty() ? sizes : scan.sizesMB;
        std::printf("%-62s", scan.name.c_str());
        std::fflush(stdout);
        std::vector<double> seconds;
        for (std::size_t mb : mbs) {
            const double s = secondsFor(scan, scan.input(mb * kMB), sink);
            seconds.push_back(s);
            std::printf(" %7.2f@%-2zu", s * 1000 / double(mb), mb);
            std::fflush(stdout);
            // Clearly super-linear already: the next size would take far too long.
            if (s > 20.0) {
                std::printf(" (%.0f s; larger sizes skipped)", s);
                break;
            }
        }
        if (seconds.size() >= 2) {
            const double ratio = seconds.back() / std::max(seconds[seconds.size() - 2], 1e-9);
            std::printf(" %7.1fx (size x%zu)", ratio, mbs[seconds.size() - 1] / mbs[seconds.size() - 2]);
        }
        std::printf("\n");
    }
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
