#include "trial_check.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace complaintd::fault {
namespace {

using namespace Poco::Data::Keywords;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

int countOf(Poco::Data::Session& session, const std::string& sql) {
    int count = 0;
    session << sql, into(count), now;
    return count;
}

// A complaint's token, as its subject carries it ("（查詢碼 TOKEN）"): a number that is a
// prefix of another never matches.
bool carries(const std::string& subject, const Complaint& complaint) {
    return subject.find("查詢碼 " + complaint.token + "）") != std::string::npos;
}

// The letters to one complainant: each must carry the number of the complaint's case. Several:
// the same letter delivered again (at-least-once sending: a fault after the server's 250 and
// before the commit that marks it sent) or different letters (a duplicate acknowledgement).
void checkLetters(const std::vector<const Letter*>& letters, const Complaint& complaint,
                  const std::set<std::string>& numbers, Tally& tally) {
    std::map<std::string, int> byId;
    for (const auto* letter : letters) {
        ++byId[letter->messageId];
        if (!numbers.empty() && !numbers.count(letter->caseNumber))
            tally.problems.push_back("letter to " + complaint.address + " carries case \"" + letter->caseNumber +
                                     "\", not its own");
    }
    const auto number = letters.empty() ? std::string() : letters.front()->caseNumber;
    for (const auto& [id, count] : byId) {
        tally.duplicateLetters += count - 1;
        tally.resent += count - 1;
        if (count > 1) tally.resentCases.push_back(number);
        // Once more after a fault is at-least-once sending; a third time is a letter sent again and again.
        if (count > 2) {
            ++tally.sentThrice;
            tally.problems.push_back("a letter to " + complaint.address + " (case " + number + ") delivered " +
                                     std::to_string(count) + " times");
        }
    }
    if (byId.size() > 1) {
        tally.duplicateLetters += long(byId.size()) - 1;
        tally.problems.push_back(std::to_string(byId.size()) + " different letters to " + complaint.address +
                                 " (case " + number + ")");
    }
}

}  // namespace

StoreSnapshot readStore(const std::string& databasePath) {
    StoreSnapshot snapshot;
    if (!std::filesystem::exists(databasePath)) return snapshot;
    snapshot.exists = true;
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", databasePath);
    session << "PRAGMA busy_timeout = 10000", now;
    std::vector<Poco::Tuple<std::string, std::string, Poco::Nullable<std::string>>> cases;
    session << "SELECT c.number, c.subject, m.message_id FROM cases c LEFT JOIN messages m ON m.id = c.message_row "
               "ORDER BY c.id",
        into(cases), now;
    for (const auto& row : cases)
        snapshot.cases.push_back({row.get<0>(), row.get<1>(), row.get<2>().isNull() ? "" : row.get<2>().value()});
    std::vector<Poco::Nullable<std::string>> ids;
    session << "SELECT message_id FROM messages", into(ids), now;
    for (const auto& id : ids)
        if (!id.isNull()) snapshot.messageIds.insert(id.value());
    snapshot.pending = countOf(session, "SELECT count(*) FROM messages WHERE state = 'new'");
    snapshot.quarantined = countOf(session, "SELECT count(*) FROM messages WHERE state = 'quarantined'");
    snapshot.automated = countOf(session, "SELECT count(*) FROM messages WHERE reason LIKE 'automated:%'");
    snapshot.followUps = countOf(session, "SELECT count(*) FROM case_messages WHERE kind = 'follow-up'");
    snapshot.outboxQueued = countOf(session, "SELECT count(*) FROM outbox WHERE state = 'queued'");
    snapshot.outboxSent = countOf(session, "SELECT count(*) FROM outbox WHERE state = 'sent'");
    snapshot.outboxFailed = countOf(session, "SELECT count(*) FROM outbox WHERE state = 'failed'");
    snapshot.outboxHeldInterrupted = countOf(
        session, "SELECT count(*) FROM outbox WHERE state = 'held' AND held_reason LIKE 'sending interrupted%'");
    return snapshot;
}

