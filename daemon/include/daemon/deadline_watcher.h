// The two deadlines at work: reminds each unit before a case's handling
// target (once per case and threshold), and sends the complainant the delay
// notice when an unanswered case nears the legal limit, with the reason staff
// entered (complaintctl delay). Runs once per cycle over the open cases.
#pragma once

#include "daemon/center_book.h"
#include "daemon/clock.h"
#include "daemon/store.h"

namespace complaintd::daemon {

struct DeadlineReport {
    int reminders = 0;
    int delayNotices = 0;
};

class DeadlineWatcher {
public:
    DeadlineWatcher(const Settings& settings, const CenterBook& book);
    DeadlineReport run(Store& store, const Clock& clock);

private:
    bool remind(Store& store, const CaseRecord& record, cases::Timestamp now);
    bool noticeDelay(Store& store, const CaseRecord& record, cases::Timestamp now);

    const Settings& settings_;
    LetterOffice letters_;
};

}  // namespace complaintd::daemon
