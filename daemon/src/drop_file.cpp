#include "drop_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace complaintd::daemon {
namespace {

std::string kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

// Closes the descriptor on every way out.
class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

DropFileContent refuse(std::string reason) { return {"", std::move(reason)}; }

std::string tooLarge(std::size_t maxBytes) {
    return "larger than limits.message_bytes (" + std::to_string(maxBytes) + " bytes)";
}

}  // namespace

bool isDropFileName(const std::string& name) {
    if (name.size() <= 4 || name.starts_with(".")) return false;
    std::string extension = name.substr(name.size() - 4);
    for (auto& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
    return extension == ".eml";
}

DropFileContent readDropFile(const std::filesystem::path& path, std::size_t maxBytes) {
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ELOOP) return refuse("a symbolic link");
        return refuse(std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) return refuse(std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) return refuse(kindOf(info.st_mode));
    // A second name means someone linked a file they may not read themselves.
    if (info.st_nlink != 1) return refuse(std::to_string(info.st_nlink) + " hard links");
    if (info.st_size < 0 || std::size_t(info.st_size) > maxBytes) return refuse(tooLarge(maxBytes));
    DropFileContent content;
    content.bytes.reserve(std::size_t(info.st_size));
    char buffer[64 * 1024];
    for (;;) {
        const auto n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return refuse(std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) return content;
        // It grew while being read: a writer that did not write under another name first.
        if (content.bytes.size() + std::size_t(n) > maxBytes) return refuse(tooLarge(maxBytes));
        content.bytes.append(buffer, std::size_t(n));
    }
}

}  // namespace complaintd::daemon
