#include "center/settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cases/document_number.h"
#include "cases/error.h"
#include "fax/ocr_engine.h"
#include "templates/mail_composer.h"

#ifndef COMPLAINTD_DATA_DIR
#define COMPLAINTD_DATA_DIR "/usr/share/complaintd"
#endif

namespace complaintd::center {

// The default of center.phone: no real number, so that an unconfigured center is noticed.
constexpr const char* kPlaceholderPhone = "(06) 000-0000";
namespace {

const std::string kDataDir = COMPLAINTD_DATA_DIR;

// Shared by the imap.* and smtp.* descriptions.
constexpr const char* kCredentialRule =
    "A name without '/' is a systemd credential (LoadCredential=NAME:...) when $CREDENTIALS_DIRECTORY is set; "
    "write ./NAME for a file in the working directory.";
constexpr const char* kTokenFileText =
    "file (or credential, as for password_file) holding the OAuth2 access token: the token alone, or JSON with "
    "access_token and expires_in (seconds from the file's time) or expires_on (Unix time). Read again before "
    "each login; with a token_command, an empty, expired or refused token runs the command.";
constexpr const char* kTokenCommandText =
    "command run with /bin/sh -c (in the service's environment, so $CREDENTIALS_DIRECTORY) when there is no "
    "token, it was refused or it expires within 5 minutes. It prints the token alone (taken as valid for an "
    "hour) or the token endpoint's JSON (access_token, expires_in). Its output is never logged.";
constexpr const char* kRefreshExpiresText =
    "the date (YYYY-MM-DD) the refresh token behind token_command expires, if known; from refresh_warn_days "
    "before it, each refresh and complaintctl status warn.";

// Values as strings, with where each came from, before typing.
class RawSettings {
public:
    RawSettings() {
        for (const auto& key : settingKeys()) values_[key.name] = {key.defaultValue, "default"};
    }

    void set(const std::string& key, const std::string& value, const std::string& origin) {
        auto it = values_.find(key);
        if (it == values_.end()) throw ConfigError(origin + ": unknown key `" + key + "`" + suggestion(key));
        it->second = {value, origin};
    }

    const std::string& get(const std::string& key) const { return values_.at(key).first; }
    const std::string& origin(const std::string& key) const { return values_.at(key).second; }

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw ConfigError(origin(key) + ": " + key + " = \"" + get(key) + "\": " + what);
    }

    std::string orDerived(const std::string& key, const std::string& derived) const {
        return get(key).empty() ? derived : get(key);
    }

    // A whole number within the key's declared bounds.
    template <typename Int>
    Int integer(const std::string& key) const {
        const auto bounds = boundsOf(key);
        const auto& text = get(key);
        long long value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || ptr != text.data() + text.size() || value < bounds.minimum || value > bounds.maximum)
            fail(key, "expected a whole number from " + std::to_string(bounds.minimum) + " to " +
                          std::to_string(bounds.maximum));
        return static_cast<Int>(value);
    }

    std::vector<std::string> list(const std::string& key) const {
        std::vector<std::string> items;
        std::stringstream stream(get(key));
        for (std::string item; std::getline(stream, item, ',');) {
            item.erase(0, item.find_first_not_of(" \t"));
            item.erase(item.find_last_not_of(" \t") + 1);
            if (!item.empty()) items.push_back(item);
        }
        return items;
    }

    std::vector<int> integers(const std::string& key) const {
        const auto bounds = boundsOf(key);
        std::vector<int> values;
        for (const auto& item : list(key)) {
            int value = 0;
            const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
            if (ec != std::errc{} || ptr != item.data() + item.size() || value < bounds.minimum ||
                value > bounds.maximum)
                fail(key, "expected whole numbers from " + std::to_string(bounds.minimum) + " to " +
                              std::to_string(bounds.maximum) + " separated by commas");
            values.push_back(value);
        }
        return values;
    }

    double fraction(const std::string& key) const {
        try {
            std::size_t used = 0;
            const double value = std::stod(get(key), &used);
            if (used == get(key).size() && value >= 0 && value <= 1) return value;
        } catch (const std::exception&) {
        }
        fail(key, "expected a number from 0 to 1");
    }

    std::chrono::seconds seconds(const std::string& key) const { return std::chrono::seconds(integer<long>(key)); }

