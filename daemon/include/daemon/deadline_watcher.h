// The two deadlines at work: reminds each unit before a case's handling
// target (once per case and threshold), and sends the complainant the delay
// notice when an unanswered case nears the legal limit, with the reason staff
// entered (complaintctl delay). Runs once per cycle over the open cases.
#pragma once

#include "center/center_book.h"
#include "center/clock.h"
#include "center/store.h"

namespace complaintd::daemon {

struct DeadlineReport {
    int reminders = 0;
    int delayNotices = 0;
};

class DeadlineWatcher {
public:
    DeadlineWatcher(const center::Settings& settings, const center::CenterBook& book);
    DeadlineReport run(center::Store& store, const center::Clock& clock);

private:
    bool remind(center::Store& store, const cases::CaseRecord& record, cases::Timestamp now);
    bool noticeDelay(center::Store& store, const cases::CaseRecord& record, cases::Timestamp now);

    const center::Settings& settings_;
    center::LetterOffice letters_;
};

}  // namespace complaintd::daemon
