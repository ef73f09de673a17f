#include "daemon/deadline_watcher.h"

#include <algorithm>

#include "cases/lifecycle.h"
#include "center/logging.h"

namespace complaintd::daemon {

DeadlineWatcher::DeadlineWatcher(const center::Settings& settings, const center::CenterBook& book)
    : settings_(settings), letters_(settings, book) {}

DeadlineReport DeadlineWatcher::run(center::Store& store, const center::Clock& clock) {
    DeadlineReport report;
    const auto now = clock.now();
    // Only the cases whose deadlines run, without their large texts.
    for (const auto& record : store.caseSummaries(center::Store::CaseSelection::DeadlinesRunning)) {
        if (!record.fields.deadlines || !cases::deadlinesRun(record.fields.status)) continue;
        if (remind(store, record, now)) ++report.reminders;
        // A signed-off reply is written: what is late is its posting, the unit's reminder says so.
        if (cases::isAwaitingAnswer(record.fields.status) && noticeDelay(store, record, now)) ++report.delayNotices;
    }
    return report;
}

bool DeadlineWatcher::remind(center::Store& store, const cases::CaseRecord& record, cases::Timestamp now) {
    const auto& c = record.fields;
    const int left = cases::daysUntil(cases::localDate(now), c.deadlines->target);
    // Only the most urgent threshold reached gets a letter; the ones passed
    // before it (the daemon was down) are recorded silently.
    auto thresholds = settings_.reminderDays;
    std::sort(thresholds.begin(), thresholds.end());
    const auto reached = std::find_if(thresholds.begin(), thresholds.end(), [&](int t) { return left <= t; });
    if (reached == thresholds.end()) return false;
    for (auto it = std::next(reached); it != thresholds.end(); ++it)
        store.queueNoticeOnce(c.number, cases::LetterKind::Reminder, *it, std::nullopt, now);
    const auto letter = letters_.toUnit(cases::LetterKind::Reminder, c, c.number, now,
                                        {{"awaiting_post", c.status == cases::CaseStatus::SignedOff ? "yes" : ""}});
    if (!store.queueNoticeOnce(c.number, cases::LetterKind::Reminder, *reached, letter, now)) return false;
    center::moduleLogger("deadlines")->info("{}: reminder unit={} days_left={}", c.number.toString(), c.unit, left);
    return letter.has_value();
}

bool DeadlineWatcher::noticeDelay(center::Store& store, const cases::CaseRecord& record, cases::Timestamp now) {
    const auto& c = record.fields;
    const int left = cases::daysUntil(cases::localDate(now), c.deadlines->legal);
    if (left > settings_.delayNoticeDays) return false;
    if (record.delayReason.empty()) return false;  // `complaintctl due` asks staff for the reason
    const auto letter = letters_.toComplainant(cases::LetterKind::DelayNotice, c, c.number, now,
                                               {{"delay_reason", record.delayReason}});
    if (!store.queueNoticeOnce(c.number, cases::LetterKind::DelayNotice, 0, letter, now)) return false;
    center::moduleLogger("deadlines")
        ->info("{}: delay notice queued days_to_legal_limit={}", c.number.toString(), left);
    return letter.has_value();
}

}  // namespace complaintd::daemon
