// Turning a stored message that intake did not open as a case (quarantined, or held as
// automated mail or spam) into a case, by staff decision. One path for all of them: the
// message is read as a complaint would be (complainant, subject, summary, routing); one no
// parser can read goes to the intake desk with `unreadableSummary`. No letter is queued:
// nothing in such a message was trusted to address one; staff answer through the procedure.
#pragma once

#include <string>

#include "command_line.h"

namespace complaintd::ctl {

center::CaseDraft releaseDraft(const Context& ctx, const center::CenterBook& book, const std::string& actor,
                               const center::StoredMessage& message, const std::string& unreadableSummary);

// The line complaintctl prints once the case is open: "115-002 opened from automated message 5 ...".
void printReleased(const Context& ctx, const cases::CaseNumber& number, const center::CaseDraft& draft,
                   const std::string& what, long long messageId);

}  // namespace complaintd::ctl
