// The files complaintctl writes for staff (--output, print --dir): always new files. A clerk
// running it through sudo acts with the service's rights, so a path they name must never replace
// an existing file, follow a symbolic link or land in the service's own state (the database,
// the outbox). Run by root from sudo, the file is created as the user sudo came from.
#pragma once

#include <string>

#include "commands.h"

namespace complaintd::ctl {

// Root run from sudo: the effective ids of the user sudo came from while this lives, so that a
// path that user names is opened with their rights. Nothing otherwise.
class AsInvokingUser {
public:
    AsInvokingUser();
    ~AsInvokingUser();
    AsInvokingUser(const AsInvokingUser&) = delete;
    AsInvokingUser& operator=(const AsInvokingUser&) = delete;

private:
    bool switched_ = false;
};

// Run through sudo as another, unprivileged user (sudo -u complaintd): a path the invoking user
// names would be opened with the service's rights, not theirs.
bool runsForAnotherUser();

class NewFile {
public:
    // Creates `path` (mode 0640); InvalidRequestError saying why not: it exists, is a link, is in
    // the state directory, or cannot be created.
    NewFile(const Context& ctx, const std::string& path);
    ~NewFile();  // removes the file unless it was written: no half-written or empty output stays
    NewFile(const NewFile&) = delete;
    NewFile& operator=(const NewFile&) = delete;

    // Writes all of `bytes`, syncs and closes; InvalidRequestError on a write error (disk full).
    void write(const std::string& bytes);
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
    bool written_ = false;
};

// Writes `bytes` to the new file `path` and says so on ctx.out: "wrote PATH (N bytes)" and `what`.
void writeNewFile(const Context& ctx, const std::string& path, const std::string& bytes, const std::string& what = "");

}  // namespace complaintd::ctl
