// The letters a mail server accepted whose "sent" the store may not have recorded yet: a small
// file beside the database (DATABASE.accepted), one line "OUTBOX_ID MESSAGE-ID" per letter,
// appended and fsync'd right after the server's 250 and before Store::markAccepted. The outbox
// dispatcher reconciles it into the store first thing in every dispatch (marks those letters
// sent) and empties it once the store has them, so a letter the store could not record (disk
// full, read-only, locked) is never sent again. ARCHITECTURE.md ("Letters go out once") lists
// the crash windows.
//
// The same file bounds a letter to two deliveries: a "sending" line is synced before each letter is
// handed to the server, so that a process killed while sending leaves it behind. The next process
// turns it into an "interrupted" line, kept until the letter is recorded sent; a letter interrupted
// twice (the server may have it twice) is held for staff rather than tried a third time.
//
// Space is reserved when the file is opened (fallocate, without growing it), so that a disk that
// fills up after that still takes the few lines a stalled store leaves. A line cut short by a
// crash (no newline) is ignored: its letter was never journaled. Every failure throws Error with
// the file's path.
#pragma once

#include <string>
#include <vector>

namespace complaintd::daemon {

class AcceptedJournal {
public:
    enum class Mark { Accepted, Sending, Interrupted };
    struct Entry {
        long long outboxId = 0;
        std::string messageId;
        Mark mark = Mark::Accepted;
    };

    explicit AcceptedJournal(std::string path);
    ~AcceptedJournal();
    AcceptedJournal(const AcceptedJournal&) = delete;
    AcceptedJournal& operator=(const AcceptedJournal&) = delete;

    const std::string& path() const { return path_; }
    // The complete lines; none when the file does not exist.
    std::vector<Entry> entries() const;
    // Appends one line and syncs it to disk before returning.
    void append(const Entry& entry);
    // Leaves only `keep` in the file (synced), keeping its reserved space.
    void rewrite(const std::vector<Entry>& keep);

private:
    int descriptor();

    std::string path_;
    int fd_ = -1;
};

}  // namespace complaintd::daemon
