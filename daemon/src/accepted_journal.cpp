#include "accepted_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cases/error.h"

namespace complaintd::daemon {
namespace {

constexpr off_t kReserved = 64 * 1024;  // about 800 lines; a stalled store adds one per cycle

void syncFolderOf(const std::string& path) {
    const auto folder = std::filesystem::path(path).parent_path();
    const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // the entry reaches the disk with the next sync of the folder
    (void)::fsync(fd);
    ::close(fd);
}

}  // namespace

AcceptedJournal::AcceptedJournal(std::string path) : path_(std::move(path)) {}

AcceptedJournal::~AcceptedJournal() {
    if (fd_ >= 0) ::close(fd_);
}

int AcceptedJournal::descriptor() {
    if (fd_ >= 0) return fd_;
    struct stat before {};
    const bool existed = ::lstat(path_.c_str(), &before) == 0;
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd_ < 0) throw Error("cannot open the journal of accepted letters " + path_ + ": " + std::strerror(errno));
    (void)::fallocate(fd_, FALLOC_FL_KEEP_SIZE, 0, kReserved);  // best effort: not every filesystem can
    if (!existed) syncFolderOf(path_);
    return fd_;
}

std::vector<AcceptedJournal::Entry> AcceptedJournal::entries() const {
    std::vector<Entry> list;
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return list;
        throw Error("cannot read the journal of accepted letters " + path_ + ": " + std::strerror(errno));
    }
    std::stringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    std::size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start)) {
        const std::string line = text.substr(start, end - start);
        std::istringstream words(line);
        std::string id, messageId, mark;
        if (!(words >> id >> messageId)) continue;
        words >> mark;
        try {
            list.push_back({std::stoll(id), messageId,
                            mark == "sending"       ? Mark::Sending
                            : mark == "interrupted" ? Mark::Interrupted
                                                    : Mark::Accepted});
        } catch (const std::exception&) {
            // Not a line this code wrote: nothing to reconcile.
        }
    }
    return list;
}

void AcceptedJournal::append(const Entry& entry) {
    const int fd = descriptor();
    const char* mark = entry.mark == Mark::Sending ? " sending" : entry.mark == Mark::Interrupted ? " interrupted" : "";
    std::string line = std::to_string(entry.outboxId) + " " + entry.messageId + mark + "\n";
    // A line a crash cut short must not swallow this one.
    if (const off_t size = ::lseek(fd, 0, SEEK_END); size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, size - 1) == 1 && last != '\n') line.insert(0, "\n");
    }
    std::size_t written = 0;
    while (written < line.size()) {
        const auto n = ::write(fd, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("cannot write the journal of accepted letters " + path_ + ": " + std::strerror(errno));
        written += std::size_t(n);
    }
    if (::fdatasync(fd) != 0)
        throw Error("cannot sync the journal of accepted letters " + path_ + ": " + std::strerror(errno));
}

void AcceptedJournal::rewrite(const std::vector<Entry>& keep) {
    const int fd = descriptor();
    if (::ftruncate(fd, 0) != 0 || ::fdatasync(fd) != 0)
        throw Error("cannot empty the journal of accepted letters " + path_ + ": " + std::strerror(errno));
    (void)::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, kReserved);  // truncating gave the space back
    for (const auto& entry : keep) append(entry);
}

}  // namespace complaintd::daemon
