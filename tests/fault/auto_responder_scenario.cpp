// An auto-responder peer: every letter complaintd sends is answered at once, by a thread that
// watches the SMTP server and APPENDs the answer to INBOX. Three kinds of peer, in turn:
//   A  a proper auto-reply: Auto-Submitted: auto-replied, "自動回覆: <subject>", In-Reply-To;
//   B  a dumb responder: no such headers, same From address, "Re: <subject>" (the case tag);
//   C  a dumber one: no such headers, a subject of its own, no reference to our letter.
// The exchange must stop after one round: one letter per complaint, and no case opened from
// the answers of A and B. C's answer cannot be told from a new complaint: it opens a case (a
// figure, not a failure), and the daily letter limit keeps it from being answered.
#include <atomic>
#include <csignal>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "parsers/header_scan.h"
#include "parsers/mime_parser.h"
#include "scenarios.h"
#include "test_mail.h"

namespace complaintd::fault {
namespace {

enum class Peer { A, B, C };

class Responder {
public:
    Responder(const MailRoom& room, std::map<std::string, Peer> peers)
        : room_(room), peers_(std::move(peers)), thread_([this] { loop(); }) {}
    ~Responder() { stop(); }

    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    int replies(Peer peer) const {
        std::lock_guard lock(mutex_);
        return counts_.count(peer) ? counts_.at(peer) : 0;
    }
    int replies() const { return replies(Peer::A) + replies(Peer::B) + replies(Peer::C); }
    std::set<std::string> replyIds(Peer peer) const {
        std::lock_guard lock(mutex_);
        return ids_.count(peer) ? ids_.at(peer) : std::set<std::string>{};
    }
    bool isPeer(const std::string& address) const { return peers_.count(address) > 0; }
    // The letters to the peers: the complainants' (not the notices to the center's units).
    std::vector<Letter> lettersToPeers(const MailRoom& room) const {
        auto letters = room.letters();
        std::erase_if(letters, [&](const Letter& l) { return !isPeer(l.recipient); });
        return letters;
    }
    std::string error() const {
        std::lock_guard lock(mutex_);
        return error_;
    }

private:
    void loop() {
        while (!stopping_) {
            try {
                for (const auto& mail : room_.smtp().complainantMails()) {
                    const auto id = parsers::messageIdOf(mail.data);
                    if (answered_.insert(id).second) answer(mail, id);
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex_);
                error_ = e.what();
            }
            std::this_thread::sleep_for(100ms);
        }
    }

    void answer(const testing::ReceivedMail& mail, const std::string& letterId) {
        if (mail.rcptTo.empty()) return;
        const auto peer = peers_.find(mail.rcptTo.front());
        if (peer == peers_.end()) return;
        const auto result = parsers::parseMessage(mail.data);
        const auto* letter = std::get_if<parsers::ParsedMessage>(&result);
        const auto subject = letter ? letter->subject : std::string();
        const auto& from = peer->first;
        const auto replyId = "reply-" + std::to_string(++sequence_) + "-" + from;
        std::string raw;
        switch (peer->second) {
            case Peer::A:
                raw = testing::utf8Mail(replyId, "自動回覆: " + subject, "我目前休假中，將於下週回覆。", from,
                                        "In-Reply-To: <" + letterId + ">\r\nAuto-Submitted: auto-replied\r\n");
                break;
            case Peer::B:
                raw = testing::utf8Mail(replyId, "Re: " + subject, "您好，來信已收到，謝謝。", from);
                break;
            case Peer::C:
                raw = testing::utf8Mail(replyId, "感謝來信", "本信箱僅供發信，請勿直接回覆。", from);
                break;
        }
        room_.imap().append("INBOX", raw);
        std::lock_guard lock(mutex_);
        ++counts_[peer->second];
        ids_[peer->second].insert(replyId);
    }

