#include "daemon/push_intake.h"

#include "center/logging.h"
#include "imap_client.h"

namespace complaintd::daemon {

PushIntake::PushIntake(const center::Settings& settings, std::function<void()> onNewMail)
    : settings_(settings), onNewMail_(std::move(onNewMail)) {
    if (settings_.imap.url.empty() || !settings_.imapIdle) return;
    std::vector<std::string> folders{settings_.imapFolder};
    if (!settings_.faxImapFolder.empty()) folders.push_back(settings_.faxImapFolder);
    for (const auto& folder : folders) watchers_.emplace_back([this, folder] { watch(folder); });
}

PushIntake::~PushIntake() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
    for (auto& watcher : watchers_) watcher.join();
}

bool PushIntake::pause(std::chrono::seconds wait) {
    std::unique_lock lock(mutex_);
    return !stopped_.wait_for(lock, wait, [this] { return stopping_.load(); });
}

void PushIntake::watch(const std::string& folder) {
    auto log = center::moduleLogger("imap");
    std::chrono::seconds retryIn{5};
    bool reconnecting = false;
    while (!stopping_) {
        try {
            ImapClient client(settings_.imap);
            const auto mailbox = client.mailboxIdentity(folder);
            if (!client.hasCapability("IDLE")) {
                log->info("{}: the server has no IDLE; polling every {} s", mailbox, settings_.pollInterval.count());
                return;
            }
            client.select(folder);
            log->info("{}: waiting for mail (IDLE)", mailbox);
            retryIn = std::chrono::seconds(5);
            // Mail may have come while the connection was down: look now.
            if (reconnecting) onNewMail_();
            while (!stopping_)
                if (client.idle(settings_.imapIdleRefresh, stopping_) == IdleOutcome::NewMail) onNewMail_();
        } catch (const std::exception& e) {
            log->warn("IDLE on {} failed: {}; polling meanwhile, trying again in {} s", folder, e.what(),
                      retryIn.count());
            if (!pause(retryIn)) return;
            retryIn = std::min<std::chrono::seconds>(retryIn * 2, std::chrono::minutes(5));
            reconnecting = true;
        }
    }
}

}  // namespace complaintd::daemon
