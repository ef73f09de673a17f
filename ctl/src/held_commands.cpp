// complaintctl automated and complaintctl spam: the messages intake held instead of opening a
// case (mail_safety.h). Staff list them, read one (recorded), and release a real complaint into a
// case through the same path as a quarantined message (message_release.h). What is printed from
// a message reaches the terminal through complaintctl's TerminalSafeStream (terminal_text.h).
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <ostream>
#include <variant>

#include "case_view.h"
#include "commands.h"
#include "message_release.h"

namespace complaintd::ctl {
namespace {

// A table cell: one line, whatever the sender wrote (the stream makes the rest harmless).
std::string oneLine(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return text;
}

struct HeldView {
    center::HeldList list;
    std::string command;  // "automated" or "spam"
    std::string what;     // "automated message", "spam message"
};

std::string stateOf(const center::HeldMessage& held) {
    if (!held.releasedCase.empty()) return "released as " + held.releasedCase + " by " + held.releasedBy;
    if (!held.linkedCase.empty()) return "belongs to " + held.linkedCase;
    return "held";
}

// An auto-reply from a confidential complainant's address names them, and so does a message that
// asks for 密件 itself: shown like a confidential case.
center::HeldNote shownNote(const center::HeldMessage& held) {
    if (!held.confidential()) return held.note;
    return {held.note.kind, held.note.reason, "（密件）", "", true};
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
        ctx.out << (view.list == center::HeldList::Spam ? "No spam is held.\n" : "No automated mail is held.\n");
        return;
    }
    ctx.out << fitWidth("ID", 7) << fitWidth("RECEIVED", 18) << fitWidth("KIND", 12) << fitWidth("SENDER", 30)
            << fitWidth("REASON", 34) << "CASE\n";
    for (const auto& h : list) {
        auto received = cases::formatIso8601(h.receivedAt).substr(0, 16);
        received[10] = ' ';
        ctx.out << fitWidth(std::to_string(h.id), 7) << fitWidth(received, 18) << fitWidth(h.note.kind, 12)
                << fitWidth(oneLine(h.note.sender.empty() ? "-" : h.note.sender), 30)
                << fitWidth(oneLine(h.note.reason), 34) << stateOf(h) << "\n";
    }
}

center::HeldMessage requireHeld(center::Store& store, long long id, const HeldView& view) {
    const auto held = store.heldMessage(id);
    const bool spam = held && held->note.kind == "spam";
    if (!held || spam != (view.list == center::HeldList::Spam))
        throw NotFoundError("message " + std::to_string(id) + " is not held as " +
                            (view.list == center::HeldList::Spam ? "spam" : "automated mail") + " (complaintctl " +
                            view.command + " list)");
    return *held;
}

// The header block as it arrived and the text as intake read it; looking is recorded.
void showHeld(const Context& ctx, const CommandLine& line, const HeldView& view, long long id) {
    auto store = ctx.store();
    const auto held = requireHeld(store, id, view);
    const auto message = store.message(id);
    const auto result = parsers::parseMessage(message->raw, ctx.settings().limits);
    const auto* parsed = std::get_if<parsers::ParsedMessage>(&result);
    // Mail about a confidential case, or one that asks for confidentiality itself (密件).
    const bool confidential = held.confidential() || (parsed && parsed->contact.confidential);
    const auto how = view.command + " show " + std::to_string(id) + " --reveal";
    if (confidential && !line.flag("reveal"))
        throw InvalidRequestError("message " + std::to_string(id) +
                                  (held.linkedConfidential ? " belongs to the confidential case " + held.linkedCase
                                                           : std::string(" asks for confidentiality (密件)")) +
                                  ": complaintctl " + how + " (recorded)");
    // Held mail is the mail desk's; the mail of a confidential case is read by those who may reveal it.
    const auto linked = held.linkedConfidential ? cases::CaseNumber::parse(held.linkedCase) : std::nullopt;
    const auto person =
        actorFor(line, store, linked ? cases::StaffAction::Reveal : cases::StaffAction::MailDesk, linked);
    if (linked)
        store.audit(*linked, cases::EventKind::Revealed, person.id, line.option("reason").value_or(how), ctx.now());
    store.auditMessage(id, confidential ? cases::EventKind::Revealed : cases::EventKind::Shown, person.id,
                       confidential ? line.option("reason").value_or(how) : view.command + " show", ctx.now());
    ctx.out << "Message " << id << "  held as " << held.note.kind << ": " << oneLine(held.note.reason) << "\n"
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
        ctx.out << "  " << std::string_view(headers).substr(pos, end - pos) << "\n";
        pos = end + 1;
    }
    ctx.out << "Text\n";
    if (parsed)
        ctx.out << parsed->textBody << "\n";
    else
        ctx.out << "  (not readable: " << std::get<parsers::ParseFailure>(result).reason << ")\n";
    ctx.out << "History\n";
    printHistory(ctx.out, store.messageHistory(id));
}

void releaseHeld(const Context& ctx, const CommandLine& line, const HeldView& view, long long id) {
    Desk desk(ctx);
    auto& store = desk.store;
    const auto held = requireHeld(store, id, view);
    const auto message = store.message(id);
    const auto person = actorFor(line, store, cases::StaffAction::OpenCase);
    auto draft = releaseDraft(
        ctx, desk.book, person.id, *message,
        "來信無法自動解析，原件請以 complaintctl " + view.command + " show " + std::to_string(id) + " 查閱。");
    // Mail about a confidential case (an auto-reply quoting it) carries that complainant: it stays 密件.
    draft.fields.confidential = draft.fields.confidential || held.confidential();
    const auto number = store.releaseHeld(id, draft, ctx.now());
    printReleased(ctx, number, draft, view.what, id);
}

void heldCommand(const Context& ctx, const CommandLine& line, const HeldView& view) {
    const std::string usage = view.command + " list [--json] | show ID [--reveal] | release ID [--by ID]";
    if (line.words.size() == 2 && line.words[1] == "list") return listHeld(ctx, line, view);
    if (line.words.size() != 3) throw UsageError("usage: complaintctl " + usage);
    const auto id = idArgument(line.words[2], "message");
    if (line.words[1] == "show") return showHeld(ctx, line, view, id);
    if (line.words[1] == "release") return releaseHeld(ctx, line, view, id);
    throw UsageError("usage: complaintctl " + usage);
}

}  // namespace

void automatedCommand(const Context& ctx, const CommandLine& line) {
    heldCommand(ctx, line, {center::HeldList::Automated, "automated", "automated message"});
}

void spamCommand(const Context& ctx, const CommandLine& line) {
    heldCommand(ctx, line, {center::HeldList::Spam, "spam", "spam message"});
}

}  // namespace complaintd::ctl
