// Reading everything that arrived for a case: `messages CASE` (every message with its whole
// decoded text), `message ID` (one), `attachment CASE N --output FILE` (an attachment or a
// fax page as it was sent). Each look is recorded on the message's history; the messages of a
// confidential case need --reveal by one who may reveal it, recorded on the case.
#include <filesystem>
#include <ostream>

#include "case_view.h"
#include "commands.h"
#include "output_file.h"
#include "parsers/mime_parser.h"

namespace complaintd::ctl {
namespace {

std::string mailboxText(const parsers::Mailbox& m) {
    if (m.name.empty()) return m.address;
    return m.name + (m.address.empty() ? "" : " <" + m.address + ">");
}

// Who may read the case's messages: anyone registered; a confidential case's, with --reveal,
// one who may reveal it (recorded on the case).
cases::StaffMember readerOf(const Context& ctx, const CommandLine& line, center::Store& store,
                            const cases::CaseRecord& record, const std::string& what) {
    if (!record.fields.confidential) return actingPerson(line, store);
    if (!line.flag("reveal"))
        throw InvalidRequestError(record.fields.number.toString() + " is confidential (密件): " + what +
                                  " names the complainant; add --reveal [--reason TEXT] (it is recorded)");
    const auto person = actorFor(line, store, cases::StaffAction::Reveal, record.fields.number);
    store.audit(record.fields.number, cases::EventKind::Revealed, person.id,
                line.option("reason").value_or(what + " --reveal"), ctx.now());
    return person;
}

// One message as staff read it; `firstAttachment` numbers its attachments within the case.
void printMessage(const Context& ctx, const center::CaseMessage& m, const parsers::ParseResult& result,
                  int firstAttachment) {
    ctx.out << "Message " << m.id << "  " << m.kind << (m.flagged ? " (from another sender)" : "") << ", "
            << cases::idOf(m.channel) << ", received " << cases::formatIso8601(m.receivedAt) << "\n";
    const auto* parsed = std::get_if<parsers::ParsedMessage>(&result);
    if (!parsed) {
        ctx.out << "  (not readable: " << std::get<parsers::ParseFailure>(result).reason << "; complaintctl message "
                << m.id << " --output FILE saves it as it arrived)\n\n";
        return;
    }
    ctx.out << "  From:     " << mailboxText(parsed->from) << "\n"
            << "  Subject:  " << parsed->subject << "\n";
    if (parsed->date) ctx.out << "  Date:     " << cases::formatIso8601(*parsed->date) << "\n";
    int n = firstAttachment;
    for (const auto& a : parsed->attachments)
        ctx.out << "  Attachment " << n++ << ": " << a.filename << " (" << a.contentType << ", " << a.data.size()
                << " bytes" << (a.overLimit ? ", over the size limit: in the raw message only" : "") << ")\n";
    for (const auto& f : parsed->forwarded)
        ctx.out << "  Forwarded: from " << mailboxText(f.from) << ", subject " << f.subject << "\n";
    ctx.out << "\n" << parsed->textBody << "\n";
    for (const auto& f : parsed->forwarded) ctx.out << "\n--- forwarded message ---\n" << f.textBody << "\n";
    ctx.out << "\n";
}

int attachmentCount(const parsers::ParseResult& result) {
    const auto* parsed = std::get_if<parsers::ParsedMessage>(&result);
    return parsed ? int(parsed->attachments.size()) : 0;
}

}  // namespace

void messagesCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "messages CASE [--reveal [--reason TEXT]]");
    const auto number = caseNumberArgument(line.words[1]);
    auto store = ctx.store();
    const auto record = requireCase(store, number);
    const auto person = readerOf(ctx, line, store, record, "messages " + number.toString());
    const auto messages = store.caseMessages(number);
    ctx.out << number.toString() << ": " << messages.size() << " message" << (messages.size() == 1 ? "" : "s")
            << "\n\n";
    int attachment = 1;
    for (const auto& m : messages) {
        const auto parsed = parsers::parseMessage(store.message(m.id)->raw, ctx.settings().limits);
        printMessage(ctx, m, parsed, attachment);
        attachment += attachmentCount(parsed);
        store.auditMessage(m.id, cases::EventKind::Shown, person.id, "messages " + number.toString(), ctx.now());
    }
}

void messageCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "message ID [--output FILE] [--reveal [--reason TEXT]]");
    const auto id = idArgument(line.words[1], "message");
    auto store = ctx.store();
    const auto place = store.messagePlace(id);
    if (!place) throw NotFoundError("no message " + std::to_string(id));
    if (!place->caseNumber)
        throw NotFoundError("message " + std::to_string(id) + " belongs to no case: complaintctl quarantine, " +
                            "automated or spam show " + std::to_string(id) + " reads it");
    const auto record = requireCase(store, *place->caseNumber);
    const auto person = readerOf(ctx, line, store, record, "message " + std::to_string(id));
    const auto messages = store.caseMessages(*place->caseNumber);
    int attachment = 1;
    for (const auto& m : messages) {
        const auto stored = store.message(m.id);
        if (m.id != id) {
            attachment += attachmentCount(parsers::parseMessage(stored->raw, ctx.settings().limits));
            continue;
        }
        store.auditMessage(id, cases::EventKind::Shown, person.id,
                           line.option("output") ? "message --output" : "message", ctx.now());
        if (const auto file = line.option("output")) {
            writeNewFile(ctx, *file, stored->raw, "the message as it arrived");
            return;
        }
        ctx.out << record.fields.number.toString() << "\n";
        return printMessage(ctx, m, parsers::parseMessage(stored->raw, ctx.settings().limits), attachment);
    }
    throw NotFoundError("message " + std::to_string(id) + " is not among the messages of " +
                        record.fields.number.toString());
}

void attachmentCommand(const Context& ctx, const CommandLine& line) {
    const std::string usage = "attachment CASE N --output FILE [--reveal [--reason TEXT]]";
    expectWords(line, 3, usage);
    const auto number = caseNumberArgument(line.words[1]);
    const auto wanted = idArgument(line.words[2], "attachment");
    const auto& file = line.required("output", usage);
    auto store = ctx.store();
    const auto record = requireCase(store, number);
    const auto person = readerOf(ctx, line, store, record, "attachment " + number.toString());
    long long n = 0;
    for (const auto& m : store.caseMessages(number)) {
        const auto stored = store.message(m.id);
        const auto result = parsers::parseMessage(stored->raw, ctx.settings().limits);
        const auto* parsed = std::get_if<parsers::ParsedMessage>(&result);
        if (!parsed) continue;
        for (const auto& a : parsed->attachments) {
            if (++n != wanted) continue;
            if (a.overLimit)
                throw InvalidRequestError("attachment " + std::to_string(n) +
                                          " is over the size limit and was not "
                                          "decoded: complaintctl message " +
                                          std::to_string(m.id) + " --output FILE saves the whole message");
            NewFile out(ctx, file);
            out.write(a.data);
            store.auditMessage(m.id, cases::EventKind::Shown, person.id, "attachment " + std::to_string(n) + " saved",
                               ctx.now());
            ctx.out << "wrote " << file << ": " << a.filename << " (" << a.contentType << ", " << a.data.size()
                    << " bytes)\n";
            return;
        }
    }
    throw NotFoundError(number.toString() + " has " + std::to_string(n) + " attachment" + (n == 1 ? "" : "s") +
                        " (complaintctl messages " + number.toString() + " lists them)");
}

}  // namespace complaintd::ctl
