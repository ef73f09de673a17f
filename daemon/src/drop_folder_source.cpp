// The drop folder: a local folder where *.eml files are put by hand, by a
// test, or by a fax or scan gateway. Writers should write under another name
// and rename into *.eml, so that a half-written file is never read.
//
// Anyone who can write the folder is not trusted with what the daemon can
// read: entries are listed without following links and each file is read
// through readDropFile (no link, regular, one link, at most
// limits.message_bytes). A refused file is moved to `rejected/` in the drop
// folder (the same filesystem, so that move cannot fail across devices), with
// the reason logged and counted (drop_files_rejected). Each file is handled
// on its own: one that cannot be read or moved never holds up the ones after
// it. Only a failure of the store ends the pass, as it would fail them all.
#include <algorithm>
#include <filesystem>

#include "center/logging.h"
#include "daemon/sources.h"
#include "drop_file.h"
#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

// A name in `dir` that is not taken yet, keeping the original name where possible.
fs::path freeName(const fs::path& dir, const fs::path& name) {
    fs::path target = dir / name;
    for (int i = 1; fs::exists(fs::symlink_status(target)); ++i)
        target = dir / (name.stem().string() + "." + std::to_string(i) + name.extension().string());
    return target;
}

class DropFolderSource final : public MessageSource {
public:
    DropFolderSource(std::string name, const std::string& dir, const std::string& processedDir, cases::Channel channel,
                     std::size_t maxMessageBytes)
        : name_(std::move(name)),
          dir_(dir),
          processedDir_(processedDir),
          rejectedDir_(dir_ / "rejected"),
          channel_(channel),
          maxMessageBytes_(maxMessageBytes) {}

    std::string name() const override { return name_; }

    // processed/ and rejected/ sit in a folder others may write: a link planted in their place
    // would send every file somewhere else. The sticky bit (complaintd.tmpfiles) keeps writers
    // from replacing a folder complaintd made; this catches one planted before.
    static void requireOwnFolder(const fs::path& folder) {
        fs::create_directories(folder);
        if (fs::symlink_status(folder).type() != fs::file_type::directory)
            throw Error(folder.string() +
                        " is a link or a file, not a folder: remove it (whoever can write to the drop "
                        "folder may have planted it); files stay in the drop folder until then");
    }

    void begin(center::Store&) override {
        pending_.clear();
        next_ = 0;
        try {
            fs::create_directories(dir_);
            for (const auto& folder : {processedDir_, rejectedDir_}) requireOwnFolder(folder);
            pending_ = pendingEntries();
        } catch (const fs::filesystem_error& e) {
            // The folder cannot be made or listed: the environment's failure, backed off like a server's.
            throw Error(name_ + ": " + e.what());
        }
    }

    // One file a batch: a file may be as large as limits.message_bytes, and each is its own
    // transaction. A file that cannot be read is logged and left; the next one goes on.
    std::optional<FetchedBatch> fetch(center::Store& store, const center::Clock& clock) override {
        while (next_ < pending_.size()) {
            const auto& entry = pending_[next_++];
            try {
                if (auto message = read(entry, store, clock)) {
                    taken_ = entry.path();
                    takenBytes_ = message->raw.size();
                    FetchedBatch batch;
                    batch.messages.push_back(std::move(*message));
                    return batch;
                }
            } catch (const center::StoreError&) {
                throw;  // the store is down for every file: the service backs the source off
            } catch (const Error& e) {
                notTaken(entry.path(), e);
            } catch (const fs::filesystem_error& e) {
                notTaken(entry.path(), e);
            }
        }
        return std::nullopt;
    }

    // Committed: only now may the file leave the drop folder. Should the move fail, the file is
    // read again next cycle and found known.
    void acknowledge(center::Store&, const FetchedBatch&, const std::vector<center::StoreOutcome>& outcomes) override {
        const auto file = taken_.filename().string();
        if (outcomes.at(0) == center::StoreOutcome::Stored)
            log_->info("file={} bytes={} stored", file, takenBytes_);
        else
            log_->info("file={} duplicate, moved aside", file);
        try {
            fs::rename(taken_, freeName(processedDir_, taken_.filename()));
        } catch (const fs::filesystem_error& e) {
            notTaken(taken_, e);
        }
    }

    void end(center::Store&, bool) override { pending_.clear(); }

private:
    void notTaken(const fs::path& path, const std::exception& e) const {
        log_->error("file={} not taken: {}; the next files go on", path.filename().string(), e.what());
    }

    // Every *.eml entry of any type, as listed: nothing is followed here.
    std::vector<fs::directory_entry> pendingEntries() const {
        std::vector<fs::directory_entry> entries;
        for (const auto& entry : fs::directory_iterator(dir_))
            if (isDropFileName(entry.path().filename().string())) entries.push_back(entry);
        // Oldest names first, as gateways number them.
        std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
        return entries;
    }

    // The file as a message to store; nullopt when it is refused (moved to rejected/).
    std::optional<center::IncomingMessage> read(const fs::directory_entry& entry, center::Store& store,
                                                const center::Clock& clock) {
        const auto& path = entry.path();
        const auto type = entry.symlink_status().type();
        // Only a regular file is even opened (a FIFO or device is not); readDropFile checks again on the
        // descriptor, as the name may have changed since it was listed.
        auto content =
            type == fs::file_type::regular ? readDropFile(path, maxMessageBytes_) : DropFileContent{"", describe(type)};
        if (content.refused()) {
            reject(path, content.refusal, store);
            return std::nullopt;
        }
        center::IncomingMessage message;
        message.origin = {"drop", fs::absolute(dir_).lexically_normal().string(), std::nullopt, std::nullopt};
        message.channel = channel_;
        message.raw = std::move(content.bytes);
        message.messageId = parsers::messageIdOf(message.raw);
        message.receivedAt = clock.now();
        return message;
    }

    static std::string describe(fs::file_type type) {
        switch (type) {
            case fs::file_type::symlink:
                return "a symbolic link";
            case fs::file_type::directory:
                return "a folder";
            case fs::file_type::fifo:
                return "a FIFO";
            case fs::file_type::socket:
                return "a socket";
            case fs::file_type::block:
            case fs::file_type::character:
                return "a device";
            default:
                return "not a regular file";
        }
    }

    // Kept, never deleted: staff can look at it and move it back once it is fixed.
    void reject(const fs::path& path, const std::string& reason, center::Store& store) {
        fs::rename(path, freeName(rejectedDir_, path.filename()));
        log_->warn("file={} refused: {}; moved to {}", path.filename().string(), reason, rejectedDir_.string());
        store.bump(center::Counter::DropFilesRejected);
    }

    std::string name_;
    fs::path dir_;
    fs::path processedDir_;
    fs::path rejectedDir_;
    cases::Channel channel_;
    std::size_t maxMessageBytes_;
    std::vector<fs::directory_entry> pending_;  // this round's files, oldest name first
    std::size_t next_ = 0;
    fs::path taken_;  // the file of the batch in hand
    std::size_t takenBytes_ = 0;
    std::shared_ptr<spdlog::logger> log_ = center::moduleLogger(name_);
};

}  // namespace

std::unique_ptr<MessageSource> makeDropFolderSource(const std::string& name, const std::string& dir,
                                                    const std::string& processedDir, cases::Channel channel,
                                                    std::size_t maxMessageBytes) {
    return std::make_unique<DropFolderSource>(name, dir, processedDir, channel, maxMessageBytes);
}

}  // namespace complaintd::daemon
