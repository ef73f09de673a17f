#include "daemon/ocr_helper.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <sstream>

#include "cases/error.h"
#include "parsers/text_decoding.h"
#include "subprocess.h"
#include "syscall_filter.h"

namespace complaintd::daemon {
namespace {

constexpr std::string_view kWireVersion = "complaintd-ocr 1";
constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;  // 20 pages of text are well under 1 MiB
constexpr int kExitFailed = 1;                             // the answer is {"error": ...}
constexpr int kExitOutOfMemory = 3;                        // std::bad_alloc: the address-space limit
constexpr rlim_t kHelperOpenFiles = 32;  // stdio, a model file at a time, fontconfig for a PDF's fonts

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringified(const Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// Tesseract gives UTF-8; whatever it gives, the JSON writer gets nothing else.
std::string validUtf8(const std::string& text) { return parsers::toUtf8(text, "utf-8").utf8; }

const char* formatName(fax::DocumentFormat format) { return format == fax::DocumentFormat::Pdf ? "pdf" : "tiff"; }

// ---- the helper's side -------------------------------------------------------------

struct Request {
    fax::OcrSettings settings;
    std::vector<fax::DocumentView> documents;  // views into the input
};

Request decodeRequest(std::string_view input) {
    const auto versionEnd = input.find('\n');
    if (versionEnd == std::string_view::npos || input.substr(0, versionEnd) != kWireVersion)
        throw Error("the request does not start with \"" + std::string(kWireVersion) + "\"");
    input.remove_prefix(versionEnd + 1);
    const auto headerEnd = input.find('\n');
    if (headerEnd == std::string_view::npos) throw Error("the request has no header line");
    Poco::JSON::Parser parser;
    const auto header = parser.parse(std::string(input.substr(0, headerEnd))).extract<Object::Ptr>();
    input.remove_prefix(headerEnd + 1);
    Request r;
    auto& s = r.settings;
    s.languages = header->getValue<std::string>("languages");
    s.tessdataDir = header->getValue<std::string>("tessdata_dir");
    s.pdfDpi = header->getValue<int>("pdf_dpi");
    s.assumedDpi = header->getValue<int>("assumed_dpi");
    s.lowConfidence = header->getValue<int>("low_confidence");
    s.maxPages = header->getValue<int>("max_pages");
    s.maxPagePixels = header->getValue<std::size_t>("max_page_pixels");
    s.maxPageComponents = header->getValue<int>("max_page_components");
    s.pageTimeout = std::chrono::milliseconds(header->getValue<long>("page_timeout_ms"));
    const auto documents = header->getArray("documents");
    if (!documents) throw Error("the request lists no documents");
    for (std::size_t i = 0; i < documents->size(); ++i) {
        const auto document = documents->getObject(unsigned(i));
        const auto size = document->getValue<std::size_t>("bytes");
        if (size > input.size()) throw Error("the request ends inside document " + std::to_string(i + 1));
        const auto format = document->getValue<std::string>("format");
        r.documents.push_back(
            {input.substr(0, size), format == "pdf" ? fax::DocumentFormat::Pdf : fax::DocumentFormat::Tiff});
        input.remove_prefix(size);
    }
    return r;
}

std::string readAll(int fd) {
    std::string data;
    char buffer[65536];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("cannot read the request from stdin");
        if (n == 0) return data;
        data.append(buffer, std::size_t(n));
    }
}

void writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const auto n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the daemon is gone or gave up: nobody to tell
        data.remove_prefix(std::size_t(n));
    }
}

// A std::bad_alloc that reaches a noexcept frame (Tesseract has some) ends here instead of
// in the catch below: the exit status still says "out of memory".
[[noreturn]] void terminateHelper() {
    if (const auto current = std::current_exception()) {
        try {
            std::rethrow_exception(current);
        } catch (const std::bad_alloc&) {
            ::_exit(kExitOutOfMemory);
        } catch (...) {
        }
    }
    std::abort();
}

// ---- the daemon's side -------------------------------------------------------------

fax::OcrPage decodePage(const Object& item) {
    fax::OcrPage page;
    page.number = item.getValue<int>("number");
    page.text = item.getValue<std::string>("text");
    page.confidence = item.getValue<int>("confidence");
    page.lowConfidence = item.getValue<bool>("low");
    page.defect = item.getValue<std::string>("defect");
    return page;
}

