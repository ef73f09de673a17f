#include <algorithm>
#include <map>
#include <memory>

#include "center/logging.h"
#include "daemon/sources.h"
#include "imap_client.h"
#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

class ImapSource final : public MessageSource {
public:
    ImapSource(std::string name, const center::Settings& s, const std::string& folder, cases::Channel channel,
               Progress progress)
        : name_(std::move(name)),
          account_(s.imap),
          folder_(folder),
          processedFolder_(s.imapProcessedFolder),
          channel_(channel),
          progress_(std::move(progress)),
          maxMessageBytes_(s.limits.maxMessageBytes),
          maxHeaderBytes_(s.limits.maxHeaderBytes) {}

    std::string name() const override { return name_; }

    void begin(center::Store& store) override {
        client_.reset();
        messages_.clear();
        next_ = 0;
        // A fresh connection each round: a server restart between cycles costs nothing.
        client_ = std::make_unique<ImapClient>(account_, progress_);
        client_->ensureFolder(processedFolder_);
        const auto selected = client_->select(folder_);
        const auto mailbox = client_->mailboxIdentity(folder_);
        checkUidValidity(store, mailbox, selected.uidValidity);
        origin_ = {"imap", mailbox, selected.uidValidity, std::nullopt};
        if (selected.exists > 0) messages_ = pending(*client_, store, origin_);
    }

    std::optional<FetchedBatch> fetch(center::Store& store, const center::Clock& clock) override {
        if (next_ >= messages_.size()) return std::nullopt;
        const auto end = batchEnd(messages_, next_);
        auto batch =
            fetchBatch(*client_, store, clock,
                       std::vector<MessageSize>(messages_.begin() + long(next_), messages_.begin() + long(end)));
        next_ = end;
        return batch;
    }

    // Committed and turned into cases: only now are the messages marked and moved on the server.
    void acknowledge(center::Store& store, const FetchedBatch& batch,
                     const std::vector<center::StoreOutcome>& outcomes) override {
        for (std::size_t i = 0; i < batch.messages.size(); ++i) {
            const auto uid = *batch.messages[i].origin.uid;
            const bool stored = outcomes.at(i) == center::StoreOutcome::Stored;
            if (stored && !batch.messages[i].quarantineReason.empty()) {
                store.bump(center::Counter::MessagesQuarantined);
                store.bump(center::Counter::ImapMessagesOversized);
                log_->warn("uid={} bytes={} quarantined from its header: over limits.message_bytes={}", uid,
                           sizes_[uid], maxMessageBytes_);
            } else {
                log_->info("uid={} bytes={} {}", uid, sizes_[uid],
                           stored ? "stored" : "duplicate of a stored message (same Message-ID or content)");
            }
            toMove_.push_back(uid);
        }
        client_->markSeenAndMove(toMove_, processedFolder_);
        toMove_.clear();
    }

    void end(center::Store& store, bool completed) override {
        if (completed && client_ && !client_->hasCapability("UIDPLUS")) expungeIfOnlyOurs(*client_, store, origin_);
        client_.reset();
    }

private:
    // The listed messages still to take. A message flagged \Deleted is left alone: one that
    // complaintd has not stored was deleted by another client (never taken, never expunged here);
    // one it has stored was already copied (the flag is set after the COPY, on servers without
    // MOVE) and is not copied again. On a server with MOVE a stored one is moved as before.
    std::vector<MessageSize> pending(ImapClient& client, center::Store& store, center::MessageOrigin origin) {
        std::vector<MessageSize> messages;
        std::vector<unsigned long> copied;
        std::size_t othersDeleted = 0;
        for (const auto& message : client.listMessages()) {
            origin.uid = message.uid;
            if (!message.deleted) {
                messages.push_back(message);
            } else if (!store.isKnown(origin)) {
                ++othersDeleted;
            } else if (client.hasCapability("MOVE")) {
                messages.push_back(message);  // stored, not moved yet: move it
            } else {
                copied.push_back(message.uid);
            }
        }
        if (othersDeleted)
            log_->info("{} message(s) flagged \\Deleted by another client left alone in {}", othersDeleted, folder_);
        // Copied and flagged in an earlier cycle that did not get to UID EXPUNGE them (UIDPLUS).
        client.expungeCopied(copied);
        return messages;
    }

