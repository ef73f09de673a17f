// OCR of fax pages, apart from intake: a fax case is opened and numbered at
// once, with an OCR job in the same transaction; this worker reads the pages
// later (in its own thread in the service, at the end of a --once cycle) and
// then routes the case by the text like an e-mail. A crash or restart in
// between loses nothing: the job stays pending until it is done or has failed
// three times, and the case waits at the intake desk meanwhile. The pages are
// read in a helper process with limits (ocr_helper.h); a helper that dies on
// a fax fails that fax's job at once, and the worker goes on with the next.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "center/center_book.h"
#include "center/clock.h"
#include "center/store.h"
#include "daemon/ocr_helper.h"
#include "fax/ocr_engine.h"

namespace complaintd::daemon {

class OcrWorker {
public:
    // Checks that Tesseract's language data is there (a ConfigError when it is not). Each fax
    // starts a helper, `helperCommand` (by default this executable's hidden mode). Each job
    // takes the center book in use when it starts and keeps it to its end: a reload (SIGHUP)
    // never waits for the pages being read.
    OcrWorker(const center::Settings& settings, const center::CenterBookInUse& books,
              std::vector<std::string> helperCommand = {"/proc/self/exe", "--ocr-helper"});

    // Runs pending jobs until none is left or `stopping`; returns how many finished.
    int runPending(center::Store& store, const center::Clock& clock, const std::atomic<bool>& stopping);

private:
    void runOne(center::Store& store, const center::Clock& clock, const center::OcrJob& job,
                const std::atomic<bool>& stopping);

    const center::Settings& settings_;
    const center::CenterBookInUse& books_;
    OcrHelper helper_;
};

}  // namespace complaintd::daemon
