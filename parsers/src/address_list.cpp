#include "address_list.h"

#include "header_text.h"
#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr int kMaxCommentDepth = 64;

// Collects the pieces of one mailbox while scanning.
struct MailboxDraft {
    std::string phrase;   // display name or bare address, quotes removed
    std::string angle;    // text inside <...>
    std::string comment;  // text of (...) comments, a fallback display name
    bool hasAngle = false;

    bool empty() const { return trimWhitespace(phrase).empty() && !hasAngle; }
};

class AddressScanner {
public:
    AddressScanner(std::string_view raw, const CharsetGuesser* guesser) : raw_(raw), guesser_(guesser) {}

    AddressList run() {
        while (pos_ < raw_.size()) step();
        finishMailbox();
        return std::move(result_);
    }

private:
    void step() {
        const char c = raw_[pos_++];
        switch (c) {
            case '"':
                readQuoted();
                break;
            case '(':
                readComment();
                break;
            case '<':
                readAngle();
                break;
            case ',':
                finishMailbox();
                break;
            case ';':
                finishMailbox();
                break;  // end of a group
            case ':':
                if (!draft_.hasAngle) draft_ = {};
                break;  // group name: dropped
            default:
                draft_.phrase += c;
                break;
        }
    }

    void readQuoted() {
        while (pos_ < raw_.size() && raw_[pos_] != '"') {
            if (raw_[pos_] == '\\' && pos_ + 1 < raw_.size()) ++pos_;
            draft_.phrase += raw_[pos_++];
        }
        ++pos_;  // closing quote (or past the end)
    }

    void readComment() {
        int depth = 1;
        std::string text;
        while (pos_ < raw_.size() && depth > 0) {
            const char c = raw_[pos_++];
            if (c == '\\' && pos_ < raw_.size()) {
                text += raw_[pos_++];
                continue;
            }
            if (c == '(' && depth < kMaxCommentDepth) ++depth;
            if (c == ')') --depth;
            if (depth > 0) text += c;
        }
        if (!draft_.comment.empty()) draft_.comment += ' ';
        draft_.comment += text;
    }

    void readAngle() {
        const std::size_t close = raw_.find('>', pos_);
        const std::size_t end = close == std::string_view::npos ? raw_.size() : close;
        draft_.angle = std::string(raw_.substr(pos_, end - pos_));
        draft_.hasAngle = true;
        pos_ = end == raw_.size() ? end : end + 1;
    }

    void finishMailbox();
    void addMailbox(std::string_view rawName, std::string_view address);

    std::string_view raw_;
    const CharsetGuesser* guesser_;
    std::size_t pos_ = 0;
    MailboxDraft draft_;
    AddressList result_;
};

// Removes an obsolete source route ("@relay1,@relay2:user@host") and blanks.
std::string cleanAddress(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (!text.empty() && text.front() == '@' && colon != std::string_view::npos) text.remove_prefix(colon + 1);
    std::string out;
    for (char c : text) {
        if (!isMailWhitespace(c)) out += c;
    }
    return out;
}

void AddressScanner::finishMailbox() {
    MailboxDraft draft = std::move(draft_);
    draft_ = {};
    if (draft.empty()) return;
    const std::string_view phrase = trimWhitespace(draft.phrase);
    if (draft.hasAngle) {
        addMailbox(phrase.empty() ? std::string_view(draft.comment) : phrase, draft.angle);
        return;
    }
    // No angle brackets: "a@b (Name)", or the sloppy "Name a@b".
    const std::size_t lastSpace = phrase.find_last_of(" \t");
    if (lastSpace != std::string_view::npos && phrase.substr(lastSpace + 1).find('@') != std::string_view::npos) {
        addMailbox(phrase.substr(0, lastSpace), phrase.substr(lastSpace + 1));
    } else {
        addMailbox(draft.comment, phrase);
    }
}

void AddressScanner::addMailbox(std::string_view rawName, std::string_view address) {
    HeaderText name = decodeHeaderText(trimWhitespace(rawName), guesser_);
    if (name.lossy && !result_.lossy) result_.lossyCharset = name.lossyCharset;
    if (result_.guessedCharset.empty()) result_.guessedCharset = name.guessedCharset;
    result_.lossy |= name.lossy;
    Mailbox mailbox{std::string(trimWhitespace(name.utf8)), repairUtf8(cleanAddress(address))};
    if (mailbox.name.empty() && mailbox.address.empty()) return;
    result_.mailboxes.push_back(std::move(mailbox));
}

}  // namespace

AddressList parseAddressList(std::string_view raw, const CharsetGuesser* guesser) {
    return AddressScanner(raw, guesser).run();
}

}  // namespace complaintd::parsers::detail
