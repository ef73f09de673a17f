// Where complaints come from. Each source stores new messages in the Store,
// commits, lets the service open their cases (AfterStored), and only then
// marks or moves the originals (the Postfix order), so a crash in between
// only means the messages are seen again and found known.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
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

// Called after a batch of messages was committed and before the originals are marked or
// moved: the service turns them into cases here.
using AfterStored = std::function<void()>;

class MessageSource {
public:
    virtual ~MessageSource() = default;
    virtual std::string name() const = 0;
    // Stores every new message, calls `afterStored`, then marks or moves it. Stops early
    // when `stopping` turns true. Throws on a failure of the source (server down).
    virtual CollectReport collect(center::Store& store, const center::Clock& clock, const std::atomic<bool>& stopping,
                                  const AfterStored& afterStored) = 0;
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