fax::OcrResult decodeResult(const Object& answer) {
    fax::OcrResult result;
    const auto pages = answer.getArray("pages");
    const auto reasons = answer.getArray("reasons");
    if (!pages || !reasons) throw Error("pages or reasons missing");
    for (std::size_t i = 0; i < pages->size(); ++i) {
        const auto item = pages->getObject(unsigned(i));
        if (!item) throw Error("page " + std::to_string(i + 1) + " is not an object");
        result.pages.push_back(decodePage(*item));
    }
    for (std::size_t i = 0; i < reasons->size(); ++i) result.reasons.push_back(reasons->getElement<std::string>(i));
    result.text = answer.getValue<std::string>("text");
    result.confidence = answer.getValue<int>("confidence");
    result.pagesNotRead = answer.getValue<int>("pages_not_read");
    result.needsManualSummary = answer.getValue<bool>("needs_manual_summary");
    result.interrupted = answer.getValue<bool>("interrupted");
    return result;
}

// The helper's environment: nothing of the daemon's secrets' whereabouts
// ($CREDENTIALS_DIRECTORY), one OpenMP thread unless the administrator chose otherwise
// (a thread more is 8 MiB of stack and a malloc arena of address space), one arena.
std::vector<std::string> helperEnvironment() {
    std::vector<std::string> environment{"PATH=/usr/bin:/bin", "MALLOC_ARENA_MAX=1"};
    const char* threads = std::getenv("OMP_THREAD_LIMIT");
    environment.push_back(std::string("OMP_THREAD_LIMIT=") + (threads && *threads ? threads : "1"));
    for (const char* name : {"HOME", "XDG_CACHE_HOME", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "TZ"})
        if (const char* value = std::getenv(name)) environment.push_back(std::string(name) + "=" + value);
    return environment;
}

// The reason for the case history: what happened, and which setting to look at.
std::string failureReason(const ChildResult& child, const OcrHelperLimits& limits) {
    const std::string who = "the page decoder ";
    const std::string memory = std::to_string(limits.memoryMb) + " MB (fax.ocr_memory_mb)";
    const std::string cpu = std::to_string(limits.cpu.count()) + " s (fax.ocr_cpu_seconds)";
    switch (child.end) {
        case ChildResult::End::TimedOut:
            return who + "did not finish within " + std::to_string(limits.wall.count()) + " s (fax.ocr_timeout)";
        case ChildResult::End::TooMuchOutput:
            return who + "answered with more than " + std::to_string(kMaxAnswerBytes >> 20) + " MiB";
        case ChildResult::End::Signalled:
            if (child.signal == SIGXCPU) return who + "exceeded its CPU time limit of " + cpu;
            if (child.signal == SIGKILL)  // we did not send it: the hard CPU limit, or the kernel's OOM killer
                return who + "was killed (signal 9): over its CPU time limit of " + cpu + " or out of memory";
            return who + "crashed (" + child.problem.substr(child.problem.find("signal")) + ")";
        case ChildResult::End::Exited:
            if (child.exitStatus == kExitOutOfMemory) return who + "exceeded its memory limit of " + memory;
            return who + child.problem;
        default:
            return who + child.problem;
    }
}

}  // namespace

std::string encodeOcrRequest(const fax::OcrSettings& s, std::span<const fax::DocumentView> documents) {
    Object header;
    header.set("languages", s.languages);
    header.set("tessdata_dir", s.tessdataDir);
    header.set("pdf_dpi", s.pdfDpi);
    header.set("assumed_dpi", s.assumedDpi);
    header.set("low_confidence", s.lowConfidence);
    header.set("max_pages", s.maxPages);
    header.set("max_page_pixels", s.maxPagePixels);
    header.set("max_page_components", s.maxPageComponents);
    header.set("page_timeout_ms", long(s.pageTimeout.count()));
    Array list;
    std::size_t total = 0;
    for (const auto& document : documents) {
        Object item;
        item.set("format", std::string(formatName(document.format)));
        item.set("bytes", document.data.size());
        list.add(item);
        total += document.data.size();
    }
    header.set("documents", list);
    std::string request = std::string(kWireVersion) + "\n" + stringified(header) + "\n";
    request.reserve(request.size() + total);
    for (const auto& document : documents) request.append(document.data);
    return request;
}

