#include "center/procedure.h"

namespace complaintd::center {

void reopenDissatisfied(Store& store, const LetterOffice& letters, const CaseRecord& record, const std::string& how,
                        cases::Timestamp now) {
    const auto& number = record.fields.number;
    const auto status = record.fields.status;
    if (status != cases::CaseStatus::Replied && status != cases::CaseStatus::Closed) return;
    store.changeStatus(number, {cases::CaseStatus::Reopened, "complaintd", "dissatisfied (" + how + ")", now});
    if (const auto letter = letters.toUnit("dissatisfied", record.fields, number, now))
        store.queueNoticeOnce(number, "dissatisfied", int(now.time_since_epoch().count() / 86400), letter, now);
}

}  // namespace complaintd::center
