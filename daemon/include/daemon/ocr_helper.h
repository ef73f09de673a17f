// Fax pages are untrusted input: poppler, libtiff (through Leptonica) and
// Tesseract decode and read them in a helper process, `complaintd --ocr-helper`,
// never in the daemon that holds the database and the mail credentials. One
// helper per fax: the daemon writes the settings and the documents to its stdin
// and reads the result from its stdout. The helper runs with limits on CPU time,
// address space, file size (0), open files and core dumps, and the daemon kills it
// at a wall-clock deadline, so that a decoder bug or a bomb ends the helper, and
// the fax waits at the intake desk with the reason.
//
// The wire:
//   stdin:  the line "complaintd-ocr 1", a line of JSON (the OcrSettings, and per
//           document its format and size in bytes), then the documents' bytes.
//   stdout: one JSON object, the OcrResult; or {"error": "..."} with exit status 1.
#pragma once

#include <atomic>
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fax/ocr_engine.h"

namespace complaintd::daemon {

// What the helper may use: fax.ocr_cpu_seconds, fax.ocr_memory_mb, fax.ocr_timeout.
struct OcrHelperLimits {
    std::chrono::seconds cpu{120};   // RLIMIT_CPU: SIGXCPU at this, SIGKILL a second later
    std::size_t memoryMb = 1024;     // RLIMIT_AS, the whole address space (libraries and models included)
    std::chrono::seconds wall{300};  // killed by the daemon after this long, whatever it is doing
};

// Why the helper gave no result. A failure the document caused (a limit, a crash, an
// answer that makes no sense) would only repeat: the job fails at once. A helper that
// could not be started is the machine's problem and is tried again.
struct OcrHelperFailure {
    enum class Cause { Document, Machine };
    Cause cause = Cause::Document;
    std::string reason;  // English, for the case history and the log; no personal data
};

using HelperOcrResult = std::variant<fax::OcrResult, OcrHelperFailure>;

// The daemon's side: starts one helper per call.
class OcrHelper {
public:
    // `command` runs the helper: by default this very executable in its hidden mode, so an
    // install needs nothing new and the helper is always the daemon's own version.
    OcrHelper(fax::OcrSettings settings, OcrHelperLimits limits,
              std::vector<std::string> command = {"/proc/self/exe", "--ocr-helper"});

    // Reads the documents' pages in a helper. When `stopping` becomes true the helper is
    // killed and the result is marked interrupted (the job stays pending).
    HelperOcrResult recognise(std::span<const fax::DocumentView> documents, const std::atomic<bool>& stopping) const;

private:
    fax::OcrSettings settings_;
    OcrHelperLimits limits_;
    std::vector<std::string> command_;
};

// The helper's side, `complaintd --ocr-helper`: reads the request from `input`, writes the
// answer to `output`, returns the exit status.
int runOcrHelper(int input, int output);

// The wire, apart from the processes (and for tests).
std::string encodeOcrRequest(const fax::OcrSettings& settings, std::span<const fax::DocumentView> documents);
std::string encodeOcrResult(const fax::OcrResult& result);
// The result, or what is wrong with the answer (never throws).
std::variant<fax::OcrResult, std::string> decodeOcrAnswer(std::string_view answer);

}  // namespace complaintd::daemon