    const MailRoom& room_;
    const std::map<std::string, Peer> peers_;
    std::set<std::string> answered_;
    int sequence_ = 0;
    mutable std::mutex mutex_;
    std::map<Peer, int> counts_;
    std::map<Peer, std::set<std::string>> ids_;
    std::string error_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;  // last: starts after everything it uses
};

int casesOpenedBy(const StoreSnapshot& store, const std::set<std::string>& messageIds) {
    int count = 0;
    for (const auto& c : store.cases) count += int(messageIds.count(c.messageId));
    return count;
}

// Until INBOX is empty, every complaint has its letter, every letter its answer, and nothing
// changed for five seconds (five polls of complaintd).
bool waitUntilQuiet(const MailRoom& room, const Responder& responder, std::size_t complaints) {
    const auto deadline = SteadyClock::now() + 180s;
    std::size_t lastLetters = 0;
    int lastReplies = -1;
    auto quietSince = SteadyClock::now();
    while (SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(250ms);
        const auto letters = responder.lettersToPeers(room).size();
        const auto replies = responder.replies();
        if (letters != lastLetters || replies != lastReplies || room.inboxCount() != 0) {
            lastLetters = letters;
            lastReplies = replies;
            quietSince = SteadyClock::now();
            continue;
        }
        if (letters >= complaints && std::size_t(replies) >= letters && SteadyClock::now() - quietSince > 5s)
            return true;
    }
    return false;
}

// Figures of all trials beyond the table's.
struct Answers {
    long casesFromC = 0;
    long automated = 0;
    long followUps = 0;
};

// One round and no more: at most one letter per peer, no case from A's or B's answers, A's
// recorded as automated and B's as follow-ups; then the usual check of the complaints.
void checkExchange(MailRoom& room, const Responder& responder, const std::vector<Complaint>& complaints,
                   Figures& figures, Answers& answers, const std::string& label) {
    const auto store = readStore(room.databasePath());
    const auto letters = responder.lettersToPeers(room);
    for (const auto& [address, count] : lettersPerRecipient(letters))
        if (count > 1) figures.fail(label + ": " + std::to_string(count) + " letters to the peer " + address);
    for (const auto peer : {Peer::A, Peer::B})
        if (const auto opened = casesOpenedBy(store, responder.replyIds(peer)))
            figures.fail(label + ": " + std::to_string(opened) + " case(s) opened from the answers of " +
                         (peer == Peer::A ? "A" : "B"));
    if (store.automated != responder.replies(Peer::A))
        figures.fail(label + ": " + std::to_string(store.automated) + " message(s) recorded as automated, " +
                     std::to_string(responder.replies(Peer::A)) + " answers from A");
    if (store.followUps != responder.replies(Peer::B))
        figures.fail(label + ": " + std::to_string(store.followUps) + " follow-up(s), " +
                     std::to_string(responder.replies(Peer::B)) + " answers from B");
    const auto fromC = responder.replyIds(Peer::C);
    answers.casesFromC += casesOpenedBy(store, fromC);
    answers.automated += store.automated;
    answers.followUps += store.followUps;
    figures.faults += responder.replies();
    // The cases opened from C's answers are not the complaints': check the complaints' alone.
    auto complaintsOnly = store;
    std::erase_if(complaintsOnly.cases, [&](const CaseRow& c) { return fromC.count(c.messageId) > 0; });
    const auto processed = room.processedCount(), replies = std::size_t(responder.replies());
    const auto tally = checkTrial(complaints, complaintsOnly, letters, room.inboxCount(),
                                  processed > replies ? processed - replies : 0);
    figures.tally += tally;
    for (const auto& problem : tally.problems) figures.fail(label + ": " + problem);
}

}  // namespace

Figures runAutoResponderScenario(const Options& options) {
    Figures figures("auto-responder", "auto-replies");
    const auto started = SteadyClock::now();
    Answers answers;
    for (int trial = 0; trial < options.trials; ++trial) {
        const auto label = "auto-responder trial " + std::to_string(trial);
        guardedTrial(figures, label, [&] {
            const auto failuresBefore = figures.failures.size();
            MailRoom room(options);
            const auto complaints = makeComplaints(trialPrefix(options.seed, "a", trial), options.mails);
            std::map<std::string, Peer> peers;
            for (std::size_t i = 0; i < complaints.size(); ++i) peers[complaints[i].address] = Peer(i % 3);
            Responder responder(room, peers);
            room.append(complaints);
            auto daemon = room.startDaemon();
            const bool quiet = waitUntilQuiet(room, responder, complaints.size());
            daemon->signal(SIGTERM);
            const auto exit = daemon->waitFor(30s);
            responder.stop();
            daemon.reset();
            if (!quiet) figures.fail(label + ": the exchange did not come to rest within 180 s");
            if (exit != 0)
                figures.fail(label + ": complaintd exited with " + (exit ? std::to_string(*exit) : "nothing"));
            if (!responder.error().empty()) figures.fail(label + ": responder: " + responder.error());
            checkExchange(room, responder, complaints, figures, answers, label);
            if (figures.failures.size() > failuresBefore) {
                room.keep();
                std::cerr << label << ": kept " << room.path() << "\n";
            }
        });
        if (options.verbose) std::cerr << label << ": " << secondsSince(started) << " s so far\n";
    }
    figures.trials = options.trials;
    figures.notes.push_back("answers of A recorded as automated: " + std::to_string(answers.automated) +
                            "; answers of B attached as follow-ups: " + std::to_string(answers.followUps) +
                            "; cases opened from C's answers (look like new complaints, not answered): " +
                            std::to_string(answers.casesFromC));
    figures.seconds = secondsSince(started);
    return figures;
}

}  // namespace complaintd::fault
