#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "cases/error.h"

namespace complaintd::ctl {
namespace {

namespace fs = std::filesystem;

// The directory a path will be created in, resolved through links ("" when it does not exist).
fs::path resolvedParent(const std::string& path) {
    std::error_code error;
    const auto parent = fs::absolute(fs::path(path), error).parent_path();
    const auto resolved = fs::canonical(parent, error);
    return error ? fs::path() : resolved;
}

// `dir` is `own` (resolved) or a folder under it.
bool isOwn(const fs::path& dir, const std::string& own) {
    std::error_code error;
    const auto base = fs::canonical(own, error);
    if (error || base.empty()) return false;
    const auto relative = dir.lexically_relative(base);
    return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

AsInvokingUser::AsInvokingUser() {
    const char* uid = std::getenv("SUDO_UID");
    const char* gid = std::getenv("SUDO_GID");
    if (::geteuid() != 0 || !uid || !gid) return;
    const uid_t u = uid_t(std::strtoul(uid, nullptr, 10));
    const gid_t g = gid_t(std::strtoul(gid, nullptr, 10));
    if (u == 0 || ::setegid(g) != 0) return;
    if (::seteuid(u) != 0) {
        [[maybe_unused]] const int restored = ::setegid(0);
        return;
    }
    switched_ = true;
}

AsInvokingUser::~AsInvokingUser() {
    if (!switched_) return;
    [[maybe_unused]] const int a = ::seteuid(0);
    [[maybe_unused]] const int b = ::setegid(0);
}

bool runsForAnotherUser() {
    const char* uid = std::getenv("SUDO_UID");
    if (!uid || ::geteuid() == 0) return false;
    return uid_t(std::strtoul(uid, nullptr, 10)) != ::geteuid();
}

NewFile::NewFile(const Context& ctx, const std::string& path) : path_(path) {
    const auto parent = resolvedParent(path);
    if (parent.empty()) throw InvalidRequestError("cannot write " + path + ": its directory does not exist");
    const auto& settings = ctx.settings();
    // The service's own folders: the state (the database, whose journal a file could pose as), the
    // outbox (a file there is sent), the drop folders (a file there becomes a case) and the letters.
    const auto databaseDir = fs::path(settings.databasePath).parent_path().string();
    bool own = false;
    for (const auto& dir : {settings.stateDir, databaseDir, settings.outboxDir, settings.dropDir, settings.faxDropDir,
                            settings.templatesDir})
        own = own || (!dir.empty() && isOwn(parent, dir));
    if (own)
        throw InvalidRequestError("will not write " + path +
                                  ": that directory holds the service's own files (database, outbox); choose a "
                                  "directory of yours");
    const AsInvokingUser invoker;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd_ < 0) {
        const int error = errno;
        if (error == EEXIST)
            throw InvalidRequestError(path + " exists: complaintctl writes new files only; choose another name");
        throw InvalidRequestError("cannot create " + path + ": " + std::strerror(error));
    }
}

NewFile::~NewFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!written_) ::unlink(path_.c_str());
}

void NewFile::write(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw InvalidRequestError("cannot write " + path_ + ": " + std::strerror(errno));
        done += std::size_t(n);
    }
    const bool synced = ::fsync(fd_) == 0;
    const int syncError = errno;
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (!synced || !closed)
        throw InvalidRequestError("cannot write " + path_ + ": " + std::strerror(synced ? errno : syncError));
    written_ = true;
}

void writeNewFile(const Context& ctx, const std::string& path, const std::string& bytes, const std::string& what) {
    NewFile file(ctx, path);
    file.write(bytes);
    ctx.out << "wrote " << path << " (" << bytes.size() << " bytes" << (what.empty() ? "" : ", " + what) << ")\n";
}

}  // namespace complaintd::ctl
