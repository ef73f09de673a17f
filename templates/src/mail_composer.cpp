#include "templates/mail_composer.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "cases/error.h"
#include "templates/letter_template.h"

namespace complaintd::templates {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Controls (CR, LF, NUL, ...) become spaces: nothing a complainant wrote can end a header line.
std::string singleLine(std::string_view text) {
    std::string line(text);
    std::replace_if(
        line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, ' ');
    return line;
}

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string base64(std::string_view bytes, int lineLength) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(lineLength);
    encoder.write(bytes.data(), std::streamsize(bytes.size()));
    encoder.close();
    return out.str();
}

std::size_t utf8SequenceLength(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

constexpr std::size_t kLineLength = 78;      // RFC 5322 2.1.1: lines SHOULD stay within 78 characters
constexpr std::size_t kNameCharacters = 64;  // a display name longer than this is cut (with …)

// Encoded words (RFC 2047 B, UTF-8) of at most 75 characters, never splitting a character.
std::vector<std::string> encodedWords(std::string_view utf8) {
    // "=?UTF-8?B?" + 60 base64 chars + "?=" = 72 characters: 45 bytes of text per word.
    constexpr std::size_t kBytesPerWord = 45;
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < utf8.size()) {
        std::size_t end = start;
        while (end < utf8.size()) {
            const std::size_t next = end + utf8SequenceLength(static_cast<unsigned char>(utf8[end]));
            if (next - start > kBytesPerWord) break;
            end = std::min(next, utf8.size());
        }
        words.push_back("=?UTF-8?B?" + base64(utf8.substr(start, end - start), 0) + "?=");
        start = end;
    }
    return words;
}

// "Name: " and the tokens, separated by spaces, folded (CRLF SP) before a token that would make
// the line longer than 78 characters. Unfolding gives back the tokens joined by single spaces.
std::string foldedField(std::string_view name, const std::vector<std::string>& tokens) {
    std::string out = std::string(name) + ":";
    std::size_t column = out.size();
    for (const auto& token : tokens) {
        if (column > name.size() + 1 && column + 1 + token.size() > kLineLength) {
            out += "\r\n";
            column = 0;
        }
        out += ' ';
        out += token;
        column += 1 + token.size();
    }
    return out;
}

// Unstructured text (a subject) as tokens: its ASCII words when each fits on a folded line,
// otherwise encoded words, which can be cut anywhere. A header line never grows past 78
// characters, whatever its length (a relay that hard-wraps long lines cannot make a header of it).
std::vector<std::string> textTokens(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) words.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    const bool plain = isAscii(text) && std::all_of(words.begin(), words.end(), [](const std::string& w) {
                           return w.size() < kLineLength - 1 && w.find("=?") == std::string::npos;
                       });
    return plain ? words : encodedWords(text);
}

std::vector<std::string> addressTokens(const MailAddress& mailbox) {
    if (!isPlainAddress(mailbox.address)) throw InvalidRequestError("not a plain e-mail address (local@domain)");
    const std::string name = quotedSubject(mailbox.name, kNameCharacters);
    if (name.empty()) return {mailbox.address};
    std::vector<std::string> tokens;
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    // A quoted string cannot be folded: one too long for a line goes as encoded words too.
    if (isAscii(name) && quoted.size() < kLineLength - 1)
        tokens.push_back(quoted);
    else
        tokens = encodedWords(name);
    tokens.push_back("<" + mailbox.address + ">");
    return tokens;
}

std::string formatDate(cases::Timestamp date) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(date.time_since_epoch()).count();
    constexpr int kTaipeiSeconds = 8 * 3600;  // letters are dated in the center's time zone
    const Poco::DateTime local(Poco::Timestamp(micros + Poco::Timestamp::TimeDiff(kTaipeiSeconds) * 1000000));
    return Poco::DateTimeFormatter::format(local, Poco::DateTimeFormat::RFC1123_FORMAT, kTaipeiSeconds);
}

// Message-IDs come from the complaint, so from anyone: only plausible ones are repeated (printable
// ASCII without spaces or brackets, at most 128 characters), and only the latest 10 references.
constexpr std::size_t kIdCharacters = 128;
constexpr std::size_t kReferences = 10;

bool isPlausibleId(std::string_view id) {
    return !id.empty() && id.size() <= kIdCharacters && std::all_of(id.begin(), id.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f && c != '<' && c != '>';
    });
}

