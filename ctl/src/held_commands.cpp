// complaintctl automated and complaintctl spam: the messages intake held instead of opening a
// case (mail_safety.h). Staff list them, read one (recorded), and release a real complaint into a
// case through the same path as a quarantined message (message_release.h). Everything printed
// from a message goes through printable(): no control character of a sender reaches the terminal.
#include <Poco/JSON/Array.h>

#include <ostream>
#include <variant>

#include "case_view.h"
#include "commands.h"
#include "message_release.h"

namespace complaintd::ctl {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at `i`, or 0.
std::size_t utf8Length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
    return length;
}

// C0 and C1 controls, DEL and invalid UTF-8 become U+FFFD; `keep` (e.g. "\n\t") stays.
std::string printable(std::string_view text, std::string_view keep) {
    std::string shown;
    shown.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto length = utf8Length(text, i);
        const bool control =
            c < 0x20 || c == 0x7F || (c == 0xC2 && length == 2 && static_cast<unsigned char>(text[i + 1]) < 0xA0);
        if (length == 0 || (control && keep.find(char(c)) == std::string_view::npos)) {
            shown += kReplacement;
            i += length ? length : 1;
            continue;
        }
        shown.append(text.substr(i, length));
        i += length;
    }
    return shown;
}

struct HeldView {
    daemon::HeldList list;
    std::string command;  // "automated" or "spam"
    std::string what;     // "automated message", "spam message"
};

std::string stateOf(const daemon::HeldMessage& held) {
    if (!held.releasedCase.empty()) return "released as " + held.releasedCase + " by " + held.releasedBy;
    if (!held.linkedCase.empty()) return "belongs to " + held.linkedCase;
    return "held";
}

// An auto-reply from a confidential complainant's address names them: shown like the case.
daemon::HeldNote shownNote(const daemon::HeldMessage& held) {
    if (!held.linkedConfidential) return held.note;
    return {held.note.kind, held.note.reason, "（密件）", ""};
}

void listHeld(const Context& ctx, const CommandLine& line, const HeldView& view) {
    auto list = ctx.store().heldMessages(view.list);
    for (auto& h : list) h.note = shownNote(h);
    if (line.flag("json")) {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& h : list) {
            Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            json->set("id", h.id);
            json->set("received_at", cases::formatIso8601(h.receivedAt));
            json->set("kind", h.note.kind);
            json->set("sender", h.note.sender);
            json->set("subject", h.note.subject);
            json->set("reason", h.note.reason);
            json->set("case", h.linkedCase);
            json->set("released_case", h.releasedCase);
            json->set("released_by", h.releasedBy);
            json->set("released_at", h.releasedAt ? cases::formatIso8601(*h.releasedAt) : std::string());
            array->add(json);
        }
        return printJson(ctx.out, array);
    }
    if (list.empty()) {
        ctx.out << (view.list == daemon::HeldList::Spam ? "No spam is held.\n" : "No automated mail is held.\n");
        return;
    }
    ctx.out << fitWidth("ID", 7) << fitWidth("RECEIVED", 18) << fitWidth("KIND", 12) << fitWidth("SENDER", 30)
            << fitWidth("REASON", 34) << "CASE\n";
    for (const auto& h : list) {
        auto received = cases::formatIso8601(h.receivedAt).substr(0, 16);
        received[10] = ' ';
        ctx.out << fitWidth(std::to_string(h.id), 7) << fitWidth(received, 18) << fitWidth(h.note.kind, 12)
                << fitWidth(printable(h.note.sender.empty() ? "-" : h.note.sender, ""), 30)
                << fitWidth(printable(h.note.reason, ""), 34) << stateOf(h) << "\n";
    }
}

daemon::HeldMessage requireHeld(daemon::Store& store, long long id, const HeldView& view) {
    const auto held = store.heldMessage(id);
    const bool spam = held && held->note.kind == "spam";
    if (!held || spam != (view.list == daemon::HeldList::Spam))
        throw NotFoundError("message " + std::to_string(id) + " is not held as " +
                            (view.list == daemon::HeldList::Spam ? "spam" : "automated mail") + " (complaintctl " +
                            view.command + " list)");
    return *held;
}

