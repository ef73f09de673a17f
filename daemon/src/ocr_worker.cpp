#include "daemon/ocr_worker.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <sstream>

#include "center/logging.h"
#include "center/procedure.h"
#include "fax/fax_recognition.h"

namespace complaintd::daemon {
namespace {

constexpr int kMaxAttempts = 3;

fax::OcrSettings ocrSettings(const center::Settings& s) {
    fax::OcrSettings o;
    o.languages = s.ocrLanguages;
    o.tessdataDir = s.tessdataDir;
    o.pdfDpi = s.ocrDpi;
    o.lowConfidence = s.ocrLowConfidence;
    o.maxPages = s.ocrMaxPages;
    return o;
}

OcrHelperLimits helperLimits(const center::Settings& s) { return {s.ocrCpuSeconds, s.ocrMemoryMb, s.ocrTimeout}; }

std::string pagesJson(const fax::OcrResult& result) {
    Poco::JSON::Array array;
    for (const auto& page : result.pages) {
        Poco::JSON::Object item;
        item.set("page", page.number);
        item.set("confidence", page.confidence);
        item.set("low", page.lowConfidence);
        item.set("defect", page.defect);
        array.add(item);
    }
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

center::OcrReading readingOf(const fax::OcrResult& result) {
    return {result.text,       result.confidence,         int(result.pages.size()),
            pagesJson(result), result.needsManualSummary, result.reasons};
}

}  // namespace

OcrWorker::OcrWorker(const center::Settings& settings, const center::CenterBookInUse& books,
                     std::vector<std::string> helperCommand)
    : settings_(settings),
      books_(books),
      helper_(ocrSettings(settings), helperLimits(settings), std::move(helperCommand)) {
    std::istringstream languages(settings.ocrLanguages);
    for (std::string language; std::getline(languages, language, '+');) {
        const auto file = settings.tessdataDir + "/" + language + ".traineddata";
        if (!std::filesystem::exists(file))
            throw ConfigError("fax.ocr_languages = \"" + settings.ocrLanguages + "\": " + file +
                              " is missing (install tesseract-ocr-" + language + " or fix fax.tessdata_dir)");
    }
}

int OcrWorker::runPending(center::Store& store, const center::Clock& clock, const std::atomic<bool>& stopping) {
    int finished = 0;
    while (!stopping) {
        const auto jobs = store.pendingOcrJobs(5);
        if (jobs.empty()) break;
        for (const auto& job : jobs) {
            if (stopping) break;
            runOne(store, clock, job, stopping);
            ++finished;
        }
    }
    return finished;
}

void OcrWorker::runOne(center::Store& store, const center::Clock& clock, const center::OcrJob& job,
                       const std::atomic<bool>& stopping) {
    auto log = center::moduleLogger("ocr");
    try {
        const auto message = store.message(job.messageRowId);
        if (!message) throw Error("the case or its message is gone");
        const auto parsed = parsers::parseMessage(message->raw, settings_.limits);
        const auto* mail = std::get_if<parsers::ParsedMessage>(&parsed);
        if (!mail) throw Error("the fax mail no longer parses");
        // The book as it is now, kept to the end of the job: a reload meanwhile is for the next job.
        const auto book = books_.get();
        std::vector<fax::DocumentView> views;
        for (const auto& document : fax::recogniseFax(*mail, book->faxGateways).documents)
            views.push_back({mail->attachments.at(document.attachment).data, document.format});
        const auto read = helper_.recognise(views, stopping);
        if (const auto* failure = std::get_if<OcrHelperFailure>(&read)) {
            // A limit, a crash or nonsense would only repeat with the same pages: fail at once.
            const bool again = failure->cause == OcrHelperFailure::Cause::Machine;
            store.failOcr(job.number, failure->reason, again ? kMaxAttempts : 1, clock.now());
            log->warn("{}: ocr failed attempt={} retry={} error=\"{}\"", job.number.toString(), job.attempts + 1,
                      again && job.attempts + 1 < kMaxAttempts ? "yes" : "no", failure->reason);
            return;
        }
        const auto& result = std::get<fax::OcrResult>(read);
        if (result.interrupted) return;  // stays pending
        // applyOcr decides, in its transaction, what of this staff have not decided meanwhile.
        center::Procedure procedure(store, settings_, *book);
        const auto applied = procedure.applyOcr(job.number, readingOf(result), clock.now());
        log->info("{}: ocr pages={} confidence={} manual={} routing={}", job.number.toString(), result.pages.size(),
                  result.confidence, result.needsManualSummary ? "yes" : "no",
                  applied == center::OcrApplied::Routed      ? "applied"
                  : applied == center::OcrApplied::Suggested ? "suggested (staff routed it)"
                                                             : "none");
    } catch (const std::exception& e) {
        store.failOcr(job.number, e.what(), kMaxAttempts, clock.now());
        log->error("{}: ocr failed attempt={} error=\"{}\"", job.number.toString(), job.attempts + 1, e.what());
    }
}

}  // namespace complaintd::daemon