std::string encodeOcrResult(const fax::OcrResult& result) {
    Object answer;
    Array pages;
    for (const auto& page : result.pages) {
        Object item;
        item.set("number", page.number);
        item.set("text", validUtf8(page.text));
        item.set("confidence", page.confidence);
        item.set("low", page.lowConfidence);
        item.set("defect", validUtf8(page.defect));
        pages.add(item);
    }
    Array reasons;
    for (const auto& reason : result.reasons) reasons.add(validUtf8(reason));
    answer.set("pages", pages);
    answer.set("text", validUtf8(result.text));
    answer.set("confidence", result.confidence);
    answer.set("pages_not_read", result.pagesNotRead);
    answer.set("needs_manual_summary", result.needsManualSummary);
    answer.set("reasons", reasons);
    answer.set("interrupted", result.interrupted);
    return stringified(answer);
}

std::variant<fax::OcrResult, std::string> decodeOcrAnswer(std::string_view text) {
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(4);  // object, pages, page: a deeply nested answer is not ours
        const auto answer = parser.parse(std::string(text)).extract<Object::Ptr>();
        if (!answer) return std::string("not a JSON object");
        if (answer->has("error")) return "it reported: " + answer->getValue<std::string>("error");
        return decodeResult(*answer);
    } catch (const Poco::Exception& e) {
        return e.displayText();
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
}

int runOcrHelper(int input, int output) {
    std::set_terminate(terminateHelper);
    try {
        const auto data = readAll(input);
        const auto request = decodeRequest(data);
        const fax::OcrEngine engine(request.settings);
        // The models are loaded; from here on nothing but the pages is read (syscall_filter.h).
        if (!installHelperSyscallFilter())
            throw Error(std::string("could not install its system call filter: ") + std::strerror(errno));
        writeAll(output, encodeOcrResult(engine.recognise(request.documents)));
        return EXIT_SUCCESS;
    } catch (const std::bad_alloc&) {
        return kExitOutOfMemory;
    } catch (const Poco::Exception& e) {
        Object answer;
        answer.set("error", e.displayText());
        writeAll(output, stringified(answer));
    } catch (const std::exception& e) {
        Object answer;
        answer.set("error", std::string(e.what()));
        writeAll(output, stringified(answer));
    }
    return kExitFailed;
}

OcrHelper::OcrHelper(fax::OcrSettings settings, OcrHelperLimits limits, std::vector<std::string> command)
    : settings_(std::move(settings)), limits_(limits), command_(std::move(command)) {}

HelperOcrResult OcrHelper::recognise(std::span<const fax::DocumentView> documents,
                                     const std::atomic<bool>& stopping) const {
    ChildRequest request;
    request.argv = command_;
    request.environment = helperEnvironment();
    request.input = encodeOcrRequest(settings_, documents);
    request.stderrTo = ChildStderr::Discard;  // RLIMIT_FSIZE 0 would kill it for a line to a log file
    request.limits = {{RLIMIT_CPU, rlim_t(limits_.cpu.count())},
                      {RLIMIT_AS, rlim_t(limits_.memoryMb) << 20},
                      {RLIMIT_FSIZE, 0},
                      {RLIMIT_NOFILE, kHelperOpenFiles},
                      {RLIMIT_CORE, 0}};
    request.timeout = limits_.wall;
    request.maxOutputBytes = kMaxAnswerBytes;
    request.stopping = &stopping;
    const auto child = runChild(request);
    if (child.end == ChildResult::End::Stopped) {
        fax::OcrResult interrupted;
        interrupted.interrupted = true;
        return interrupted;
    }
    if (child.end == ChildResult::End::NotStarted || child.exitStatus == kExitNotExecuted ||
        child.exitStatus == kExitLimitsNotSet)
        return OcrHelperFailure{OcrHelperFailure::Cause::Machine, "the page decoder " + child.problem};
    if (child.end == ChildResult::End::Exited && (child.exitStatus == 0 || child.exitStatus == kExitFailed)) {
        auto answer = decodeOcrAnswer(child.output);
        if (auto* result = std::get_if<fax::OcrResult>(&answer)) {
            if (child.exitStatus == 0) return std::move(*result);
            answer = std::string("it failed without saying why");
        }
        // A failure it reports (Tesseract could not load its models) is about the setup, not the fax.
        const auto& what = std::get<std::string>(answer);
        const auto cause = child.exitStatus == kExitFailed && what.starts_with("it reported")
                               ? OcrHelperFailure::Cause::Machine
                               : OcrHelperFailure::Cause::Document;
        return OcrHelperFailure{cause, "the page decoder's answer could not be used: " + what};
    }
    return OcrHelperFailure{OcrHelperFailure::Cause::Document, failureReason(child, limits_)};
}

}  // namespace complaintd::daemon
