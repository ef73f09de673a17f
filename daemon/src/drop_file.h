// One file of a drop folder, read so that a writer of the folder cannot make
// the daemon read anything else: the name is opened without following a
// symbolic link, and the opened descriptor must be a regular file with one
// link and at most `maxBytes` bytes. Limits: nothing is read before the size
// is checked, and never more than `maxBytes`.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace complaintd::daemon {

// A drop file's bytes, or why it is refused (a value: the folder goes on to the next file).
struct DropFileContent {
    std::string bytes;
    std::string refusal;  // empty when `bytes` is the file
    bool refused() const { return !refusal.empty(); }
};

// Whether a folder entry named `name` is meant for intake: *.eml in any case
// (scan-to-folder devices write SCAN001.EML), not hidden (writers' temporary names).
bool isDropFileName(const std::string& name);

// Opens `path` with O_NOFOLLOW|O_NONBLOCK (a FIFO never blocks), then checks and reads
// that descriptor. Refusals name the reason but no content.
DropFileContent readDropFile(const std::filesystem::path& path, std::size_t maxBytes);

}  // namespace complaintd::daemon