    // Without UIDPLUS only a plain EXPUNGE removes our copied messages, and it removes every
    // \Deleted message in the folder. So it runs only when each of them is one complaintd stored;
    // while another client's \Deleted message is there, ours wait, flagged (and never copied again).
    // Left open: a message another client flags between the UID SEARCH and the EXPUNGE.
    void expungeIfOnlyOurs(ImapClient& client, center::Store& store, center::MessageOrigin origin) {
        const auto deleted = client.deletedUids();
        if (deleted.empty()) return;
        const auto others = std::count_if(deleted.begin(), deleted.end(), [&](unsigned long uid) {
            origin.uid = uid;
            return !store.isKnown(origin);
        });
        if (others == 0) {
            client.expungeAll();
            log_->info("expunged {} copied message(s) from {} (server without UIDPLUS)", deleted.size(), folder_);
            return;
        }
        log_->info(
            "{} copied message(s) stay flagged \\Deleted in {}: {} other message(s) flagged \\Deleted there "
            "are not complaintd's, and the server has no UIDPLUS for a UID EXPUNGE of ours alone",
            deleted.size() - std::size_t(others), folder_, others);
    }

    // Without MOVE, a kill between UID COPY and the \Deleted flag leaves a stored message unflagged
    // here while its copy is already in the processed folder. So before copying a message stored
    // in an earlier cycle and already \Seen (set right before the COPY), look for it there (EXAMINE,
    // UID SEARCH by exact size and Message-ID): one that is there is only flagged. A lookup the
    // server refuses copies as before. Returns the UIDs still to copy (or move).
    std::vector<unsigned long> notCopiedYet(ImapClient& client, const center::MessageOrigin& origin,
                                            const std::vector<MessageSize>& storedBefore,
                                            const std::map<unsigned long, std::size_t>& sizes) {
        std::vector<unsigned long> toCopy, candidates, copied;
        const bool lookFirst = !client.hasCapability("MOVE");
        for (const auto& message : storedBefore)
            (lookFirst && message.seen ? candidates : toCopy).push_back(message.uid);
        if (candidates.empty()) return toCopy;
        std::map<unsigned long, std::string> keys;
        for (const auto& fields : client.fetchHeaderFields(candidates, "MESSAGE-ID"))
            if (const auto size = sizes.find(fields.uid); size != sizes.end())
                if (const auto key = copySearchKey(fields.raw, size->second)) keys[fields.uid] = *key;
        try {
            client.examine(processedFolder_);
            for (const auto uid : candidates) {
                const auto key = keys.find(uid);
                if (key != keys.end() && !client.search(key->second).empty()) copied.push_back(uid);
            }
        } catch (const TransferError& e) {
            log_->warn("looking for copies in {} failed ({}); copying those messages again", processedFolder_,
                       e.what());
            copied.clear();
        }
        for (const auto uid : candidates)
            if (std::find(copied.begin(), copied.end(), uid) == copied.end()) toCopy.push_back(uid);
        if (client.select(folder_).uidValidity != origin.uidValidity.value_or(0))
            throw TransferError("IMAP " + origin.mailbox + ": UIDVALIDITY changed during the cycle", 0, false,
                                TransferError::Scope::Session);
        if (!copied.empty())
            log_->info("{} stored message(s) already copied to {} before an interruption: flagged, not copied again",
                       copied.size(), processedFolder_);
        client.flagCopied(copied);
        return toCopy;
    }

    bool oversized(const MessageSize& message) const { return message.bytes > maxMessageBytes_; }

