// SystemTokenIo: the token file and the token command for real. The command
// runs as `/bin/sh -c COMMAND` (so an administrator can write a pipeline) through
// runChild (subprocess.h): its own process group, stdin empty, stdout captured (at
// most 64 KiB), stderr inherited, no other descriptor; the whole group is killed at
// the timeout.
#include <sys/stat.h>

#include "center/file_contents.h"
#include "daemon/oauth_token.h"
#include "subprocess.h"

namespace complaintd::daemon {

std::optional<TokenIo::File> SystemTokenIo::readFile(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    auto content = center::fileContents(path);
    if (!content) return std::nullopt;
    return File{std::move(*content), cases::Timestamp(std::chrono::seconds(info.st_mtim.tv_sec))};
}

TokenIo::CommandResult SystemTokenIo::run(const std::string& command, std::chrono::seconds timeout) {
    ChildRequest request;
    request.argv = {"/bin/sh", "-c", command};
    request.timeout = timeout;
    const auto child = runChild(request);
    // Half a token is no token, and it must not end up in a log.
    if (!child.succeeded()) return {false, "", child.problem};
    return {true, child.output, ""};
}

}  // namespace complaintd::daemon
