// The drop folder: a local folder where *.eml files are put by hand, by a
// test, or (later) by a fax gateway. Writers should write under another name
// and rename into *.eml, so that a half-written file is never read.
#include <algorithm>
#include <filesystem>

#include "daemon/file_contents.h"
#include "daemon/logging.h"
#include "daemon/sources.h"
#include "parsers/header_scan.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

std::string readWholeFile(const fs::path& path) {
    auto content = fileContents(path.string());
    if (!content) throw Error("cannot read " + path.string());
    return std::move(*content);
}

// A name in `dir` that is not taken yet, keeping the original name where possible.
fs::path freeName(const fs::path& dir, const fs::path& name) {
    fs::path target = dir / name;
    for (int i = 1; fs::exists(target); ++i)
        target = dir / (name.stem().string() + "." + std::to_string(i) + name.extension().string());
    return target;
}

class DropFolderSource final : public MessageSource {
public:
    DropFolderSource(std::string name, const std::string& dir, const std::string& processedDir, cases::Channel channel)
        : name_(std::move(name)), dir_(dir), processedDir_(processedDir), channel_(channel) {}

    std::string name() const override { return name_; }

    CollectReport collect(Store& store, const Clock& clock, const std::atomic<bool>& stopping,
                          const AfterStored& afterStored) override {
        fs::create_directories(dir_);
        fs::create_directories(processedDir_);
        CollectReport report;
        for (const auto& path : pendingFiles()) {
            if (stopping) break;
            collectOne(path, store, clock, afterStored, report);
        }
        return report;
    }

private:
    std::vector<fs::path> pendingFiles() const {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir_)) {
            const auto name = entry.path().filename().string();
            if (entry.is_regular_file() && entry.path().extension() == ".eml" && !name.starts_with("."))
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());  // oldest names first, as gateways number them
        return files;
    }

    void collectOne(const fs::path& path, Store& store, const Clock& clock, const AfterStored& afterStored,
                    CollectReport& report) {
        IncomingMessage message;
        message.origin = {"drop", fs::absolute(dir_).lexically_normal().string(), std::nullopt, std::nullopt};
        message.channel = channel_;
        message.raw = readWholeFile(path);
        message.messageId = parsers::messageIdOf(message.raw);
        message.receivedAt = clock.now();
        const auto outcome = store.storeIncoming(message);
        const auto bytes = message.raw.size();
        std::string().swap(message.raw);  // the store has it now; intake reads it from there
        afterStored();
        // Committed: only now may the file leave the drop folder.
        fs::rename(path, freeName(processedDir_, path.filename()));
        auto log = moduleLogger(name_);
        if (outcome == StoreOutcome::Stored) {
            ++report.stored;
            log->info("file={} bytes={} stored", path.filename().string(), bytes);
        } else {
            ++report.duplicates;
            log->info("file={} duplicate, moved aside", path.filename().string());
        }
    }

    std::string name_;
    fs::path dir_;
    fs::path processedDir_;
    cases::Channel channel_;
};

}  // namespace

std::unique_ptr<MessageSource> makeDropFolderSource(const std::string& name, const std::string& dir,
                                                    const std::string& processedDir, cases::Channel channel) {
    return std::make_unique<DropFolderSource>(name, dir, processedDir, channel);
}

}  // namespace complaintd::daemon
