#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include "curl_session.h"
#include "daemon/outbox.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

struct UploadCursor {
    const std::string* data;
    const std::function<void()>* beforeLastByte = nullptr;
    std::size_t offset = 0;
    std::exception_ptr failure;  // of the hook: rethrown after the transfer was aborted
};

size_t readFromString(char* buffer, size_t size, size_t count, void* source) {
    auto* cursor = static_cast<UploadCursor*>(source);
    std::size_t n = std::min(size * count, cursor->data->size() - cursor->offset);
    // The last byte waits for the hook (it is what makes the letter complete for the server).
    if (n > 0 && cursor->offset + n == cursor->data->size() && cursor->beforeLastByte && *cursor->beforeLastByte) {
        if (n > 1) {
            --n;  // all but the last byte now; the last in the next call, after the hook
        } else {
            try {
                (*cursor->beforeLastByte)();
                cursor->beforeLastByte = nullptr;
            } catch (...) {
                cursor->failure = std::current_exception();
                return CURL_READFUNC_ABORT;
            }
        }
    }
    std::memcpy(buffer, cursor->data->data() + cursor->offset, n);
    cursor->offset += n;
    return n;
}

// How far an SMTP transaction got, from the commands libcurl sent (its debug callback): a failure
// before RCPT TO is the session's (the connection, TLS, the login, the sender refused at MAIL FROM),
// from RCPT TO on it is this letter's.
enum class SmtpStage { Session, Recipient, Content };

int followCommands(CURL*, curl_infotype type, char* data, size_t size, void* stage) {
    auto& current = *static_cast<SmtpStage*>(stage);
    if (type == CURLINFO_DATA_OUT) current = SmtpStage::Content;
    if (type != CURLINFO_HEADER_OUT || size < 4) return 0;  // only the commands; nothing is kept
    const std::string_view verb(data, 4);
    if (verb == "RCPT") current = SmtpStage::Recipient;
    if (verb == "DATA") current = SmtpStage::Content;
    return 0;
}

// One connection for a dispatch's letters, closed by endOfBatch() once they are recorded.
class SmtpSender final : public MailSender {
public:
    SmtpSender(const center::ServerAccount& account, Progress progress)
        : account_(account), progress_(std::move(progress)) {}

    void send(const center::OutboxItem& letter) override {
        if (!session_) session_ = openSession();
        CURL* h = session_->handle();
        const std::string from = "<" + letter.envelopeFrom + ">";
        const std::string to = "<" + letter.recipient + ">";
        const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
            curl_slist_append(nullptr, to.c_str()), curl_slist_free_all);
        UploadCursor cursor{&letter.raw, &lastByte_};
        curl_easy_setopt(h, CURLOPT_URL, account_.url.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, readFromString);
        curl_easy_setopt(h, CURLOPT_READDATA, &cursor);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(letter.raw.size()));
        stage_ = SmtpStage::Session;
        try {
            session_->perform("SMTP delivery to " + account_.url);
        } catch (const TransferError& e) {
            session_.reset();  // in an unknown state: the next letter starts afresh
            if (cursor.failure) std::rethrow_exception(cursor.failure);  // the hook's, not the server's
            if (stage_ != SmtpStage::Session) throw;
            // 552 at MAIL FROM (SIZE= over the server's limit) is this letter's, not the session's: it
            // must not hold every letter behind it.
            if (e.responseCode() == 552) throw;
            const bool atMailFrom = e.permanent();  // the login and TLS never count as permanent
            throw TransferError(std::string(e.what()) + (atMailFrom ? " (before RCPT TO: the server refuses to "
                                                                      "take mail from this account or sender; check "
                                                                      "smtp.user and the letters' sender address)"
                                                                    : ""),
                                e.responseCode(), e.permanent(), TransferError::Scope::Session);
        } catch (...) {
            session_.reset();
            throw;
        }
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
    }

    void endOfBatch() override { session_.reset(); }

