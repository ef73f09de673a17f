#include "center/settings.h"

#include "cases/error.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <stdlib.h>

namespace complaintd::center {
namespace {

std::string tempFile(const std::string& content) {
    // CTest runs each test in its own process, two at a time: the pid keeps their files apart.
    static int counter = 0;
    const auto path = std::filesystem::temp_directory_path() /
                      ("complaintd-settings-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".conf");
    std::ofstream(path) << content;
    return path.string();
}

TEST(Settings, EmbeddedDefaultsNeedNoFile) {
    const auto loaded = loadSettings(std::nullopt, {});
    EXPECT_EQ(loaded.settings.databasePath, "var/complaintd.sqlite");
    EXPECT_EQ(loaded.settings.dropDir, "var/drop");
    EXPECT_EQ(loaded.settings.outboxDir, "var/outbox");
    EXPECT_TRUE(loaded.settings.imap.url.empty());
    EXPECT_EQ(loaded.settings.mailDomain, "shugu.example");
}

TEST(Settings, FileAndOverridesApplyInOrder) {
    const auto file = tempFile("state_dir = /srv/c\nimap.folder = Complaints\npoll_interval = 30\n");
    const auto loaded = loadSettings(file, {"poll_interval=5"});
    EXPECT_EQ(loaded.settings.databasePath, "/srv/c/complaintd.sqlite");
    EXPECT_EQ(loaded.settings.imapFolder, "Complaints");
    EXPECT_EQ(loaded.settings.pollInterval, std::chrono::seconds(5));
    for (const auto& s : loaded.effective) {
        if (s.name == "poll_interval") {
            EXPECT_EQ(s.origin, "-o");
        }
        if (s.name == "imap.folder") {
            EXPECT_EQ(s.origin, file);
        }
    }
    std::filesystem::remove(file);
}

TEST(Settings, UnknownKeyNamesFileAndKey) {
    const auto file = tempFile("imap.fodler = INBOX\n");
    try {
        loadSettings(file, {});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(file + ": unknown key `imap.fodler`"), std::string::npos) << e.what();
    }
    std::filesystem::remove(file);
    EXPECT_THROW(loadSettings(std::nullopt, {"nosuchkey=1"}), ConfigError);
}

TEST(Settings, BadValueNamesKeyAndExpectation) {
    try {
        loadSettings(std::nullopt, {"poll_interval=soon"});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("-o: poll_interval = \"soon\""), std::string::npos) << e.what();
    }
    EXPECT_THROW(loadSettings(std::nullopt, {"imap.url=http://x"}), ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, {"imap.url=imap://x", "imap.user=u"}), ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, {"center.email=nobody"}), ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, {"log.level=loud"}), ConfigError);
    EXPECT_THROW(loadSettings("/nonexistent/complaintd.conf", {}), ConfigError);
}

TEST(Settings, CycleSecondsIsBounded) {
    EXPECT_EQ(loadSettings(std::nullopt, {}).settings.cycleSeconds, std::chrono::seconds(120));
    EXPECT_EQ(loadSettings(std::nullopt, {"cycle_seconds=3600"}).settings.cycleSeconds, std::chrono::hours(1));
    EXPECT_THROW(loadSettings(std::nullopt, {"cycle_seconds=0"}), ConfigError);
    try {
        loadSettings(std::nullopt, {"cycle_seconds=3601"});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("cycle_seconds"), std::string::npos) << e.what();
    }
}

TEST(Settings, Xoauth2NeedsAUserAndATokenSource) {
    const std::vector<std::string> base{"imap.url=imaps://mail.example.tw", "imap.auth=xoauth2"};
    auto with = [&](std::vector<std::string> more) {
        more.insert(more.begin(), base.begin(), base.end());
        return more;
    };
    EXPECT_THROW(loadSettings(std::nullopt, with({"imap.token_file=/run/t"})), ConfigError);  // no user
    EXPECT_THROW(loadSettings(std::nullopt, with({"imap.user=u"})), ConfigError);             // no token source
    const auto loaded = loadSettings(std::nullopt, with({"imap.user=u", "imap.token_command=oauth2-refresh imap",
                                                         "imap.refresh_token_expires=2027-03-01"}));
    EXPECT_EQ(loaded.settings.imap.auth, AuthMethod::XOAuth2);
    EXPECT_EQ(loaded.settings.imap.tokenCommand, "oauth2-refresh imap");
    ASSERT_TRUE(loaded.settings.imap.refreshTokenExpires);
    EXPECT_EQ(cases::formatDate(*loaded.settings.imap.refreshTokenExpires), "2027-03-01");
    EXPECT_EQ(loaded.settings.imap.refreshWarnDays, 14);
    EXPECT_EQ(loaded.settings.smtp.auth, AuthMethod::Password);
    EXPECT_THROW(
        loadSettings(std::nullopt, with({"imap.user=u", "imap.token_file=t", "imap.refresh_token_expires=soon"})),
        ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, {"smtp.auth=oauth"}), ConfigError);
    // A token without xoauth2 is a mistake, not something to ignore.
    EXPECT_THROW(loadSettings(std::nullopt, {"smtp.url=smtp://mail.example.tw", "smtp.token_file=/run/t"}),
                 ConfigError);
}