    // Up to 200 messages or 8 MB a batch (at least one message): few round trips and
    // commits, bounded memory. An oversized message costs only its header.
    std::size_t batchEnd(const std::vector<MessageSize>& messages, std::size_t first) const {
        constexpr std::size_t kMessages = 200, kBytes = 8 << 20;
        std::size_t end = first, bytes = 0;
        const auto cost = [&](const MessageSize& m) { return oversized(m) ? maxHeaderBytes_ : m.bytes; };
        while (end < messages.size() && end - first < kMessages &&
               (end == first || bytes + cost(messages[end]) <= kBytes))
            bytes += cost(messages[end++]);
        return end;
    }

    void checkUidValidity(center::Store& store, const std::string& mailbox, unsigned long current) {
        const auto known = store.uidValidity("imap", mailbox);
        if (known && *known != current)
            log_->warn(
                "{}: UIDVALIDITY changed from {} to {}; Message-ID and content hash keep "
                "re-fetched mail from opening new cases",
                mailbox, *known, current);
        if (!known || *known != current) store.rememberUidValidity("imap", mailbox, current);
    }

    // Over limits.message_bytes: stored from its header alone, straight into the quarantine, and
    // moved with the others; the whole message is never downloaded.
    std::string oversizeReason(std::size_t bytes) const {
        return "message of " + std::to_string(bytes) + " bytes is over limits.message_bytes (" +
               std::to_string(maxMessageBytes_) + "): only its header was fetched; the whole message is in IMAP " +
               "folder " + processedFolder_ + " (find it by its Message-ID)";
    }

    // The batch's new messages, fetched; those stored in an earlier round are only to be moved.
    FetchedBatch fetchBatch(ImapClient& client, center::Store& store, const center::Clock& clock,
                            const std::vector<MessageSize>& messages) {
        std::vector<unsigned long> wanted, headersOnly;
        std::vector<MessageSize> storedBefore;
        auto origin = origin_;
        sizes_.clear();
        for (const auto& message : messages) {
            origin.uid = message.uid;
            sizes_[message.uid] = message.bytes;
            if (store.isKnown(origin))
                storedBefore.push_back(message);  // stored in an earlier cycle that did not get to move it
            else
                (oversized(message) ? headersOnly : wanted).push_back(message.uid);
        }
        FetchedBatch batch;
        batch.alreadyStored = int(storedBefore.size());
        if (!storedBefore.empty()) log_->info("{} message(s) already stored, moving them", storedBefore.size());
        toMove_ = notCopiedYet(client, origin, storedBefore, sizes_);
        const auto add = [&](FetchedMessage& fetched, std::string quarantineReason) {
            origin.uid = fetched.uid;
            batch.messages.push_back(
                {origin, std::move(fetched.raw), "", channel_, clock.now(), std::move(quarantineReason)});
            batch.messages.back().messageId = parsers::messageIdOf(batch.messages.back().raw);
        };
        for (auto& fetched : client.fetch(wanted)) add(fetched, "");
        for (auto& fetched : client.fetchHeaders(headersOnly, maxHeaderBytes_))
            add(fetched, oversizeReason(sizes_[fetched.uid]));
        return batch;
    }

    std::string name_;
    center::ServerAccount account_;
    std::string folder_;
    std::string processedFolder_;
    cases::Channel channel_;
    Progress progress_;
    std::size_t maxMessageBytes_;
    std::size_t maxHeaderBytes_;
    // The round in hand: the connection, the folder as selected, the messages listed, the next to take.
    std::unique_ptr<ImapClient> client_;
    center::MessageOrigin origin_;
    std::vector<MessageSize> messages_;
    std::size_t next_ = 0;
    // The batch in hand: sizes as listed, and the UIDs to mark and move once it is committed.
    std::map<unsigned long, std::size_t> sizes_;
    std::vector<unsigned long> toMove_;
    std::shared_ptr<spdlog::logger> log_ = center::moduleLogger("imap");
};

}  // namespace

std::unique_ptr<MessageSource> makeImapSource(const std::string& name, const center::Settings& settings,
                                              const std::string& folder, cases::Channel channel, Progress progress) {
    return std::make_unique<ImapSource>(name, settings, folder, channel, std::move(progress));
}

std::vector<std::unique_ptr<MessageSource>> makeSources(const center::Settings& s, const Progress& progress) {
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