    bool flag(const std::string& key) const {
        const auto& text = get(key);
        if (text == "yes" || text == "true" || text == "1") return true;
        if (text == "no" || text == "false" || text == "0") return false;
        fail(key, "expected yes or no");
    }

    TlsPolicy tls(const std::string& key) const {
        const auto& text = get(key);
        if (text == "required") return TlsPolicy::Required;
        if (text == "optional") return TlsPolicy::Optional;
        if (text == "off") return TlsPolicy::Off;
        fail(key, "expected required, optional or off");
    }

    std::vector<EffectiveSetting> effective() const {
        std::vector<EffectiveSetting> list;
        for (const auto& key : settingKeys()) list.push_back({key.name, get(key.name), origin(key.name)});
        return list;
    }

private:
    static std::string suggestion(const std::string& key) {
        for (const auto& known : settingKeys())
            if (known.name.find(key) != std::string::npos || key.find(known.name) != std::string::npos)
                return " (did you mean `" + known.name + "`?)";
        return " (see docs/configuration.md)";
    }

    std::map<std::string, std::pair<std::string, std::string>> values_;
};

void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& keys) {
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    if (children.empty() && !prefix.empty()) keys.push_back(prefix);
    for (const auto& child : children) collectKeys(config, prefix.empty() ? child : prefix + "." + child, keys);
}

void readFile(const std::string& file, RawSettings& raw) {
    if (!std::ifstream(file)) throw ConfigError(file + ": cannot read the configuration file");
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config;
    try {
        config = new Poco::Util::PropertyFileConfiguration(file);
    } catch (const Poco::Exception& e) {
        throw ConfigError(file + ": " + e.displayText());
    }
    std::vector<std::string> keys;
    collectKeys(*config, "", keys);
    for (const auto& key : keys) raw.set(key, config->getRawString(key), file);
}

void applyOverride(const std::string& assignment, RawSettings& raw) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) throw ConfigError("-o " + assignment + ": expected -o key=value");
    auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t"));
        s.erase(s.find_last_not_of(" \t") + 1);
        return s;
    };
    raw.set(trim(assignment.substr(0, equals)), trim(assignment.substr(equals + 1)), "-o");
}

AuthMethod authMethod(const RawSettings& raw, const std::string& key) {
    const auto& text = raw.get(key);
    if (text == "password") return AuthMethod::Password;
    if (text == "xoauth2") return AuthMethod::XOAuth2;
    raw.fail(key, "expected password or xoauth2");
}

void readOAuth(const RawSettings& raw, const std::string& prefix, ServerAccount& a) {
    a.tokenFile = raw.get(prefix + ".token_file");
    a.tokenCommand = raw.get(prefix + ".token_command");
    if (const auto& date = raw.get(prefix + ".refresh_token_expires"); !date.empty()) {
        a.refreshTokenExpires = cases::parseDate(date);
        if (!a.refreshTokenExpires) raw.fail(prefix + ".refresh_token_expires", "expected a date YYYY-MM-DD");
    }
    a.refreshWarnDays = raw.integer<int>(prefix + ".refresh_warn_days");
}

void checkCredentials(const RawSettings& raw, const std::string& prefix, const ServerAccount& a) {
    if (a.url.empty()) return;
    if (a.auth == AuthMethod::XOAuth2) {
        if (a.user.empty()) raw.fail(prefix + ".user", "xoauth2 needs the login name the token was issued for");
        if (a.tokenFile.empty() && a.tokenCommand.empty())
            raw.fail(prefix + ".token_file", "xoauth2 needs a token file or a token command (or both)");
        return;
    }
    if (!a.user.empty() && a.passwordFile.empty())
        raw.fail(prefix + ".password_file", "a user needs a password file (passwords never go on the command line)");
    for (const auto* key : {".token_file", ".token_command"})
        if (!raw.get(prefix + key).empty()) raw.fail(prefix + key, "only used with " + prefix + ".auth = xoauth2");
}

