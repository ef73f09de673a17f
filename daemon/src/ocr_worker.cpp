#include "daemon/ocr_worker.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <sstream>

#include "center/logging.h"
#include "fax/fax_recognition.h"
#include "parsers/contact_details.h"

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

void fillMissing(std::string& field, const std::string& found) {
    if (field.empty()) field = found;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
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
        // completeOcr decides, in its transaction, what of this staff have not decided meanwhile.
        const auto record = store.findCase(job.number);
        if (!record) throw Error("the case or its message is gone");
        const auto outcome = outcomeFor(*book, *record, result);
        const auto applied = store.completeOcr(job.number, outcome, clock.now());
        log->info("{}: ocr pages={} confidence={} manual={} unit={} routing={}", job.number.toString(),
                  result.pages.size(), result.confidence, result.needsManualSummary ? "yes" : "no",
                  outcome.updated.unit,
                  applied == center::OcrApplied::Routed      ? "applied"
                  : applied == center::OcrApplied::Suggested ? "suggested (staff routed it)"
                                                             : "none");
    } catch (const std::exception& e) {
        store.failOcr(job.number, e.what(), kMaxAttempts, clock.now());
        log->error("{}: ocr failed attempt={} error=\"{}\"", job.number.toString(), job.attempts + 1, e.what());
    }
}

center::OcrOutcome OcrWorker::outcomeFor(const center::CenterBook& book, const cases::CaseRecord& record,
                                         const fax::OcrResult& result) const {
    center::OcrOutcome o;
    o.updated = record.fields;
    o.text = result.text;
    o.confidence = result.confidence;
    o.pagesJson = pagesJson(result);
    auto& c = o.updated;
    const auto summary = cases::summarizeBody(result.text, settings_.summaryCharacters);
    if (!summary.empty()) c.summary = summary;
    const auto contact = parsers::extractContactDetails(result.text, "");
    fillMissing(c.complainant.name, contact.name);
    fillMissing(c.complainant.phone, contact.phones.empty() ? "" : contact.phones.front());
    fillMissing(c.complainant.address, contact.address);
    fillMissing(c.complainant.organisation, contact.organisation);
    c.confidential = c.confidential || contact.confidential;
    o.note = std::to_string(result.pages.size()) + " pages read, confidence " + std::to_string(result.confidence);
    if (result.needsManualSummary) {
        // A person summarises and routes it from the intake desk.
        o.note += "; needs a manual summary: " + joined(result.reasons, "; ");
        return o;
    }
    const auto decision = book.rules.route(c.subject, result.text);
    c.category = decision.category;
    c.routing = decision.routing;
    if (!decision.routing.rule.empty()) {
        c.unit = decision.unitId;
        c.status = decision.openingStatus();
    }
    o.note += decision.routing.rule.empty() ? "; no rule matched" : "; rule " + decision.routing.rule;
    return o;
}

}  // namespace complaintd::daemon
