// complaintctl print: the signed-off replies for the post (郵寄), one PDF per case with the
// letter, the survey and the address slips; the case then waits for `replied --via post`.
#include <ostream>

#include "cases/error.h"
#include "commands.h"
#include "output_file.h"

namespace complaintd::ctl {
namespace {

constexpr const char* kUsage = "print CASE [--output FILE] | print --pending --dir DIR";

// Every reply waiting for the post and not printed since it was signed off, DIR/NUMBER.pdf each.
void printPending(const Context& ctx, const CommandLine& line) {
    const auto& dir = line.required("dir", kUsage);
    Desk desk(ctx);
    const auto person = actingPerson(line, desk.store);
    const auto pending = desk.store.repliesToPrint();
    std::size_t printed = 0, refused = 0;
    for (const auto& number : pending) {
        try {
            // The file first, written inside the move: when it cannot be made, nothing is recorded.
            NewFile file(ctx, dir + "/" + number.toString() + ".pdf");
            const auto pdf = desk.procedure.printForPost(number, person, ctx.now(),
                                                         [&](const std::string& bytes) { file.write(bytes); });
            ctx.out << "wrote " << file.path() << " (" << pdf.size() << " bytes)\n";
            ++printed;
        } catch (const InvalidRequestError& e) {  // this case (no address, 密件, a file there): the others print
            ctx.out << "not printed: " << e.what() << "\n";
            ++refused;
        }
    }
    if (pending.empty()) ctx.out << "no signed-off reply waits for the post\n";
    if (printed)
        ctx.out << printed << " letter" << (printed == 1 ? "" : "s")
                << " to post; once sent: complaintctl replied CASE --via post\n";
    if (refused)
        throw InvalidRequestError(std::to_string(refused) + " of " + std::to_string(pending.size()) +
                                  " not printed (above): they stay pending");
}

}  // namespace

void printCommand(const Context& ctx, const CommandLine& line) {
    if (line.flag("pending")) {
        expectWords(line, 1, kUsage);
        return printPending(ctx, line);
    }
    expectWords(line, 2, kUsage);
    const auto number = caseNumberArgument(line.words[1]);
    Desk desk(ctx);
    const auto person = actingPerson(line, desk.store);
    if (const auto output = line.option("output")) {
        NewFile file(ctx, *output);
        const auto pdf = desk.procedure.printForPost(number, person, ctx.now(),
                                                     [&](const std::string& bytes) { file.write(bytes); });
        ctx.out << "wrote " << *output << " (" << pdf.size() << " bytes): the letter, the survey and the address "
                << "slips; once sent: complaintctl replied " << number.toString() << " --via post\n";
        return;
    }
    const auto pdf = desk.procedure.printForPost(number, person, ctx.now());
    ctx.out.flush();
    ctx.bytes << pdf;
}

}  // namespace complaintd::ctl