// The host of an imap://, smtp:// (or imaps://, smtps://) URL: without user, port and path; IPv6 without brackets.
std::string hostOf(const std::string& url) {
    auto host = url.substr(url.find("://") + 3);
    host = host.substr(0, host.find('/'));
    if (const auto at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
    if (host.starts_with("[")) return host.substr(1, host.find(']') - 1);
    return host.substr(0, host.find(':'));
}

// 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) or localhost; a name is never resolved here.
bool isLoopback(std::string host) {
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (host == "localhost" || host == "localhost.") return true;
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (::inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

// A password or token goes only over TLS (imaps://, smtps:// or STARTTLS required): with
// `optional` a STARTTLS-stripping attacker gets it, with `off` anyone on the path. Only a
// server on this machine (a local relay, the tests) may be spoken to in clear.
void checkTransportSecurity(const RawSettings& raw, const std::string& prefix, const ServerAccount& a) {
    const bool credentials = a.auth == AuthMethod::XOAuth2 || !a.passwordFile.empty();
    const bool implicitTls = a.url.starts_with(prefix + "s://");
    if (a.url.empty() || !credentials || implicitTls || a.startTls == TlsPolicy::Required) return;
    if (isLoopback(hostOf(a.url))) return;
    raw.fail(prefix + ".starttls", "would send the " +
                                       std::string(a.auth == AuthMethod::XOAuth2 ? "token" : "password") + " to " +
                                       hostOf(a.url) + " without TLS: use required, or " + prefix +
                                       "s:// (only a loopback address may be used without TLS)");
}

ServerAccount account(const RawSettings& raw, const std::string& prefix) {
    ServerAccount a;
    a.url = raw.get(prefix + ".url");
    a.user = raw.get(prefix + ".user");
    a.auth = authMethod(raw, prefix + ".auth");
    a.passwordFile = raw.get(prefix + ".password_file");
    readOAuth(raw, prefix, a);
    a.startTls = raw.tls(prefix + ".starttls");
    a.caFile = raw.get(prefix + ".ca_file");
    a.timeout = raw.seconds(prefix + ".timeout");
    if (!a.url.empty() && !a.url.starts_with(prefix + "://") && !a.url.starts_with(prefix + "s://"))
        raw.fail(prefix + ".url", "expected " + prefix + "://host[:port] or " + prefix + "s://host[:port]");
    checkCredentials(raw, prefix, a);
    checkTransportSecurity(raw, prefix, a);
    return a;
}

// "X-Spam-Flag: YES, X-Spam-Status: Yes" as header and value pairs.
std::vector<parsers::SpamMark> spamMarks(const RawSettings& raw, const std::string& key) {
    std::vector<parsers::SpamMark> marks;
    for (const auto& item : raw.list(key)) {
        const auto colon = item.find(':');
        std::string header = item.substr(0, colon);
        header.erase(header.find_last_not_of(" \t") + 1);
        std::string value = colon == std::string::npos ? "" : item.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        if (header.empty() || value.empty() || header.find_first_of(" \t") != std::string::npos)
            raw.fail(key, "expected HEADER: VALUE items separated by commas, e.g. X-Spam-Flag: YES");
        marks.push_back({header, value});
    }
    return marks;
}

Settings typed(const RawSettings& raw) {
    Settings s;
    s.stateDir = raw.get("state_dir");
    s.databasePath = raw.orDerived("database", s.stateDir + "/complaintd.sqlite");
    s.pollInterval = raw.seconds("poll_interval");
    s.cycleSeconds = raw.seconds("cycle_seconds");
    s.dropEnabled = raw.flag("drop.enabled");
    s.dropDir = raw.orDerived("drop.dir", s.stateDir + "/drop");
    s.dropProcessedDir = raw.orDerived("drop.processed_dir", s.dropDir + "/processed");
    s.faxDropEnabled = raw.flag("fax.drop_enabled");
    s.faxDropDir = raw.orDerived("fax.drop_dir", s.stateDir + "/fax-drop");
    s.faxDropProcessedDir = raw.orDerived("fax.drop_processed_dir", s.faxDropDir + "/processed");
    s.faxImapFolder = raw.get("fax.imap_folder");
    s.faxGatewaysFile = raw.get("fax.gateways_file");
    s.faxReplyGateway = raw.get("fax.reply_gateway");
    s.ocrEnabled = raw.flag("fax.ocr");
    s.ocrLanguages = raw.get("fax.ocr_languages");
    s.tessdataDir = raw.get("fax.tessdata_dir");
    s.ocrDpi = raw.integer<int>("fax.ocr_dpi");
    s.ocrLowConfidence = raw.integer<int>("fax.ocr_low_confidence");
    s.ocrMaxPages = raw.integer<int>("fax.ocr_max_pages");
    s.ocrCpuSeconds = raw.seconds("fax.ocr_cpu_seconds");
    s.ocrMemoryMb = raw.integer<std::size_t>("fax.ocr_memory_mb");
    s.ocrTimeout = raw.seconds("fax.ocr_timeout");
    s.imap = account(raw, "imap");
    s.imapFolder = raw.get("imap.folder");
    s.imapProcessedFolder = raw.get("imap.processed_folder");
    s.imapIdle = raw.flag("imap.idle");
    s.imapIdleRefresh = raw.seconds("imap.idle_refresh");
    if (s.imapFolder.empty() || s.imapProcessedFolder.empty() || s.imapFolder == s.imapProcessedFolder)
        raw.fail("imap.processed_folder", "needs a folder name different from imap.folder");
    s.smtp = account(raw, "smtp");
    s.outboxDir = raw.orDerived("outbox.dir", s.stateDir + "/outbox");
    s.retryInitial = raw.seconds("outbox.retry_initial");
    s.retryMax = raw.seconds("outbox.retry_max");
    s.giveUpAfter = raw.seconds("outbox.give_up_after");
    s.centerName = raw.get("center.name");
    s.centerAddress = raw.get("center.address");
    s.centerPhone = raw.get("center.phone");
    s.centerEmail = raw.get("center.email");
    s.centerFax = raw.get("center.fax");
    s.documentNumberPattern = raw.get("center.document_number");
    if (const auto problem = cases::documentNumberPatternProblem(s.documentNumberPattern))
        raw.fail("center.document_number", *problem);
    if (!templates::isPlainAddress(s.centerEmail)) raw.fail("center.email", "expected an address like name@domain");
    s.webBaseUrl = raw.get("web.base_url");
    if (!s.webBaseUrl.empty() && !s.webBaseUrl.starts_with("https://") && !s.webBaseUrl.starts_with("http://"))
        raw.fail("web.base_url", "expected https://host[/path] (or http://), or empty");
    while (s.webBaseUrl.ends_with('/')) s.webBaseUrl.pop_back();
    s.mailDomain = s.centerEmail.substr(s.centerEmail.find('@') + 1);
    s.dispositions.ownDomain = s.mailDomain;
    s.unitsFile = raw.get("routing.units_file");
    s.rulesFile = raw.get("routing.rules_file");
    s.referralsFile = raw.get("routing.referrals_file");
    s.intakeUnit = raw.get("routing.intake_unit");
    s.templatesDir = raw.get("templates.dir");
    s.deadlines.targetDays = raw.integer<int>("deadlines.target_days");
    s.deadlines.legalDays = raw.integer<int>("deadlines.legal_days");
    const auto& counting = raw.get("deadlines.counting");
    if (counting != "calendar" && counting != "working") raw.fail("deadlines.counting", "expected calendar or working");
    s.deadlines.counting = counting == "working" ? cases::DayCounting::Working : cases::DayCounting::Calendar;
    s.holidaysFile = raw.get("deadlines.holidays_file");
    s.reminderDays = raw.integers("deadlines.reminder_days");
    s.delayNoticeDays = raw.integer<int>("deadlines.delay_notice_days");
    s.dispositions.minimumContentCharacters = raw.integer<std::size_t>("dispositions.minimum_content");
    s.dispositions.repeatSimilarity = raw.fraction("dispositions.repeat_similarity");
    s.dispositions.agencyDomains = raw.list("dispositions.agency_domains");
    s.limits.maxMessageBytes = raw.integer<std::size_t>("limits.message_bytes");
    s.limits.maxHeaderBytes = raw.integer<std::size_t>("limits.header_bytes");
    s.limits.maxMimeDepth = raw.integer<int>("limits.mime_depth");
    s.limits.maxParts = raw.integer<int>("limits.parts");
    s.limits.maxLineBytes = raw.integer<std::size_t>("limits.line_bytes");
    s.limits.maxAttachmentBytes = raw.integer<std::size_t>("limits.attachment_bytes");
    s.summaryCharacters = raw.integer<std::size_t>("case.summary_characters");
    s.autoLettersPerDay = raw.integer<int>("mail.auto_letters_per_day");
    s.autoLettersPerDomainHour = raw.integer<int>("mail.auto_letters_per_domain_hour");
    s.autoLettersPerHour = raw.integer<int>("mail.auto_letters_per_hour");
    s.autoLetterSubjectCharacters = raw.integer<std::size_t>("mail.auto_letter_subject_characters");
    s.authservId = raw.get("mail.authserv_id");
    if (const auto form = raw.get("mail.authserv_id_form"); form == "microsoft365")
        s.authservIdForm = parsers::AuthservIdForm::AlsoAfterFirstResult;
    else if (form != "rfc8601")
        raw.fail("mail.authserv_id_form", "expected rfc8601 or microsoft365");
    s.spamMarks = spamMarks(raw, "intake.spam_headers");
    s.logLevel = raw.get("log.level");
    static const std::vector<std::string> kLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(kLevels.begin(), kLevels.end(), s.logLevel) == kLevels.end())
        raw.fail("log.level", "expected trace, debug, info, warn, error, critical or off");
    return s;
}

}  // namespace

Bounds boundsOf(const std::string& key) {
    for (const auto& declared : settingKeys())
        if (declared.name == key && declared.bounds) return *declared.bounds;
    throw std::logic_error("setting " + key + " has no declared bounds");
}

const std::vector<SettingKey>& settingKeys() {
    constexpr long long kDay = 86400;
    // SQLite's largest string or BLOB (SQLITE_MAX_LENGTH): a message or attachment is stored as one.
    constexpr long long kSqliteMaxBytes = 1'000'000'000;
    static const std::vector<SettingKey> keys{
        {"state_dir", "var", "Folder for the database, the drop folder and outbox files, unless set one by one."},
        {"database", "", "SQLite database file. Empty: STATE_DIR/complaintd.sqlite."},
        {"poll_interval", "60", "Seconds between two intake cycles.", Bounds{1, kDay}},
        {"cycle_seconds", "120",
         "Seconds after which a cycle takes no more mail: what it took is committed, the letters and deadlines get "
         "their turn, and the rest comes next cycle.",
         Bounds{1, 3600}},
        {"drop.enabled", "yes", "Read *.eml files from the drop folder (yes/no)."},
        {"drop.dir", "",
         "Drop folder: every *.eml (any case) put here is ingested; links, FIFOs, hard-linked and oversized "
         "files are moved to DROP_DIR/rejected unread. Empty: STATE_DIR/drop."},
        {"drop.processed_dir", "", "Where ingested drop files are moved. Empty: DROP_DIR/processed."},
        {"fax.drop_enabled", "yes", "Read *.eml files written by a fax gateway from the fax drop folder (yes/no)."},
        {"fax.drop_dir", "",
         "Fax drop folder: every *.eml here opens a fax case; refused files go to FAX_DROP_DIR/rejected. Empty: "
         "STATE_DIR/fax-drop."},
        {"fax.drop_processed_dir", "", "Where ingested fax drop files are moved. Empty: FAX_DROP_DIR/processed."},
        {"fax.imap_folder", "", "IMAP folder (on the imap.* account) a fax gateway delivers to. Empty: none."},
        {"fax.gateways_file", kDataDir + "/fax/gateways.conf",
         "Fax gateway mail formats: how to find the sender's number, pages and time (docs/fax.md)."},
        {"fax.reply_gateway", "",
         "E-mail-to-fax address pattern for letters to fax complainants, e.g. "
         "{number}@fax.example.tw. Empty: such cases are answered by post or phone."},
        {"fax.ocr", "yes",
         "Read the pages of fax cases by OCR (yes/no). no: fax cases open and wait at the intake desk; their "
         "OCR runs when a later run has it on."},
        {"fax.ocr_languages", "chi_tra+eng", "Tesseract languages for the fax pages."},
        {"fax.tessdata_dir", "/usr/share/tesseract-ocr/5/tessdata", "Where Tesseract's language data is."},
        {"fax.ocr_dpi", "200", "Resolution PDF pages are rendered at for OCR.",
         Bounds{fax::kOcrDpi.minimum, fax::kOcrDpi.maximum}},
        {"fax.ocr_low_confidence", "70", "Mean word confidence (0-100) below which a page needs a manual summary.",
         Bounds{fax::kOcrConfidence.minimum, fax::kOcrConfidence.maximum}},
        {"fax.ocr_max_pages", "20", "Pages of one fax read at most; the rest are counted, not read.",
         Bounds{fax::kOcrMaxPages.minimum, fax::kOcrMaxPages.maximum}},
        {"fax.ocr_cpu_seconds", "120",
         "CPU seconds the OCR helper process may use for one fax (RLIMIT_CPU); over it, the fax waits at the "
         "intake desk for a manual summary.",
         Bounds{1, kDay}},
        {"fax.ocr_memory_mb", "1024",
         "Address space in MB the OCR helper process may use for one fax (RLIMIT_AS, Tesseract's models "
         "included; at least 128).",
         Bounds{128, 1 << 20}},
        {"fax.ocr_timeout", "300", "Seconds of wall-clock time after which the OCR helper process is killed.",
         Bounds{1, kDay}},
        {"imap.url", "", "IMAP server, imap://host[:port] or imaps://host[:port]. Empty: no IMAP intake."},
        {"imap.user", "", "IMAP login name."},
        {"imap.auth", "password",
         "How to log in to IMAP: password (imap.password_file) or xoauth2 (an OAuth2 access token from "
         "imap.token_file or imap.token_command; Microsoft 365, Gmail)."},
        {"imap.password_file", "", "File holding the IMAP password (one line). " + std::string(kCredentialRule)},
        {"imap.token_file", "", "xoauth2: " + std::string(kTokenFileText)},
        {"imap.token_command", "", "xoauth2: " + std::string(kTokenCommandText) + " Killed after imap.timeout."},
        {"imap.refresh_token_expires", "", "xoauth2: " + std::string(kRefreshExpiresText)},
        {"imap.refresh_warn_days", "14", "Days before imap.refresh_token_expires from which it is warned of.",
         Bounds{0, 365}},
        {"imap.starttls", "required",
         "STARTTLS on imap:// URLs: required, optional or off (imaps:// is always TLS). With a password or token, only "
         "required unless the host is a loopback address."},
        {"imap.ca_file", "", "CA bundle to verify the IMAP server's certificate. Empty: the system's."},
        {"imap.timeout", "60",
         "Seconds of lack of progress after which an IMAP operation is abandoned: fewer than 1 KiB a second "
         "moved for this long (a large message on a slow line is not cut off; connecting has this long too).",
         Bounds{1, 3600}},
        {"imap.folder", "INBOX", "Folder complaints arrive in."},
        {"imap.processed_folder", "Processed",
         "Folder ingested messages are moved to (created if missing), also messages over limits.message_bytes, "
         "whose header alone was taken."},
        {"imap.idle", "yes",
         "Push intake: wait in IMAP IDLE on each IMAP folder and start a cycle as soon as mail arrives "
         "(poll_interval still applies as a fallback, and alone when the server has no IDLE)."},
        {"imap.idle_refresh", "1740", "Seconds before an IDLE is ended and issued again (at most 1740, 29 minutes).",
         Bounds{1, 1740}},
        {"smtp.url", "",
         "SMTP server, smtp://host[:port] or smtps://host[:port]. Empty: letters are written "
         "as .eml files to OUTBOX_DIR instead."},
        {"smtp.user", "", "SMTP login name. Empty: no authentication."},
        {"smtp.auth", "password",
         "How to log in to SMTP: password (smtp.password_file) or xoauth2 (an OAuth2 access token from "
         "smtp.token_file or smtp.token_command; Microsoft 365, Gmail)."},
        {"smtp.password_file", "", "File holding the SMTP password (one line). " + std::string(kCredentialRule)},
        {"smtp.token_file", "", "xoauth2: " + std::string(kTokenFileText)},
        {"smtp.token_command", "", "xoauth2: " + std::string(kTokenCommandText) + " Killed after smtp.timeout."},
        {"smtp.refresh_token_expires", "", "xoauth2: " + std::string(kRefreshExpiresText)},
        {"smtp.refresh_warn_days", "14", "Days before smtp.refresh_token_expires from which it is warned of.",
         Bounds{0, 365}},
        {"smtp.starttls", "required",
         "STARTTLS on smtp:// URLs: required, optional or off. With a password or token, only required unless "
         "the host is a loopback address."},
        {"smtp.ca_file", "", "CA bundle to verify the SMTP server's certificate. Empty: the system's."},
        {"smtp.timeout", "60",
         "Seconds of lack of progress after which an SMTP delivery attempt is abandoned: fewer than 1 KiB a "
         "second taken by the server for this long (connecting has this long too; an answer, as the 250 after "
         "the data, this plus 32 s, the kernel's send buffer at that rate).",
         Bounds{1, 3600}},
        {"outbox.dir", "", "Where letters are written as .eml files when smtp.url is empty. Empty: STATE_DIR/outbox."},
        {"outbox.retry_initial", "60", "Seconds before the first retry of a letter the server did not accept.",
         Bounds{1, kDay}},
        {"outbox.retry_max", "3600", "Longest wait between retries (the wait doubles up to this).",
         Bounds{1, 7 * kDay}},
        {"outbox.give_up_after", "432000", "Seconds after which an undelivered letter is marked failed (5 days).",
         Bounds{1, 365 * kDay}},
        {"center.name", "樹谷園區服務中心", "The center's name in letters."},
        {"center.address", "台南縣新市鄉紫楝路21號", "The center's postal address in letters."},
        {"center.phone", kPlaceholderPhone,
         "The center's phone number in letters. The default is a placeholder: complaintd and complaintctl status "
         "warn while it is set."},
        {"center.email", "complaints@shugu.example", "Sender address of letters; its domain names Message-IDs."},
        {"center.fax", "", "The center's fax number in letters and on the survey form. Empty: none printed."},
        {"center.document_number", "樹谷服字第{roc_year}{seq:05}號",
         "發文字號 of reply letters: {roc_year} is the ROC year of the sign-off, {seq} (or {seq:05}, zero-padded) "
         "the letter's number in that year, counted in the database from 1 each year."},
        {"web.base_url", "",
         "Address of the staff web console, e.g. https://complaints.shugu.example; a unit's notice links to "
         "BASE/cases/NUMBER. Empty: notices carry no link."},
        {"routing.units_file", kDataDir + "/routing/units.conf", "Units file (handling units and their addresses)."},
        {"routing.rules_file", kDataDir + "/routing/rules.conf", "Routing rules file (keywords -> unit, category)."},
        {"routing.referrals_file", kDataDir + "/routing/referrals.conf",
         "Competent authorities for complaints outside the center's remit (rules name them with referral =)."},
        {"routing.intake_unit", "intake", "Unit id of the general intake desk (總收文) that gets unmatched cases."},
        {"templates.dir", kDataDir + "/templates/letters",
         "Folder of the letter templates (acknowledgement, referral, reply, reminder, delay-notice .txt)."},
        {"deadlines.target_days", "7", "Days the unit has to act on or answer a case (承辦單位七天辦理或回覆).",
         Bounds{1, 365}},
        {"deadlines.legal_days", "30", "Legal limit for the formal answer, in days.", Bounds{1, 365}},
        {"deadlines.counting", "calendar", "Count deadlines in calendar days or working days (calendar/working)."},
        {"deadlines.holidays_file", kDataDir + "/cases/holidays-tw.conf",
         "Government holidays and make-up working days, used when deadlines.counting = working."},
        {"deadlines.reminder_days", "2,0",
         "Remind the unit when this many days remain to the target (comma list; "
         "0 = on the day, negative = overdue). Once per case and threshold.",
         Bounds{-365, 365}},
        {"deadlines.delay_notice_days", "3",
         "Days before the legal limit at which an unanswered case's complainant "
         "is sent the delay notice, with the reason staff entered.",
         Bounds{0, 365}},
        {"dispositions.minimum_content", "10",
         "Characters of summary below which reason 1 (no concrete content) "
         "is suggested.",
         Bounds{0, 10000}},
        {"dispositions.repeat_similarity", "0.6",
         "Text similarity (0-1) to an answered earlier case of the same "
         "complainant at which reason 2 is suggested."},
        {"dispositions.agency_domains", "*.gov.tw",
         "Domains of other agencies (comma list); a complaint also sent "
         "to them suggests reason 4."},
        {"limits.message_bytes", "26214400",
         "Largest message accepted whole; larger ones are quarantined (a larger drop file is moved to "
         "rejected/ unread; a larger IMAP message, by its RFC822.SIZE, from its header alone, never downloaded "
         "whole, and moved to imap.processed_folder).",
         Bounds{1024, kSqliteMaxBytes}},
        {"limits.header_bytes", "1048576", "Largest header block; larger ones are quarantined.",
         Bounds{1024, kSqliteMaxBytes}},
        {"limits.mime_depth", "20", "Deepest MIME nesting read; deeper parts are skipped with a defect.",
         Bounds{1, 100}},
        {"limits.parts", "500", "Most MIME parts read; further parts are skipped with a defect.", Bounds{1, 100000}},
        {"limits.line_bytes", "65536",
         "Longest text line kept whole; longer lines are broken (a subject cut), "
         "with a defect.",
         Bounds{80, kSqliteMaxBytes}},
        {"limits.attachment_bytes", "20971520",
         "Largest attachment stored on its own; a larger one is listed "
         "without its data (the raw message keeps it), with a defect.",
         Bounds{1024, kSqliteMaxBytes}},
        {"case.summary_characters", "200", "Characters of the body kept as the case summary.", Bounds{20, 10000}},
        {"mail.auto_letters_per_day", "1",
         "Most automatic letters (acknowledgement, referral) to one mailbox in 24 hours (case, +tags and "
         "Gmail dots ignored); more complaints still open cases, their letters are held for staff.",
         Bounds{0, 1000000}},
        {"mail.auto_letters_per_domain_hour", "20",
         "Most automatic letters to addresses of one domain in an hour; beyond it letters are held for staff.",
         Bounds{0, 1000000}},
        {"mail.auto_letters_per_hour", "60",
         "Most automatic letters to anyone in an hour; beyond it letters are held for staff.", Bounds{0, 1000000}},
        {"mail.auto_letter_subject_characters", "60",
         "Characters of the complaint's subject quoted in automatic letters (one line, cut with …).", Bounds{10, 998}},
        {"mail.authserv_id", "",
         "authserv-id of the center's own receiving server in Authentication-Results (RFC 8601). Set: only "
         "those fields are believed; automatic letters go only to senders passing DMARC or aligned SPF/DKIM "
         "(others are held), and follow-ups and survey answers from others are flagged for review. "
         "Empty: not checked."},
        {"mail.authserv_id_form", "rfc8601",
         "Where mail.authserv_id is looked for: rfc8601, in front of the results (Postfix with OpenDKIM/"
         "OpenDMARC, rspamd); microsoft365, also after the first result, as Exchange Online writes it. Only "
         "when all mail reaches the mailbox through Exchange Online: filters that remove forged fields read "
         "the id in front only, so a sender can forge the other form."},
        {"intake.spam_headers", "X-Spam-Flag: YES, X-Spam-Status: Yes",
         "Headers the receiving server writes on spam, as HEADER: VALUE (comma list; the value matches "
         "the start of the header's value). Such mail gets no case number and no letter: it waits in "
         "complaintctl spam list to be released or left. Anyone can write these headers; the only "
         "effect is that the message waits for review. Empty: nothing is held as spam."},
        {"log.level", "info", "trace, debug, info, warn, error, critical or off. Personal data only at debug."},
    };
    return keys;
}

LoadedSettings loadSettings(const std::optional<std::string>& file, const std::vector<std::string>& overrides) {
    RawSettings raw;
    if (file) readFile(*file, raw);
    for (const auto& assignment : overrides) applyOverride(assignment, raw);
    return {typed(raw), raw.effective()};
}

std::vector<std::string> placeholderWarnings(const Settings& settings) {
    std::vector<std::string> warnings;
    if (settings.centerPhone == kPlaceholderPhone)
        warnings.push_back("center.phone is the placeholder " + std::string(kPlaceholderPhone) +
                           ": every letter gives it as the center's phone; set the real number");
    return warnings;
}

std::optional<std::string> refreshTokenWarning(const ServerAccount& account, const std::string& keyPrefix,
                                               cases::Date today) {
    if (account.url.empty() || account.auth != AuthMethod::XOAuth2 || !account.refreshTokenExpires) return std::nullopt;
    const int left = cases::daysUntil(today, *account.refreshTokenExpires);
    if (left > account.refreshWarnDays) return std::nullopt;
    const std::string when = left < 0    ? "expired " + std::to_string(-left) + " day(s) ago"
                             : left == 0 ? "expires today"
                                         : "expires in " + std::to_string(left) + " day(s)";
    return keyPrefix + ".refresh_token_expires = " + cases::formatDate(*account.refreshTokenExpires) +
           ": the OAuth2 refresh token behind " + keyPrefix + ".token_command " + when +
           "; sign in again for a new one, then update the date";
}

}  // namespace complaintd::center
