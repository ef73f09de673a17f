#include "daemon/logging.h"
#include "daemon/sources.h"
#include "imap_client.h"
#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

class ImapSource final : public MessageSource {
public:
    ImapSource(std::string name, const Settings& s, const std::string& folder, cases::Channel channel)
        : name_(std::move(name)),
          account_(s.imap),
          folder_(folder),
          processedFolder_(s.imapProcessedFolder),
          channel_(channel) {}

    std::string name() const override { return name_; }

    CollectReport collect(Store& store, const Clock& clock, const std::atomic<bool>& stopping) override {
        // A fresh connection each cycle: a server restart between cycles costs nothing.
        ImapClient client(account_);
        client.ensureFolder(processedFolder_);
        const auto mailbox = client.mailboxIdentity(folder_);
        const auto uidValidity = checkUidValidity(client, store, mailbox);
        CollectReport report;
        for (const auto uid : client.allUids(folder_)) {
            if (stopping) break;
            collectOne(client, store, clock, {"imap", mailbox, uidValidity, uid}, report);
        }
        return report;
    }

private:
    unsigned long checkUidValidity(ImapClient& client, Store& store, const std::string& mailbox) {
        const auto current = client.uidValidity(folder_);
        const auto known = store.uidValidity("imap", mailbox);
        if (known && *known != current)
            log_->warn(
                "{}: UIDVALIDITY changed from {} to {}; Message-ID and content hash keep "
                "re-fetched mail from opening new cases",
                mailbox, *known, current);
        if (!known || *known != current) store.rememberUidValidity("imap", mailbox, current);
        return current;
    }

    void collectOne(ImapClient& client, Store& store, const Clock& clock, const MessageOrigin& origin,
                    CollectReport& report) {
        const auto uid = *origin.uid;
        if (store.isKnown(origin)) {
            // Stored in an earlier cycle that did not get to move it.
            ++report.duplicates;
            log_->info("uid={} already stored, moving it", uid);
        } else {
            IncomingMessage message{origin, client.fetch(folder_, *origin.uidValidity, uid), "", channel_, clock.now()};
            message.messageId = parsers::messageIdOf(message.raw);
            const auto outcome = store.storeIncoming(message);
            if (outcome == StoreOutcome::Stored) {
                ++report.stored;
                log_->info("uid={} bytes={} stored", uid, message.raw.size());
            } else {
                ++report.duplicates;
                log_->info("uid={} duplicate of a stored message (same Message-ID or content)", uid);
            }
        }
        // Committed: only now is the message marked and moved on the server.
        client.markSeen(folder_, uid);
        client.move(folder_, uid, processedFolder_);
    }

    std::string name_;
    ServerAccount account_;
    std::string folder_;
    std::string processedFolder_;
    cases::Channel channel_;
    std::shared_ptr<spdlog::logger> log_ = moduleLogger("imap");
};

}  // namespace

std::unique_ptr<MessageSource> makeImapSource(const std::string& name, const Settings& settings,
                                              const std::string& folder, cases::Channel channel) {
    return std::make_unique<ImapSource>(name, settings, folder, channel);
}

std::vector<std::unique_ptr<MessageSource>> makeSources(const Settings& s) {
    std::vector<std::unique_ptr<MessageSource>> sources;
    if (s.dropEnabled)
        sources.push_back(makeDropFolderSource("drop", s.dropDir, s.dropProcessedDir, cases::Channel::Email));
    if (s.faxDropEnabled)
        sources.push_back(makeDropFolderSource("fax-drop", s.faxDropDir, s.faxDropProcessedDir, cases::Channel::Fax));
    if (!s.imap.url.empty()) sources.push_back(makeImapSource("imap", s, s.imapFolder, cases::Channel::Email));
    if (!s.imap.url.empty() && !s.faxImapFolder.empty())
        sources.push_back(makeImapSource("fax-imap", s, s.faxImapFolder, cases::Channel::Fax));
    return sources;
}

}  // namespace complaintd::daemon
