#include "daemon/service.h"

#include <filesystem>

#include "center/logging.h"

namespace complaintd::daemon {
namespace {

std::string ensureParentDir(const std::string& file) {
    const auto parent = std::filesystem::path(file).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    return file;
}

void addIntake(CycleReport& report, const IntakeReport& intake) {
    report.opened += intake.opened;
    report.followUps += intake.followUps;
    report.quarantined += intake.quarantined + intake.poisoned;
    report.heldMail += intake.automated + intake.spam;
}

}  // namespace

ServiceLinks linksFromSettings(const center::Settings& settings, const Progress& progress) {
    return {makeSources(settings, progress), makeMailSender(settings, progress)};
}

Service::Service(center::Settings settings, const center::Clock& clock, Progress heartbeat, const LinksMaker& links)
    : settings_(std::move(settings)),
      clock_(clock),
      heartbeat_(std::move(heartbeat)),
      books_(center::loadCenterBook(settings_)),
      store_(ensureParentDir(settings_.databasePath)),
      links_(links(settings_, progress_)),
      outbox_(settings_, std::move(links_.sender), progress_),
      ocrStore_(settings_.databasePath),
      ocr_(settings_, books_) {}

int Service::runOcr(const std::atomic<bool>& stopping) {
    return ocr_.runPending(ocrStore_, clock_, stopping);  // each job takes the book in use when it starts
}

void Service::reloadCenterBook() {
    books_.replace(center::loadCenterBook(settings_));  // throws before anything in use is touched
}

void Service::advanced() {
    if (heartbeat_) heartbeat_();
    if (intakeOver_) return;
    if (cycleStopping_ && *cycleStopping_) {
        intakeOver_ = true;
    } else if (std::chrono::steady_clock::now() >= cycleEnds_) {
        intakeOver_ = true;
        center::moduleLogger("service")->info("cycle_seconds={} reached: no more mail this cycle, the rest comes next",
                                              settings_.cycleSeconds.count());
    }
}

bool Service::backingOff(const std::string& source) {
    for (const auto& status : store_.sourceStatuses()) {
        if (status.name != source || status.failures == 0 || !status.lastErrorAt) continue;
        // Double the wait with each failure in a row, from one poll interval up to an hour.
        const auto wait = std::min<std::chrono::seconds>(
            settings_.pollInterval * (1LL << std::min(status.failures - 1, 10)), std::chrono::hours(1));
        return clock_.now() < *status.lastErrorAt + wait;
    }
    return false;
}

CollectReport Service::takeMailFrom(MessageSource& source, const std::function<void()>& openCases) {
    CollectReport report;
    source.begin(store_);
    try {
        while (!intakeOver_) {
            auto batch = source.fetch(store_, clock_);
            if (!batch) break;
            // Stored and committed in one transaction, the cases opened, and only then acknowledged:
            // a crash anywhere in between leaves the originals to be taken again and found known.
            const auto outcomes = store_.storeIncoming(batch->messages);
            for (auto& message : batch->messages) std::string().swap(message.raw);  // intake reads the store
            for (const auto outcome : outcomes)
                ++(outcome == center::StoreOutcome::Stored ? report.stored : report.duplicates);
            report.duplicates += batch->alreadyStored;
            openCases();
            source.acknowledge(store_, *batch, outcomes);
        }
    } catch (...) {
        source.end(store_, false);
        throw;
    }
    source.end(store_, true);
    return report;
}

CycleReport Service::runCycle(const std::atomic<bool>& stopping) {
    auto log = center::moduleLogger("service");
    // The book in use as the cycle starts, kept to its end: a reload meanwhile is for the next one.
    const auto book = books_.get();
    IntakeProcessor intake(settings_, *book, progress_);
    DeadlineWatcher deadlines(settings_, *book);
    // Sources take mail for cycle_seconds (or until stopping) and leave the rest for the next
    // cycle; the cases of what they took are opened, and letters and deadlines get their turn.
    cycleStopping_ = &stopping;
    cycleEnds_ = std::chrono::steady_clock::now() + settings_.cycleSeconds;
    intakeOver_ = stopping.load();
    CycleReport report;
    // Called after each committed batch, before the originals are marked or moved. A failure here
    // does not hold the mail on the server: it is stored already, and its cases are opened in a
    // later cycle.
    // Each step catches the project's own errors (complaintd::Error: the store unwell, a server
    // failing, a bad file on reload): failures of the environment, logged and tried again. Anything
    // else is a broken invariant (std::logic_error, out_of_range, a Poco exception no adapter
    // translated) and ends the daemon with exit 70: systemd restarts it and it resumes from the
    // database (../shared/docs/style.md, "Errors"). Intake's per-message catch is the one exception.
    const std::function<void()> openCases = [&] {
        try {
            addIntake(report, intake.processPending(store_, clock_, stopping));
        } catch (const Error& e) {
            log->error("opening cases failed: {}; the stored messages are taken again next cycle", e.what());
        }
    };
    // A cycle cut short is followed by one that starts with the source not reached, so that a
    // backlog in one folder does not keep the others waiting.
    auto& sources = links_.sources;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const auto which = (firstSource_ + i) % sources.size();
        auto& source = sources[which];
        if (stopping) return report;
        if (intakeOver_) {
            firstSource_ = which;
            break;
        }
        try {
            if (backingOff(source->name())) continue;
            const auto collected = takeMailFrom(*source, openCases);
            report.stored += collected.stored;
            report.duplicates += collected.duplicates;
            store_.bump(center::Counter::MessagesStored, collected.stored);
            store_.recordSourceSuccess(source->name(), clock_.now());
        } catch (const Error& e) {
            // Per-cycle failure of the environment: logged, backed off, the other sources go on.
            ++report.sourceErrors;
            log->error("source={} failed: {}", source->name(), e.what());
            try {
                store_.recordSourceFailure(source->name(), e.what(), clock_.now());
            } catch (const center::StoreError&) {
                // The store itself may be what failed; the next cycle tries again.
            }
        }
    }
    // Messages stored before a crash, or released from quarantine by staff.
    openCases();
    // Like the sources, a step failing for the environment (the store full, say) is logged and
    // tried again next cycle; it never ends the daemon.
    try {
        const auto due = deadlines.run(store_, clock_);
        report.reminders = due.reminders;
        report.delayNotices = due.delayNotices;
    } catch (const Error& e) {
        log->error("deadline reminders failed: {}; tried again next cycle", e.what());
    }
    try {
        const auto sent = outbox_.dispatch(store_, clock_, stopping);
        report.sent = sent.sent;
        report.deferred = sent.deferred;
        report.failed = sent.failed;
    } catch (const Error& e) {
        log->error("sending letters failed: {}; tried again next cycle", e.what());
    }
    if (report.stored || report.opened || report.quarantined || report.sent || report.deferred || report.failed)
        log->info("cycle stored={} duplicates={} opened={} quarantined={} sent={} deferred={} failed={}", report.stored,
                  report.duplicates, report.opened, report.quarantined, report.sent, report.deferred, report.failed);
    return report;
}

}  // namespace complaintd::daemon
