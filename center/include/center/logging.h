// One named spdlog logger per module ("imap", "drop", "intake", "outbox", ...).
// Lines about a message or case start with its id, then key=value fields.
// No bodies, names, phones or addresses above debug level.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace complaintd::center {

// The logger of a module, created on first use.
std::shared_ptr<spdlog::logger> moduleLogger(const std::string& module);

// Sets the level of every module logger, present and future ("info", "debug", ...).
void setLogLevel(const std::string& level);

}  // namespace complaintd::center
