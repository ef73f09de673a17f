// The complaintd executable as a Poco ServerApplication: options, settings,
// the polling loop, and a clean stop on SIGTERM/SIGINT (the message in hand
// is finished first).
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <optional>
#include <string>
#include <vector>

namespace complaintd::daemon {

class ComplaintdApp : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleOverride(const std::string& name, const std::string& value);
    void handleOnce(const std::string& name, const std::string& value);
    void printHelp();
    int serve();

    std::optional<std::string> configFile_;
    std::vector<std::string> overrides_;
    bool once_ = false;
    bool helpRequested_ = false;
};

// main() of the executable: runs the app, maps usage errors to exit 64.
int runComplaintd(int argc, char** argv);

}  // namespace complaintd::daemon