// The header block as it arrived and the text as intake read it; looking is recorded.
void showHeld(const Context& ctx, const CommandLine& line, const HeldView& view, long long id) {
    auto store = ctx.store();
    const auto held = requireHeld(store, id, view);
    if (held.linkedConfidential && !line.flag("reveal"))
        throw InvalidRequestError("message " + std::to_string(id) + " belongs to the confidential case " +
                                  held.linkedCase + ": complaintctl " + view.command + " show " + std::to_string(id) +
                                  " --reveal (recorded on the case)");
    if (held.linkedConfidential)
        store.audit(*cases::CaseNumber::parse(held.linkedCase), "revealed", actorOf(line),
                    line.option("reason").value_or(view.command + " show " + std::to_string(id) + " --reveal"),
                    ctx.now());
    const auto message = store.message(id);
    store.auditMessage(id, "shown", actorOf(line), view.command + " show", ctx.now());
    ctx.out << "Message " << id << "  held as " << held.note.kind << ": " << printable(held.note.reason, "") << "\n"
            << "  Received:  " << cases::formatIso8601(held.receivedAt) << "\n"
            << "  State:     " << stateOf(held) << "\n";
    const std::string_view raw = message->raw;
    auto headerEnd = raw.find("\n\r\n");
    if (const auto lf = raw.find("\n\n"); lf < headerEnd) headerEnd = lf;
    ctx.out << "Headers\n";
    std::string headers(raw.substr(0, headerEnd == std::string_view::npos ? raw.size() : headerEnd + 1));
    std::erase(headers, '\r');
    for (std::size_t pos = 0; pos < headers.size();) {
        const auto end = std::min(headers.find('\n', pos), headers.size());
        ctx.out << "  " << printable(std::string_view(headers).substr(pos, end - pos), "\t") << "\n";
        pos = end + 1;
    }
    ctx.out << "Text\n";
    const auto result = parsers::parseMessage(message->raw, ctx.settings().limits);
    if (const auto* parsed = std::get_if<parsers::ParsedMessage>(&result))
        ctx.out << printable(parsed->textBody, "\n\t") << "\n";
    else
        ctx.out << "  (not readable: " << std::get<parsers::ParseFailure>(result).reason << ")\n";
    ctx.out << "History\n";
    printHistory(ctx.out, store.messageHistory(id));
}

void releaseHeld(const Context& ctx, const CommandLine& line, const HeldView& view, long long id) {
    auto store = ctx.store();
    const auto held = requireHeld(store, id, view);
    const auto message = store.message(id);
    const auto draft = releaseDraft(
        ctx, line, *message,
        "來信無法自動解析，原件請以 complaintctl " + view.command + " show " + std::to_string(id) + " 查閱。");
    const auto number = store.releaseHeld(id, draft, ctx.now());
    printReleased(ctx, number, draft, view.what, id);
}

void heldCommand(const Context& ctx, const CommandLine& line, const HeldView& view) {
    const std::string usage = view.command + " list [--json] | show ID [--reveal] | release ID [--by NAME]";
    if (line.words.size() == 2 && line.words[1] == "list") return listHeld(ctx, line, view);
    if (line.words.size() != 3) throw UsageError("usage: complaintctl " + usage);
    const auto id = idArgument(line.words[2], "message");
    if (line.words[1] == "show") return showHeld(ctx, line, view, id);
    if (line.words[1] == "release") return releaseHeld(ctx, line, view, id);
    throw UsageError("usage: complaintctl " + usage);
}

}  // namespace

void automatedCommand(const Context& ctx, const CommandLine& line) {
    heldCommand(ctx, line, {daemon::HeldList::Automated, "automated", "automated message"});
}

void spamCommand(const Context& ctx, const CommandLine& line) {
    heldCommand(ctx, line, {daemon::HeldList::Spam, "spam", "spam message"});
}

}  // namespace complaintd::ctl