std::string idList(const std::vector<std::string>& ids) {
    std::vector<std::string> kept;
    for (const auto& id : ids)
        if (isPlausibleId(id)) kept.push_back("<" + id + ">");
    if (kept.size() > kReferences) kept.erase(kept.begin(), kept.end() - kReferences);
    std::string list;
    for (const auto& id : kept) list += (list.empty() ? "" : "\r\n ") + id;
    return list;
}

std::string autoSubmittedValue(AutoSubmitted value) {
    switch (value) {
        case AutoSubmitted::AutoReplied:
            return "auto-replied";
        case AutoSubmitted::AutoGenerated:
            return "auto-generated";
        case AutoSubmitted::No:
            break;
    }
    return "no";
}

std::string crlfBody(std::string_view body) {
    std::string text;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r') continue;
        if (body[i] == '\n')
            text += kCrlf;
        else
            text += body[i];
    }
    if (!text.ends_with(kCrlf)) text += kCrlf;
    return text;
}

// Base64 with CRLF line ends (Poco writes LF).
std::string base64Lines(std::string_view bytes) {
    std::string lines;
    for (char c : base64(bytes, 76)) {
        if (c == '\n')
            lines += kCrlf;
        else if (c != '\r')
            lines += c;
    }
    if (!lines.ends_with(kCrlf)) lines += kCrlf;
    return lines;
}

// Headers and body of the UTF-8 text part (the whole body of a single-part message).
std::string textPart(std::string_view body) {
    return "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64Lines(crlfBody(body));
}

// RFC 2231 filename*=UTF-8''...: the name stays readable for every client that follows the RFC.
std::string encodedFilename(std::string_view name) {
    static const char* kHex = "0123456789ABCDEF";
    std::string encoded = "UTF-8''";
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_')
            encoded += char(c);
        else
            encoded += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return encoded;
}

std::string attachmentPart(const OutgoingAttachment& attachment) {
    const std::string type = singleLine(attachment.contentType);
    const std::string name = encodedFilename(singleLine(attachment.filename));
    return "Content-Type: " + type + "; name*=" + name + "\r\nContent-Disposition: attachment; filename*=" + name +
           "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64Lines(attachment.data);
}

}  // namespace

bool isPlainAddress(std::string_view address) {
    const auto at = address.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= address.size() || address.size() > 254) return false;
    if (address.find('@', at + 1) != std::string_view::npos) return false;
    return std::none_of(address.begin(), address.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '(' ||
               c == ')' || c == '\\';
    });
}

std::string encodeHeaderWords(std::string_view utf8) {
    if (isAscii(utf8)) return std::string(utf8);
    std::string encoded;
    for (const auto& word : encodedWords(utf8)) encoded += (encoded.empty() ? "" : "\r\n ") + word;
    return encoded;
}

std::string makeMessageId(std::string_view uniquePart, std::string_view domain) {
    return std::string(uniquePart) + "@" + std::string(domain);
}

std::string composeMail(const OutgoingMail& mail) {
    std::string out;
    auto header = [&out](std::string_view name, const std::string& value) {
        out.append(name).append(": ").append(value).append(kCrlf);
    };
    out.append(foldedField("From", addressTokens(mail.from))).append(kCrlf);
    out.append(foldedField("To", addressTokens(mail.to))).append(kCrlf);
    out.append(foldedField("Subject", textTokens(singleLine(mail.subject)))).append(kCrlf);
    header("Date", formatDate(mail.date));
    header("Message-ID", "<" + singleLine(mail.messageId) + ">");
    if (isPlausibleId(mail.inReplyTo)) header("In-Reply-To", "<" + mail.inReplyTo + ">");
    if (const auto references = idList(mail.references); !references.empty()) header("References", references);
    if (mail.autoSubmitted != AutoSubmitted::No) {
        header("Auto-Submitted", autoSubmittedValue(mail.autoSubmitted));
        // Exchange and Outlook answer neither with an out-of-office nor a read receipt (RFC 3834 in spirit).
        header("X-Auto-Response-Suppress", "All");
    }
    header("MIME-Version", "1.0");
    if (mail.attachments.empty()) {
        out += textPart(mail.body);
        return out;
    }
    const std::string boundary = "=_complaintd_" + base64(mail.messageId, 0).substr(0, 24);
    header("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
    out += kCrlf;
    out += "This is a MIME message.\r\n";
    out += "\r\n--" + boundary + "\r\n" + textPart(mail.body);
    for (const auto& attachment : mail.attachments) out += "\r\n--" + boundary + "\r\n" + attachmentPart(attachment);
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

}  // namespace complaintd::templates
