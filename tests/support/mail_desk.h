// A complaint desk under test, as a user sets one up: a scratch folder with a real Dovecot and
// a real aiosmtpd on 127.0.0.1, a complaintd.conf pointed at both (IMAP intake from INBOX into
// Processed, letters by SMTP, no drop folders), and the executables run to their end. The
// integration and hostile tests build on it; what a test needs beyond it goes in `extraConfig`
// (later lines win) or in extra -o arguments.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "run_program.h"
#include "test_servers.h"

namespace complaintd::testing {

class MailDesk {
public:
    explicit MailDesk(const std::string& extraConfig = "");
    // With a Dovecot set up beyond its defaults (e.g. DovecotOptions::extraConfig).
    MailDesk(const std::string& extraConfig, DovecotOptions dovecot);
    ~MailDesk();  // keeps the folder when the running test has failed, and says where
    MailDesk(const MailDesk&) = delete;
    MailDesk& operator=(const MailDesk&) = delete;

    std::string path(const std::string& name) const { return dir_.path() + "/" + name; }
    const std::string& config() const { return config_; }
    DovecotServer& dovecot() { return dovecot_; }
    SmtpServer& smtp() { return smtp_; }

    // complaintd --config CONFIG --once EXTRA...
    RunResult complaintd(const std::vector<std::string>& extra = {}) const;
    // complaintctl --config CONFIG COMMAND...
    RunResult ctl(const std::vector<std::string>& command) const;
    // The same with --json, which must succeed (a test failure otherwise), parsed.
    Poco::JSON::Array::Ptr ctlJsonArray(const std::vector<std::string>& command) const;
    Poco::JSON::Object::Ptr ctlJsonObject(const std::vector<std::string>& command) const;
    // `outbox list --json` without the notices to the center's units: the letters to complainants.
    Poco::JSON::Array::Ptr complainantLetters() const;

private:
    TempDir dir_;
    DovecotServer dovecot_;
    SmtpServer smtp_;
    std::string config_;
};

}  // namespace complaintd::testing