Tally& Tally::operator+=(const Tally& other) {
    mails += other.mails;
    cases += other.cases;
    lost += other.lost;
    duplicateCases += other.duplicateCases;
    letters += other.letters;
    duplicateLetters += other.duplicateLetters;
    resent += other.resent;
    sentThrice += other.sentThrice;
    resentCases.insert(resentCases.end(), other.resentCases.begin(), other.resentCases.end());
    unacknowledged += other.unacknowledged;
    heldInterrupted += other.heldInterrupted;
    problems.insert(problems.end(), other.problems.begin(), other.problems.end());
    return *this;
}

std::map<std::string, int> lettersPerRecipient(const std::vector<Letter>& letters) {
    std::map<std::string, int> counts;
    for (const auto& letter : letters) ++counts[lower(letter.recipient)];
    return counts;
}

Tally checkTrial(const std::vector<Complaint>& complaints, const StoreSnapshot& store,
                 const std::vector<Letter>& letters, std::size_t inboxLeft, std::size_t processed) {
    Tally tally;
    tally.mails = long(complaints.size());
    tally.cases = long(store.cases.size());
    tally.letters = long(letters.size());
    tally.heldInterrupted = store.outboxHeldInterrupted;
    std::map<std::string, std::vector<const Letter*>> perRecipient;
    for (const auto& letter : letters) perRecipient[lower(letter.recipient)].push_back(&letter);
    for (const auto& complaint : complaints) {
        // A case belongs to the complaint by its Message-ID or by the token in its subject.
        std::set<std::string> numbers;
        for (const auto& c : store.cases)
            if (c.messageId == complaint.messageId || carries(c.subject, complaint)) numbers.insert(c.number);
        if (numbers.empty()) {
            ++tally.lost;
            tally.problems.push_back("lost: " + complaint.messageId +
                                     (store.messageIds.count(complaint.messageId) ? " (stored, no case)" : ""));
        }
        if (numbers.size() > 1) {
            tally.duplicateCases += long(numbers.size() - 1);
            tally.problems.push_back("duplicate cases for " + complaint.messageId);
        }
        const auto mine = perRecipient.extract(lower(complaint.address));
        if (mine.empty() && !numbers.empty()) ++tally.unacknowledged;
        if (!mine.empty()) checkLetters(mine.mapped(), complaint, numbers, tally);
    }
    for (const auto& [recipient, rest] : perRecipient)
        tally.problems.push_back(std::to_string(rest.size()) + " letter(s) to an unknown recipient " + recipient);
    if (store.cases.size() != complaints.size())
        tally.problems.push_back(std::to_string(store.cases.size()) + " cases for " +
                                 std::to_string(complaints.size()) + " mails");
    if (tally.unacknowledged)
        tally.problems.push_back(std::to_string(tally.unacknowledged) + " case(s) not acknowledged");
    if (inboxLeft) tally.problems.push_back(std::to_string(inboxLeft) + " mail(s) left in INBOX");
    if (processed < complaints.size())
        tally.problems.push_back("Processed holds " + std::to_string(processed) + " of " +
                                 std::to_string(complaints.size()));
    if (processed > complaints.size())
        tally.problems.push_back("Processed holds " + std::to_string(processed) + " for " +
                                 std::to_string(complaints.size()) + " mails (copies)");
    if (store.pending) tally.problems.push_back(std::to_string(store.pending) + " stored message(s) still pending");
    if (store.quarantined) tally.problems.push_back(std::to_string(store.quarantined) + " message(s) quarantined");
    if (store.outboxQueued || store.outboxFailed)
        tally.problems.push_back("outbox: " + std::to_string(store.outboxQueued) + " queued, " +
                                 std::to_string(store.outboxFailed) + " failed");
    return tally;
}

}  // namespace complaintd::fault
