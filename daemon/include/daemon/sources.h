// Where complaints come from. A source only fetches and acknowledges: it hands the service
// a batch of messages, and marks or moves their originals once the service has stored them,
// committed and opened their cases (Service::takeMailFrom, the one place of that order, the
// Postfix one). A crash in between only means the messages are seen again and found known.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "center/clock.h"
#include "center/settings.h"
#include "center/store.h"
#include "daemon/heartbeat.h"

namespace complaintd::daemon {

struct CollectReport {
    int stored = 0;      // new messages committed to the store
    int duplicates = 0;  // already known (same mailbox UID, Message-ID or content)
};

// A batch a source took: the messages to store, and how many more it found stored already (an
// earlier round stored them and did not get to move them); those are acknowledged with the batch.
struct FetchedBatch {
    std::vector<center::IncomingMessage> messages;
    int alreadyStored = 0;
};

class MessageSource {
public:
    virtual ~MessageSource() = default;
    virtual std::string name() const = 0;
    // Starts a round: a fresh connection (a server restart between cycles costs nothing), the
    // messages listed. Throws on a failure of the source (server down, folder unreadable).
    virtual void begin(center::Store& store) = 0;
    // The next batch, nullopt when the round has nothing more. The store is read to skip what it
    // holds (mailbox UIDs, UIDVALIDITY), never written with the messages.
    virtual std::optional<FetchedBatch> fetch(center::Store& store, const center::Clock& clock) = 0;
    // The batch is committed and its cases opened: the originals are marked or moved. `outcomes`
    // are the store's, in the order of batch.messages; their raw bytes are gone (freed once stored).
    virtual void acknowledge(center::Store& store, const FetchedBatch& batch,
                             const std::vector<center::StoreOutcome>& outcomes) = 0;
    // The round is over, `completed` or cut short by a failure: the connection is closed, and what a
    // completed round left is tidied up (IMAP: copies expunged on a server without UIDPLUS).
    virtual void end(center::Store& store, bool completed) = 0;
};

// *.eml files in a folder (any case), moved to the processed folder once stored. `name` names
// the source in logs and status ("drop", "fax-drop"); `channel` is what its messages are.
// Links, FIFOs, devices, hard-linked and oversized files (over `maxMessageBytes`) are never
// read: they go to DIR/rejected, counted as drop_files_rejected.
std::unique_ptr<MessageSource> makeDropFolderSource(const std::string& name, const std::string& dir,
                                                    const std::string& processedDir, cases::Channel channel,
                                                    std::size_t maxMessageBytes);

// An IMAP folder, read by UID with UIDVALIDITY remembered, in batches (one UID FETCH,
// one transaction, one UID MOVE per batch); messages are set \Seen and moved to the
// processed folder once stored. `progress` is called as bytes arrive from the server.
std::unique_ptr<MessageSource> makeImapSource(const std::string& name, const center::Settings& settings,
                                              const std::string& folder, cases::Channel channel,
                                              Progress progress = {});

// Every source the settings enable: drop folders and IMAP folders, for e-mail and fax. A drop
// folder's progress shows in intake, which takes each file as it is stored.
std::vector<std::unique_ptr<MessageSource>> makeSources(const center::Settings& settings,
                                                        const Progress& progress = {});

}  // namespace complaintd::daemon
