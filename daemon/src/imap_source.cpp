#include "daemon/logging.h"
#include "daemon/sources.h"
#include "imap_client.h"
#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

class ImapSource final : public MessageSource {
public:
    ImapSource(std::string name, const Settings& s, const std::string& folder, cases::Channel channel,
               Progress progress)
        : name_(std::move(name)),
          account_(s.imap),
          folder_(folder),
          processedFolder_(s.imapProcessedFolder),
          channel_(channel),
          progress_(std::move(progress)) {}

    std::string name() const override { return name_; }

    CollectReport collect(Store& store, const Clock& clock, const std::atomic<bool>& stopping,
                          const AfterStored& afterStored) override {
        // A fresh connection each cycle: a server restart between cycles costs nothing.
        ImapClient client(account_, progress_);
        client.ensureFolder(processedFolder_);
        const auto selected = client.select(folder_);
        const auto mailbox = client.mailboxIdentity(folder_);
        checkUidValidity(store, mailbox, selected.uidValidity);
        CollectReport report;
        if (selected.exists == 0) return report;
        const auto messages = client.listMessages();
        for (std::size_t first = 0; first < messages.size() && !stopping;) {
            const auto end = batchEnd(messages, first);
            std::vector<unsigned long> uids;
            for (auto i = first; i < end; ++i) uids.push_back(messages[i].uid);
            collectBatch(client, store, clock, {"imap", mailbox, selected.uidValidity, std::nullopt}, uids, afterStored,
                         report);
            first = end;
        }
        return report;
    }

private:
    // Up to 200 messages or 8 MB a batch (at least one message): few round trips and
    // commits, bounded memory.
    static std::size_t batchEnd(const std::vector<MessageSize>& messages, std::size_t first) {
        constexpr std::size_t kMessages = 200, kBytes = 8 << 20;
        std::size_t end = first, bytes = 0;
        while (end < messages.size() && end - first < kMessages &&
               (end == first || bytes + messages[end].bytes <= kBytes))
            bytes += messages[end++].bytes;
        return end;
    }

    void checkUidValidity(Store& store, const std::string& mailbox, unsigned long current) {
        const auto known = store.uidValidity("imap", mailbox);
        if (known && *known != current)
            log_->warn(
                "{}: UIDVALIDITY changed from {} to {}; Message-ID and content hash keep "
                "re-fetched mail from opening new cases",
                mailbox, *known, current);
        if (!known || *known != current) store.rememberUidValidity("imap", mailbox, current);
    }

    void collectBatch(ImapClient& client, Store& store, const Clock& clock, MessageOrigin origin,
                      const std::vector<unsigned long>& uids, const AfterStored& afterStored, CollectReport& report) {
        std::vector<unsigned long> done, wanted;
        for (const auto uid : uids) {
            origin.uid = uid;
            // Stored in an earlier cycle that did not get to move it.
            (store.isKnown(origin) ? done : wanted).push_back(uid);
        }
        report.duplicates += int(done.size());
        if (!done.empty()) log_->info("{} message(s) already stored, moving them", done.size());
        std::vector<IncomingMessage> batch;
        for (auto& fetched : client.fetch(wanted)) {
            origin.uid = fetched.uid;
            batch.push_back({origin, std::move(fetched.raw), "", channel_, clock.now()});
            batch.back().messageId = parsers::messageIdOf(batch.back().raw);
        }
        const auto outcomes = store.storeIncoming(batch);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const bool stored = outcomes[i] == StoreOutcome::Stored;
            ++(stored ? report.stored : report.duplicates);
            log_->info("uid={} bytes={} {}", *batch[i].origin.uid, batch[i].raw.size(),
                       stored ? "stored" : "duplicate of a stored message (same Message-ID or content)");
            done.push_back(*batch[i].origin.uid);
        }
        batch.clear();
        // Committed and turned into cases: only now are the messages marked and moved on the server.
        afterStored();
        client.markSeenAndMove(done, processedFolder_);
    }

    std::string name_;
    ServerAccount account_;
    std::string folder_;
    std::string processedFolder_;
    cases::Channel channel_;
    Progress progress_;
    std::shared_ptr<spdlog::logger> log_ = moduleLogger("imap");
};

}  // namespace

std::unique_ptr<MessageSource> makeImapSource(const std::string& name, const Settings& settings,
                                              const std::string& folder, cases::Channel channel, Progress progress) {
    return std::make_unique<ImapSource>(name, settings, folder, channel, std::move(progress));
}

std::vector<std::unique_ptr<MessageSource>> makeSources(const Settings& s, const Progress& progress) {
    std::vector<std::unique_ptr<MessageSource>> sources;
    if (s.dropEnabled)
        sources.push_back(makeDropFolderSource("drop", s.dropDir, s.dropProcessedDir, cases::Channel::Email,
                                               s.limits.maxMessageBytes));
    if (s.faxDropEnabled)
        sources.push_back(makeDropFolderSource("fax-drop", s.faxDropDir, s.faxDropProcessedDir, cases::Channel::Fax,
                                               s.limits.maxMessageBytes));
    if (!s.imap.url.empty())
        sources.push_back(makeImapSource("imap", s, s.imapFolder, cases::Channel::Email, progress));
    if (!s.imap.url.empty() && !s.faxImapFolder.empty())
        sources.push_back(makeImapSource("fax-imap", s, s.faxImapFolder, cases::Channel::Fax, progress));
    return sources;
}

}  // namespace complaintd::daemon
