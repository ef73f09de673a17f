// The moves of the complaint procedure that change the register, shared by every program
// (complaintd's workers, complaintctl and the web console) so that all apply the same rules.
// Each decides with the pure rules of cases/ and routing/, applies the decision through the
// store with its history line, and queues the letters it calls for. None reads a clock:
// `now` is passed in.
#pragma once

#include <string>

#include "center/center_book.h"
#include "center/store.h"

namespace complaintd::center {

// 不滿意則續辦: reopens an answered case after a dissatisfied survey and queues the
// "dissatisfied" letter to its unit (once a day at most). Used by intake and complaintctl survey.
void reopenDissatisfied(Store& store, const LetterOffice& letters, const CaseRecord& record, const std::string& how,
                        cases::Timestamp now);

}  // namespace complaintd::center