private:
    // No session (an unreadable password file, no OAuth2 token) is no letter's fault.
    std::unique_ptr<CurlSession> openSession() {
        std::unique_ptr<CurlSession> session;
        try {
            session = std::make_unique<CurlSession>(account_, "smtp", progress_);
        } catch (const Error& e) {
            throw TransferError(e.what(), 0, false, TransferError::Scope::Session);
        }
        curl_easy_setopt(session->handle(), CURLOPT_DEBUGFUNCTION, followCommands);
        curl_easy_setopt(session->handle(), CURLOPT_DEBUGDATA, &stage_);
        curl_easy_setopt(session->handle(), CURLOPT_VERBOSE, 1L);
        return session;
    }

    center::ServerAccount account_;
    Progress progress_;
    std::unique_ptr<CurlSession> session_;
    SmtpStage stage_ = SmtpStage::Session;
};

// Writes each letter as NUMBER-KIND-ID.eml: written under a temporary name, synced and renamed,
// so a reader never sees half a letter, and the folder synced, so the rename survives a crash.
// The temporary name is random and created with O_EXCL|O_NOFOLLOW: a link planted in the folder
// under a name we would use is never written through.
class FolderSender final : public MailSender {
public:
    explicit FolderSender(std::string dir) : dir_(std::move(dir)) {}

    void send(const center::OutboxItem& letter) override {
        if (std::error_code error; !fs::create_directories(dir_, error) && error)
            throw Error("cannot create " + dir_.string() + ": " + error.message());
        const std::string base = (letter.caseNumber.empty() ? "letter" : letter.caseNumber) + "-" +
                                 std::string(cases::idOf(letter.kind)) + "-" + std::to_string(letter.id) + ".eml";
        const fs::path final = dir_ / base;
        const auto [fd, temporary] = createTemporary(base);
        try {
            writeSynced(fd, temporary, letter.raw);
        } catch (...) {
            ::unlink(temporary.c_str());
            throw;
        }
        if (lastByte_) lastByte_();  // the rename is what makes it the folder's
        if (::rename(temporary.c_str(), final.c_str()) != 0) {
            const std::string reason = std::strerror(errno);
            ::unlink(temporary.c_str());
            throw Error("cannot rename " + temporary.string() + " to " + final.string() + ": " + reason);
        }
        syncFolder();
    }

private:
    // A new file .BASE.RANDOM.tmp, 0640 before the umask; retried on the (unlikely) name taken.
    std::pair<int, fs::path> createTemporary(const std::string& base) const {
        for (int attempt = 0; attempt < 16; ++attempt) {
            const fs::path path = dir_ / ("." + base + "." + randomSuffix() + ".tmp");
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
            if (fd >= 0) return {fd, path};
            if (errno != EEXIST) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
        }
        throw Error("cannot find a free temporary name in " + dir_.string());
    }

    static std::string randomSuffix() {
        unsigned char bytes[8];
        if (::getrandom(bytes, sizeof bytes, 0) != ssize_t(sizeof bytes))
            throw Error(std::string("no random bytes for a temporary name: ") + std::strerror(errno));
        static const char* kHex = "0123456789abcdef";
        std::string suffix;
        for (const auto b : bytes) suffix += {kHex[b >> 4], kHex[b & 15]};
        return suffix;
    }

    // Writes all of `bytes` to `fd`, syncs and closes it, on every way out.
    static void writeSynced(int fd, const fs::path& path, const std::string& bytes) {
        std::size_t written = 0;
        while (written < bytes.size()) {
            const auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                const std::string reason = std::strerror(errno);
                ::close(fd);
                throw Error("cannot write " + path.string() + ": " + reason);
            }
            written += std::size_t(n);
        }
        const bool synced = ::fsync(fd) == 0;
        const int syncErrno = errno;
        ::close(fd);
        if (!synced) throw Error("cannot sync " + path.string() + ": " + std::strerror(syncErrno));
    }

    void syncFolder() const {
        const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw Error("cannot open " + dir_.string() + " to sync it: " + std::strerror(errno));
        const bool synced = ::fsync(fd) == 0;
        const int syncErrno = errno;
        ::close(fd);
        if (!synced) throw Error("cannot sync " + dir_.string() + ": " + std::strerror(syncErrno));
    }

    fs::path dir_;
};

}  // namespace

std::unique_ptr<MailSender> makeMailSender(const center::Settings& settings, Progress progress) {
    if (!settings.smtp.url.empty()) return std::make_unique<SmtpSender>(settings.smtp, std::move(progress));
    return std::make_unique<FolderSender>(settings.outboxDir);
}

}  // namespace complaintd::daemon
