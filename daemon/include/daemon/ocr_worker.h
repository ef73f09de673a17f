// OCR of fax pages, apart from intake: a fax case is opened and numbered at
// once, with an OCR job in the same transaction; this worker reads the pages
// later (in its own thread in the service, at the end of a --once cycle) and
// then routes the case by the text like an e-mail. A crash or restart in
// between loses nothing: the job stays pending until it is done or has failed
// three times, and the case waits at the intake desk meanwhile.
#pragma once

#include <atomic>
#include <optional>

#include "daemon/center_book.h"
#include "daemon/clock.h"
#include "daemon/store.h"
#include "fax/ocr_engine.h"

namespace complaintd::daemon {

class OcrWorker {
public:
    // Checks that Tesseract's language data is there (a ConfigError when it is not); the
    // engine itself is loaded with the first fax, so a center without faxes never pays for it.
    OcrWorker(const Settings& settings, const CenterBook& book);

    // Runs pending jobs until none is left or `stopping`; returns how many finished.
    int runPending(Store& store, const Clock& clock, const std::atomic<bool>& stopping);

private:
    void runOne(Store& store, const Clock& clock, const OcrJob& job);
    OcrOutcome outcomeFor(const CaseRecord& record, const fax::OcrResult& result) const;

    const Settings& settings_;
    const CenterBook& book_;
    std::optional<fax::OcrEngine> engine_;
};

}  // namespace complaintd::daemon
