// complaintd's configuration: every key declared once with its default and
// meaning, read from one file at start-up, overridden by `-o key=value`, and
// validated into a typed struct. Unknown keys and bad values are
// ConfigErrors naming the file (or -o) and the key.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cases/deadlines.h"
#include "cases/dispositions.h"
#include "parsers/authentication_results.h"
#include "parsers/mail_safety.h"
#include "parsers/mime_parser.h"

namespace complaintd::center {

// The inclusive range of a whole-number key. Start-up refuses a value outside it (exit 78), and the
// component that uses the value is held to the same numbers (it reads them from here, or the
// declaration takes them from the component's own constants, as for fax::kOcrDpi).
struct Bounds {
    long long minimum = 0;
    long long maximum = 0;
};

struct SettingKey {
    std::string name;
    std::string defaultValue;  // as written in the file; "" often means "derived", see description
    std::string description;
    std::optional<Bounds> bounds;  // whole-number keys (and each item of a list of them)
};

// The declared keys, in documentation order.
const std::vector<SettingKey>& settingKeys();

// The declared bounds of a whole-number key (std::logic_error for a key without).
Bounds boundsOf(const std::string& key);

enum class TlsPolicy { Required, Optional, Off };

// How complaintd logs in: a password, or an OAuth2 access token (SASL XOAUTH2,
// as Microsoft 365 and Gmail require once basic authentication is off).
enum class AuthMethod { Password, XOAuth2 };

// One IMAP or SMTP account.
struct ServerAccount {
    std::string url;  // empty: not configured
    std::string user;
    AuthMethod auth = AuthMethod::Password;
    std::string passwordFile;                        // a path, or a systemd credential name (see readSecretFile)
    std::string tokenFile;                           // xoauth2: the access token (plain or JSON), as passwordFile
    std::string tokenCommand;                        // xoauth2: run by /bin/sh -c to print a fresh token
    std::optional<cases::Date> refreshTokenExpires;  // when the refresh token behind the command runs out
    int refreshWarnDays = 14;                        // warn this many days before that
    TlsPolicy startTls = TlsPolicy::Required;
    std::string caFile;
    std::chrono::seconds timeout{60};
};

struct Settings {
    std::string stateDir;
    std::string databasePath;
    std::chrono::seconds pollInterval{60};
    std::chrono::seconds cycleSeconds{120};  // intake stops taking mail after this long in a cycle

    bool dropEnabled = true;
    std::string dropDir;
    std::string dropProcessedDir;

    bool faxDropEnabled = true;
    std::string faxDropDir;
    std::string faxDropProcessedDir;

    ServerAccount imap;
    std::string imapFolder;
    std::string imapProcessedFolder;
    std::string faxImapFolder;  // empty: no IMAP folder for fax
    bool imapIdle = true;       // push intake by IMAP IDLE
    std::chrono::seconds imapIdleRefresh{1740};

    std::string faxGatewaysFile;
    std::string faxReplyGateway;  // e-mail-to-fax address pattern, "{number}@fax.example.tw"; empty: none
    bool ocrEnabled = true;       // fax.ocr: no leaves the OCR jobs pending
    std::string ocrLanguages;
    std::string tessdataDir;
    int ocrDpi = 200;
    int ocrLowConfidence = 70;
    int ocrMaxPages = 20;
    std::chrono::seconds ocrCpuSeconds{120};  // limits of the OCR helper process, per fax
    std::size_t ocrMemoryMb = 1024;
    std::chrono::seconds ocrTimeout{300};

    ServerAccount smtp;
    std::string outboxDir;
    std::chrono::seconds retryInitial{60};
    std::chrono::seconds retryMax{3600};
    std::chrono::seconds giveUpAfter{5 * 24 * 3600};

    std::string centerName;
    std::string webBaseUrl;  // web.base_url, without a trailing '/'; "" when there is no console
    std::string centerAddress;
    std::string centerPhone;
    std::string centerEmail;
    std::string centerFax;              // "" when the center prints none
    std::string documentNumberPattern;  // 發文字號, cases/document_number.h
    std::string mailDomain;

    std::string unitsFile;
    std::string rulesFile;
    std::string referralsFile;
    std::string intakeUnit;
    std::string templatesDir;

    cases::DeadlinePolicy deadlines;
    std::string holidaysFile;
    std::vector<int> reminderDays;  // remind the unit when this many days (or fewer) remain to the target
    int delayNoticeDays = 3;        // notify the complainant this many days before the legal limit
    cases::DispositionPolicy dispositions;

    parsers::ParseLimits limits;
    std::size_t summaryCharacters = 200;
    int autoLettersPerDay = 1;          // automatic letters (acknowledgement, referral) to one mailbox per day
    int autoLettersPerDomainHour = 20;  // ... to one domain per hour
    int autoLettersPerHour = 60;        // ... to anyone per hour
    std::size_t autoLetterSubjectCharacters = 60;  // of the complaint's subject quoted in them
    std::string authservId;  // the center's receiving server in Authentication-Results; empty: not checked
    parsers::AuthservIdForm authservIdForm = parsers::AuthservIdForm::Rfc8601;  // mail.authserv_id_form
    std::vector<parsers::SpamMark> spamMarks;  // headers the receiving server marks spam with: held, no case
    std::string logLevel;
};

// The effective value of each key and where it came from, for `complaintctl config`.
struct EffectiveSetting {
    std::string name;
    std::string value;
    std::string origin;  // "default", the file name, or "-o"
};

struct LoadedSettings {
    Settings settings;
    std::vector<EffectiveSetting> effective;
};

// "imap.refresh_token_expires = 2026-12-20: the OAuth2 refresh token expires in 9 days ..."
// when `today` is within account.refreshWarnDays of that date (or past it); nullopt otherwise.
std::optional<std::string> refreshTokenWarning(const ServerAccount& account, const std::string& keyPrefix,
                                               cases::Date today);

// The center's details in letters still at their placeholders (center.phone's "(06) 000-0000"):
// one warning each, for the daemon's start-up and complaintctl status. Empty when all are set.
std::vector<std::string> placeholderWarnings(const Settings& settings);

// Reads `file` (if given) and applies `overrides` ("key=value"). Throws ConfigError.
LoadedSettings loadSettings(const std::optional<std::string>& file, const std::vector<std::string>& overrides);

// Where a *_file value points: a value without '/' names a systemd credential
// (LoadCredential=NAME:...) in `credentialsDirectory` when one is given, else it
// is a path (relative to the working directory). ConfigError when a credential
// was meant but is not there. `key` names the setting in the message.
std::string secretPath(const std::string& value, const std::string& key,
                       const std::optional<std::string>& credentialsDirectory);

// secretPath with $CREDENTIALS_DIRECTORY, as systemd sets it for the service.
std::string secretPath(const std::string& value, const std::string& key);

// The secret in a password file (or credential, see secretPath), without its
// trailing newline. Throws ConfigError.
std::string readSecretFile(const std::string& value, const std::string& key);

}  // namespace complaintd::center
