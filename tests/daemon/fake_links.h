// Fakes of what the service talks to beyond the database (daemon/service.h, ServiceLinks): a
// mailbox that hands out messages until they are acknowledged, and a mail sender that records
// letters. The store stays real SQLite: fake the network, not the database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "curl_session.h"
#include "daemon/outbox.h"
#include "daemon/sources.h"

namespace complaintd::daemon {

// A mailbox of raw messages. Each stays until a batch holding it is acknowledged, and keeps its
// UID, so that one offered again after a failure is found known by the store.
class FakeSource final : public MessageSource {
public:
    explicit FakeSource(std::string name) : name_(std::move(name)) {}

    void deliver(const std::string& raw) { waiting.push_back({++lastUid_, raw}); }

    std::string name() const override { return name_; }
    void begin(center::Store&) override {
        ++rounds;
        if (failBegin) throw Error(name_ + ": server down (fake)");
        next_ = 0;
    }
    std::optional<FetchedBatch> fetch(center::Store&, const center::Clock& clock) override {
        if (next_ >= waiting.size()) return std::nullopt;
        if (failFetchAfter && fetches_++ >= *failFetchAfter) throw Error(name_ + ": connection lost (fake)");
        FetchedBatch batch;
        for (; next_ < waiting.size() && batch.messages.size() < batchSize; ++next_) {
            const auto& [uid, raw] = waiting[next_];
            batch.messages.push_back(
                {{"imap", "fake://" + name_, 1, uid}, raw, "", cases::Channel::Email, clock.now()});
        }
        return batch;
    }
    void acknowledge(center::Store& store, const FetchedBatch& batch,
                     const std::vector<center::StoreOutcome>& outcomes) override {
        if (onAcknowledge) onAcknowledge(store, batch, outcomes);
        waiting.erase(waiting.begin(), waiting.begin() + long(batch.messages.size()));
        next_ -= batch.messages.size();
        acknowledged += int(batch.messages.size());
    }
    void end(center::Store&, bool completed) override { ends.push_back(completed); }

    std::vector<std::pair<unsigned long, std::string>> waiting;  // UID and raw message
    std::size_t batchSize = 1;
    bool failBegin = false;
    std::optional<int> failFetchAfter;  // batches fetched before each further fetch fails
    std::function<void(center::Store&, const FetchedBatch&, const std::vector<center::StoreOutcome>&)> onAcknowledge;
    int rounds = 0;
    int acknowledged = 0;
    std::vector<bool> ends;  // the `completed` of each end()

private:
    std::string name_;
    unsigned long lastUid_ = 0;
    std::size_t next_ = 0;
    int fetches_ = 0;
};

// Sends by recording the recipient; a recipient in `failures` gets that error instead.
class FakeMailSender final : public MailSender {
public:
    void send(const center::OutboxItem& letter) override {
        if (const auto f = failures.find(letter.recipient); f != failures.end()) throw f->second;
        if (lastByte_) lastByte_();
        sent.push_back(letter);
    }
    std::map<std::string, TransferError> failures;
    std::vector<center::OutboxItem> sent;
};

}  // namespace complaintd::daemon
