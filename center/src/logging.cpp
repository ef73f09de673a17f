#include "center/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace complaintd::center {
namespace {

std::mutex gMutex;
spdlog::level::level_enum gLevel = spdlog::level::info;

}  // namespace

std::shared_ptr<spdlog::logger> moduleLogger(const std::string& module) {
    std::lock_guard lock(gMutex);
    if (auto existing = spdlog::get(module)) return existing;
    // stderr, no colours: under systemd the journal adds time and unit.
    auto logger = spdlog::stderr_logger_mt(module);
    logger->set_pattern("%Y-%m-%d %H:%M:%S %l %n: %v");
    logger->set_level(gLevel);
    return logger;
}

void setLogLevel(const std::string& level) {
    std::lock_guard lock(gMutex);
    gLevel = spdlog::level::from_str(level);
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(gLevel); });
}

}  // namespace complaintd::center