TEST(Settings, CredentialsWithoutTlsAreRefusedExceptOnLoopback) {
    const auto file = tempFile(
        "smtp.url = smtp://mail.example.tw:587\nsmtp.user = desk\nsmtp.password_file = /run/pw\n"
        "smtp.starttls = optional\n");
    try {
        loadSettings(file, {});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(file + ": smtp.starttls = \"optional\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("without TLS"), std::string::npos) << e.what();
    }
    std::filesystem::remove(file);
    const std::vector<std::string> password{"imap.user=desk", "imap.password_file=/run/pw"};
    auto with = [&](std::vector<std::string> more) {
        more.insert(more.begin(), password.begin(), password.end());
        return more;
    };
    EXPECT_THROW(loadSettings(std::nullopt, with({"imap.url=imap://mail.example.tw", "imap.starttls=off"})),
                 ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, with({"imap.url=imap://10.0.0.5:143", "imap.starttls=optional"})),
                 ConfigError);
    EXPECT_THROW(loadSettings(std::nullopt, {"smtp.url=smtp://relay.example.tw", "smtp.starttls=off",
                                             "smtp.auth=xoauth2", "smtp.user=u", "smtp.token_command=refresh"}),
                 ConfigError);
    // TLS, no credentials, or a server on this machine: accepted.
    EXPECT_NO_THROW(loadSettings(std::nullopt, with({"imap.url=imap://mail.example.tw"})));
    EXPECT_NO_THROW(loadSettings(std::nullopt, with({"imap.url=imaps://mail.example.tw", "imap.starttls=off"})));
    EXPECT_NO_THROW(loadSettings(std::nullopt, {"smtp.url=smtp://relay.example.tw", "smtp.starttls=off"}));
    for (const auto* local :
         {"imap://127.0.0.1:1143", "imap://127.3.2.1", "imap://[::1]:143", "imap://localhost", "imap://LocalHost:143/"})
        EXPECT_NO_THROW(loadSettings(std::nullopt, with({std::string("imap.url=") + local, "imap.starttls=off"})))
            << local;
    EXPECT_THROW(loadSettings(std::nullopt, with({"imap.url=imap://127.0.0.1.example.tw", "imap.starttls=off"})),
                 ConfigError);
}

TEST(Settings, BareNameIsASystemdCredential) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("complaintd-credentials-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "imap-password") << "s3cret\n";
    EXPECT_EQ(secretPath("imap-password", "imap.password_file", dir.string()), (dir / "imap-password").string());
    EXPECT_EQ(secretPath("/etc/complaintd/pw", "imap.password_file", dir.string()), "/etc/complaintd/pw");
    EXPECT_EQ(secretPath("./imap-password", "imap.password_file", dir.string()), "./imap-password");
    EXPECT_EQ(secretPath("imap-password", "imap.password_file", std::nullopt), "imap-password");
    try {
        secretPath("smtp-password", "smtp.password_file", dir.string());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("LoadCredential=smtp-password:"), std::string::npos) << e.what();
    }

    ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
    EXPECT_EQ(readSecretFile("imap-password", "imap.password_file"), "s3cret");
    EXPECT_THROW(readSecretFile("smtp-password", "smtp.password_file"), ConfigError);
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_THROW(readSecretFile("imap-password", "imap.password_file"), ConfigError);  // no such file here
    std::filesystem::remove_all(dir);
}

TEST(Settings, EveryKeyIsDocumented) {
    std::ifstream in(std::string(COMPLAINTD_SOURCE_DIR) + "/docs/configuration.md");
    std::stringstream doc;
    doc << in.rdbuf();
    for (const auto& key : settingKeys())
        EXPECT_NE(doc.str().find("`" + key.name + "`"), std::string::npos) << key.name << " is not documented";
}

}  // namespace
}  // namespace complaintd::center

namespace complaintd::center {
namespace {

// Every whole-number key, at and beyond its declared bounds: the bounds pass, one past them is a
// ConfigError naming the key and the bounds, so that a value the component would refuse later
// (fax.ocr_dpi = 1200 failed every fax's OCR) stops start-up instead.
TEST(SettingBounds, EveryBoundedKeyAcceptsItsBoundsAndRefusesOnePastThem) {
    int bounded = 0;
    for (const auto& key : settingKeys()) {
        if (!key.bounds) continue;
        ++bounded;
        const auto [minimum, maximum] = *key.bounds;
        for (const auto value : {minimum, maximum})
            EXPECT_NO_THROW(loadSettings(std::nullopt, {key.name + "=" + std::to_string(value)})) << key.name;
        for (const auto value : {minimum - 1, maximum + 1}) {
            try {
                loadSettings(std::nullopt, {key.name + "=" + std::to_string(value)});
                ADD_FAILURE() << key.name << " = " << value << " was accepted";
            } catch (const ConfigError& e) {
                const std::string message = e.what();
                EXPECT_NE(message.find(key.name + " = \"" + std::to_string(value) + "\""), std::string::npos)
                    << message;
                EXPECT_NE(message.find("from " + std::to_string(minimum) + " to " + std::to_string(maximum)),
                          std::string::npos)
                    << message;
            }
        }
    }
    EXPECT_GE(bounded, 30);
}

// The fax keys are bounded by what the OCR engine accepts, taken from its constants.
TEST(SettingBounds, TheFaxKeysHaveTheOcrEnginesRanges) {
    EXPECT_EQ(boundsOf("fax.ocr_dpi").minimum, 50);
    EXPECT_EQ(boundsOf("fax.ocr_dpi").maximum, 600);
    EXPECT_EQ(boundsOf("fax.ocr_low_confidence").maximum, 100);
    EXPECT_THROW(loadSettings(std::nullopt, {"fax.ocr_dpi=1200"}), ConfigError);
}

// Each item of a list of whole numbers is held to the bounds as well.
TEST(SettingBounds, ReminderDaysAreBoundedItemByItem) {
    EXPECT_NO_THROW(loadSettings(std::nullopt, {"deadlines.reminder_days=2,0,-3"}));
    EXPECT_THROW(loadSettings(std::nullopt, {"deadlines.reminder_days=2,4000"}), ConfigError);
}

}  // namespace
}  // namespace complaintd::center
