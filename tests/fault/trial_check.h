// What a trial left behind, read from complaintd's database and the SMTP server's mails, and
// the verdict against the complaints the trial appended: lost mails, duplicate cases,
// duplicate acknowledgements. The figures add up over trials into one table row.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "mail_room.h"

namespace complaintd::fault {

struct CaseRow {
    std::string number;
    std::string subject;
    std::string messageId;  // of the message that opened the case
};

// The database, read after complaintd stopped (schema: center/src/schema_steps.cpp).
struct StoreSnapshot {
    bool exists = false;
    std::vector<CaseRow> cases;
    std::set<std::string> messageIds;  // every stored message
    int pending = 0;                   // stored, not yet made a case of
    int quarantined = 0;
    int automated = 0;  // recorded as automatic replies: no case, no letter
    int followUps = 0;
    int outboxQueued = 0;
    int outboxSent = 0;
    int outboxFailed = 0;
    int outboxHeldInterrupted = 0;  // held for staff after two interrupted sends
};

StoreSnapshot readStore(const std::string& databasePath);

// Figures of one or more trials (all counts are of mails or letters).
struct Tally {
    long mails = 0;
    long cases = 0;
    long lost = 0;                         // appended, and no case opened from it
    long duplicateCases = 0;               // cases beyond the first for one mail
    long letters = 0;                      // acknowledgements received by the SMTP server
    long duplicateLetters = 0;             // letters beyond the first to one complainant
    long resent = 0;                       // of those: the same letter (same Message-ID) delivered again
    long sentThrice = 0;                   // letters delivered three times or more: always a failure
    long unacknowledged = 0;               // a case, but no letter received
    long heldInterrupted = 0;              // letters held for staff after two interrupted sends
    std::vector<std::string> resentCases;  // case numbers whose letter was delivered again
    std::vector<std::string> problems;

    Tally& operator+=(const Tally& other);
};

// `complaints` were appended to INBOX; every one must have exactly one case and one letter,
// INBOX must be empty and nothing left pending or queued.
Tally checkTrial(const std::vector<Complaint>& complaints, const StoreSnapshot& store,
                 const std::vector<Letter>& letters, std::size_t inboxLeft, std::size_t processed);

// Number of letters per recipient address (lower case).
std::map<std::string, int> lettersPerRecipient(const std::vector<Letter>& letters);

}  // namespace complaintd::fault
