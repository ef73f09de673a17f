#include "message_headers.h"

#include <mimetic/header.h>

#include "address_list.h"
#include "charset_detection.h"
#include "header_fields.h"
#include "header_text.h"
#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr std::size_t kMaxQuotedDateLength = 80;
constexpr std::string_view kTextFields[] = {"From", "To", "Cc", "Subject"};

// One value for a field that may appear several times (two To fields).
std::optional<std::string> joinedValues(const mimetic::Header& header, std::string_view name) {
    const std::vector<std::string> values = fieldValues(header, name);
    if (values.empty()) return std::nullopt;
    std::string joined = values.front();
    for (std::size_t i = 1; i < values.size(); ++i) joined += ", " + values[i];
    return joined;
}

// The unlabelled 8-bit text of the fields people write in, for uchardet:
// together they say more about their charset than any one of them.
std::string eightBitSample(const mimetic::Header& header) {
    std::string sample;
    for (std::string_view name : kTextFields) {
        for (const std::string& value : fieldValues(header, name)) {
            if (!isValidUtf8(value)) sample += value + "\n";
        }
    }
    return sample;
}

class HeaderReader {
public:
    HeaderReader(const mimetic::Header& header, const std::string& hint, FromHeader from, const std::string& prefix,
                 std::vector<std::string>& defects)
        : header_(header),
          guesser_(CharsetGuesser::forUnlabelled(hint, eightBitSample(header))),
          from_(from),
          prefix_(prefix),
          defects_(defects) {}

    HeaderFields read() {
        HeaderFields fields;
        readFrom(fields);
        fields.to = addresses("To");
        fields.cc = addresses("Cc");
        readSubject(fields);
        readDate(fields);
        readThreadIds(fields);
        return fields;
    }

private:
    void defect(const std::string& text) { defects_.push_back(prefix_ + text); }

    void noteCharset(std::string_view field, const std::string& lossyCharset, const std::string& guessedCharset) {
        if (!lossyCharset.empty()) defect("undecodable bytes in " + std::string(field) + " (" + lossyCharset + ")");
        if (!guessedCharset.empty()) {
            defect("charset of " + std::string(field) + " guessed as " + guessedCharset +
                   " (8-bit text without a working charset)");
        }
    }

    std::vector<Mailbox> addresses(std::string_view name) {
        const std::optional<std::string> value = joinedValues(header_, name);
        if (!value) return {};
        AddressList list = parseAddressList(*value, &guesser_);
        noteCharset(asciiLower(name), list.lossy ? list.lossyCharset : "", list.guessedCharset);
        return std::move(list.mailboxes);
    }

    void readFrom(HeaderFields& fields) {
        const bool required = from_ == FromHeader::Required;
        if (!fieldValue(header_, "From")) {
            if (required) defect("missing From header");
            return;
        }
        std::vector<Mailbox> from = addresses("From");
        if (from.empty()) {
            if (required) defect("From header holds no address");
            return;
        }
        fields.from = std::move(from.front());
    }

    void readSubject(HeaderFields& fields) {
        HeaderText subject = decodeHeaderText(fieldValue(header_, "Subject").value_or(""), &guesser_);
        noteCharset("subject", subject.lossy ? subject.lossyCharset : "", subject.guessedCharset);
        fields.subject = std::string(trimWhitespace(subject.utf8));
    }

    void readDate(HeaderFields& fields) {
        const std::optional<std::string> value = fieldValue(header_, "Date");
        if (!value) return;
        fields.date = parseMailDate(*value);
        if (!fields.date)
            defect("unparseable Date header \"" + repairUtf8(value->substr(0, kMaxQuotedDateLength)) + "\"");
    }

    void readThreadIds(HeaderFields& fields) {
        const std::vector<std::string> messageIds = parseMessageIds(fieldValue(header_, "Message-ID").value_or(""));
        if (!messageIds.empty()) fields.messageId = messageIds.front();
        const std::vector<std::string> replyIds = parseMessageIds(fieldValue(header_, "In-Reply-To").value_or(""));
        if (!replyIds.empty()) fields.inReplyTo = replyIds.front();
        fields.references = parseMessageIds(fieldValue(header_, "References").value_or(""));
    }

    const mimetic::Header& header_;
    CharsetGuesser guesser_;
    FromHeader from_;
    const std::string& prefix_;
    std::vector<std::string>& defects_;
};

}  // namespace

HeaderFields readHeaderFields(const mimetic::Header& header, const std::string& hint, FromHeader from,
                              const std::string& defectPrefix, std::vector<std::string>& defects) {
    return HeaderReader(header, hint, from, defectPrefix, defects).read();
}

}  // namespace complaintd::parsers::detail
