// complaintctl's commands. Each reads its arguments from the command line,
// works through the Store, and prints to ctx.out; failures are exceptions
// (UsageError, NotFoundError, InvalidRequestError, ConfigError).
#pragma once

#include "command_line.h"

namespace complaintd::ctl {

// Looking (basic_commands.cpp).
void listCases(const Context& ctx, const CommandLine& line);
void searchCases(const Context& ctx, const CommandLine& line);
void showCase(const Context& ctx, const CommandLine& line);
void showHistory(const Context& ctx, const CommandLine& line);
void listUnits(const Context& ctx, const CommandLine& line);
void quarantineCommand(const Context& ctx, const CommandLine& line);
void outboxCommand(const Context& ctx, const CommandLine& line);
void statusCommand(const Context& ctx, const CommandLine& line);
void printConfig(const Context& ctx, const CommandLine& line);
// The case, or NotFoundError pointing to `list`.
cases::CaseRecord requireCase(center::Store& store, const cases::CaseNumber& number);
// A positive whole number naming a message or letter; UsageError otherwise.
long long idArgument(const std::string& text, const std::string& what);

// Reading what arrived (message_commands.cpp).
void messagesCommand(const Context& ctx, const CommandLine& line);
void messageCommand(const Context& ctx, const CommandLine& line);
void attachmentCommand(const Context& ctx, const CommandLine& line);

// Held mail (held_commands.cpp): automated mail and spam intake held instead of opening a case.
void automatedCommand(const Context& ctx, const CommandLine& line);
void spamCommand(const Context& ctx, const CommandLine& line);

// Staff entry (new_case_command.cpp).
void newCase(const Context& ctx, const CommandLine& line);

// The lifecycle (lifecycle_commands.cpp).
void rerouteCase(const Context& ctx, const CommandLine& line);
void startCase(const Context& ctx, const CommandLine& line);
void recordReply(const Context& ctx, const CommandLine& line);
void approveReply(const Context& ctx, const CommandLine& line);
void markReplied(const Context& ctx, const CommandLine& line);
void printCommand(const Context& ctx, const CommandLine& line);
void closeCase(const Context& ctx, const CommandLine& line);
void archiveCase(const Context& ctx, const CommandLine& line);
void reopenCase(const Context& ctx, const CommandLine& line);
void fileCase(const Context& ctx, const CommandLine& line);
void delayReason(const Context& ctx, const CommandLine& line);
void editCase(const Context& ctx, const CommandLine& line);
void referCase(const Context& ctx, const CommandLine& line);

// Documents (documents_commands.cpp).
void surveyCommand(const Context& ctx, const CommandLine& line);
void reviewCommand(const Context& ctx, const CommandLine& line);
void reportCommand(const Context& ctx, const CommandLine& line);

// The staff directory (staff_commands.cpp).
void staffCommand(const Context& ctx, const CommandLine& line);

// Maintenance (maintenance_commands.cpp).
void backupCommand(const Context& ctx, const CommandLine& line);
void checkCommand(const Context& ctx, const CommandLine& line);

// Reports (report_commands.cpp).
void dueCases(const Context& ctx, const CommandLine& line);
void printRegister(const Context& ctx, const CommandLine& line);

}  // namespace complaintd::ctl
