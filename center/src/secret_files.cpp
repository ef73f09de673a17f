// Secrets from files or systemd credentials (LoadCredential=): the one rule for
// every *_file key, kept apart from the settings so that it is read when the
// secret is needed (complaintctl never needs one).
#include <cstdlib>
#include <filesystem>

#include "cases/error.h"
#include "center/file_contents.h"
#include "center/settings.h"

namespace complaintd::center {

std::string secretPath(const std::string& value, const std::string& key,
                       const std::optional<std::string>& credentialsDirectory) {
    if (value.find('/') != std::string::npos || !credentialsDirectory) return value;
    const std::string path = *credentialsDirectory + "/" + value;
    if (!std::filesystem::exists(path))
        throw ConfigError(key + " = \"" + value + "\": no credential " + value + " in $CREDENTIALS_DIRECTORY (" +
                          *credentialsDirectory + "): add LoadCredential=" + value + ":/etc/complaintd/" + value +
                          " to the unit, or write ./" + value + " for a file in the working directory");
    return path;
}

std::string secretPath(const std::string& value, const std::string& key) {
    const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
    return secretPath(value, key, directory && *directory ? std::optional<std::string>(directory) : std::nullopt);
}

std::string readSecretFile(const std::string& value, const std::string& key) {
    const auto path = center::secretPath(value, key);
    auto content = center::fileContents(path);
    if (!content) throw ConfigError(key + " = \"" + value + "\": cannot read " + (path == value ? "the file" : path));
    std::string secret = std::move(*content);
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    return secret;
}

}  // namespace complaintd::center
