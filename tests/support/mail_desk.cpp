#include "mail_desk.h"

#include "test_staff.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>

namespace complaintd::testing {

MailDesk::MailDesk(const std::string& extraConfig) : MailDesk(extraConfig, DovecotOptions{}) {}

MailDesk::MailDesk(const std::string& extraConfig, DovecotOptions dovecot)
    : dovecot_(dir_.path() + "/dovecot", std::move(dovecot)),
      smtp_(dir_.path() + "/smtp"),
      config_(dir_.path() + "/complaintd.conf") {
    const auto passwordFile = path("imap-password");
    std::ofstream(passwordFile) << dovecot_.password() << "\n";
    // starttls = off with a password is allowed only because the servers are on loopback.
    std::ofstream(config_) << "state_dir = " << path("state") << "\n"
                           << "drop.enabled = no\n"
                           << "fax.drop_enabled = no\n"
                           << "imap.url = " << dovecot_.url() << "\n"
                           << "imap.user = " << dovecot_.user() << "\n"
                           << "imap.password_file = " << passwordFile << "\n"
                           << "imap.starttls = off\n"
                           << "imap.timeout = 10\n"
                           << "smtp.url = " << smtp_.url() << "\n"
                           << "smtp.starttls = off\n"
                           << "smtp.timeout = 10\n"
                           << extraConfig;
    ImapTestClient(dovecot_).createFolder("Processed");
    // The center's people, as an administrator registers them before the desk opens.
    for (const auto& person : testStaff()) {
        const auto added = ctl(staffAddArguments(person));
        if (added.exitCode != 0) ADD_FAILURE() << "complaintctl staff add " << person.id << ": " << added.err;
    }
}

MailDesk::~MailDesk() {
    if (::testing::Test::HasFailure()) dir_.keep();
}

RunResult MailDesk::complaintd(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"--config", config_, "--once"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runProgram(COMPLAINTD_BINARY, args);
}

RunResult MailDesk::ctl(const std::vector<std::string>& command) const {
    std::vector<std::string> args{"--config", config_};
    args.insert(args.end(), command.begin(), command.end());
    return runProgram(COMPLAINTCTL_BINARY, args);
}

namespace {
Poco::Dynamic::Var parsedJson(const MailDesk& desk, std::vector<std::string> command) {
    command.push_back("--json");
    const auto result = desk.ctl(command);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return Poco::JSON::Parser().parse(result.exitCode == 0 ? result.out : "null");
}
}  // namespace

Poco::JSON::Array::Ptr MailDesk::ctlJsonArray(const std::vector<std::string>& command) const {
    const auto json = parsedJson(*this, command);
    return json.isEmpty() ? new Poco::JSON::Array : json.extract<Poco::JSON::Array::Ptr>();
}

Poco::JSON::Object::Ptr MailDesk::ctlJsonObject(const std::vector<std::string>& command) const {
    const auto json = parsedJson(*this, command);
    return json.isEmpty() ? new Poco::JSON::Object : json.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr MailDesk::complainantLetters() const {
    Poco::JSON::Array::Ptr letters = new Poco::JSON::Array;
    const auto all = ctlJsonArray({"outbox", "list"});
    for (std::size_t i = 0; i < all->size(); ++i)
        if (all->getObject(unsigned(i))->getValue<std::string>("kind") != "unit-notice")
            letters->add(all->getObject(unsigned(i)));
    return letters;
}

}  // namespace complaintd::testing
