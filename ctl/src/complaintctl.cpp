#include "ctl/complaintctl.h"

#include <functional>
#include <map>
#include <ostream>

#include "commands.h"
#include "terminal_text.h"

namespace complaintd::ctl {
namespace {

constexpr const char* kUsage = R"(Usage: complaintctl [--config FILE] [-o KEY=VALUE]... COMMAND [ARGS] [--by ID]

Staff's command line for complaintd: cases through the procedure, the register, quarantine, held mail,
outbox, the staff directory. It is the administrators' tool on the server: run it as the service's
user (sudo -u complaintd complaintctl ...), never as a setuid program; staff without a shell work in
the web console.

Who acts: every command that changes a case acts as a person of the staff directory, the one whose
OS user runs complaintctl (through sudo: the user sudo came from), or --by ID where people share a
login (root may act for anyone). The procedure checks that person's roles:
  intake      總收文  enters complaints, hands them to units (reroute), keeps the mail desk
              (quarantine, held mail, outbox), archives
  handler     承辦人  handles the cases of their unit: start, reply, file, delay, replied, close
  supervisor  主管    signs the drafts of their own unit (approve --role supervisor)
  approver    批准    approves the signed drafts (approve --role approver)
  admin               keeps the staff directory
A staff member with no unit works on every unit's cases (a supervisor signs only for their unit).
The drafter, the supervisor and the approver of a letter are three different persons.

Looking (a confidential case, 密件, is shown with its complainant redacted: fields, and names,
phones, e-mail and addresses in subject, summary and OCR text; --reveal [--reason TEXT] shows it
as stored and is recorded on its history):
  list [--unit U] [--status S] [--channel C] [--category C] [--since DATE] [--until DATE]
       [--overdue] [--json] [--reveal]   the cases, oldest first; the filters narrow them (DATE
                                         like 2026-12-01, received in Taiwan time; --overdue: past
                                         the target date and not answered)
  search TEXT [the list filters] [--json] [--reveal]
                                         the cases whose subject, summary, complainant, messages,
                                         OCR text or reply hold TEXT: words, or any two or more Chinese
                                         characters (search 路燈), from an index (SQLite FTS5);
                                         confidential cases only with --reveal (recorded)
  show CASE [--json] [--reveal]          one case with its record, suggestions and history
  history CASE [--json] [--reveal]       every change: who, when, what, why
  messages CASE [--reveal]               everything that arrived for the case, in order (the
                                         complaint, follow-ups, survey answers, auto-replies,
                                         bounces), each with its whole decoded text and numbered
                                         attachments; each look is recorded
  message ID [--output FILE] [--reveal]  one of them (--output: the exact bytes as they arrived)
  attachment CASE N --output FILE [--reveal]
                                         save attachment N (as `messages` numbers them), e.g. the
                                         pages of a fax as sent (PDF or TIFF)
  due [--within DAYS] [--unit U] [--json] [--reveal]
                                         overdue and soon-due cases per unit (default: within 2 days)
  register --year YEAR [--format csv|json|text] [--reveal]
                                         the master register (客訴案件總表); YEAR is 2026 or the ROC
                                         year 115; CSV is UTF-8 with a BOM, cells that start like a
                                         formula (= + - @) get a leading '
  units [--json]                         the handling units
  status                                 each source's last success and error, outbox, quarantine,
                                         held mail, counters
  quarantine list [--json]               messages that could not be read, with the reason
  quarantine show ID [--output FILE] [--reveal]
                                         a quarantined message as it arrived (control characters
                                         shown as ^[ and the like; --output saves the exact bytes);
                                         one of a confidential case needs --reveal; each look
                                         is recorded
  quarantine retry ID                    send it through intake again
  quarantine release ID [--by ID]        open it as a case at the intake desk, to be read by hand
  automated list [--json]                automated mail held without a case (bounces, auto-replies,
                                         list mail, null sender), with the case it belongs to
  automated show ID [--reveal]           its headers and text (the look is recorded); one that
                                         belongs to a confidential case needs --reveal
  automated release ID [--by ID]         a real complaint taken for automated mail: open it as a
                                         case (routed as intake would, no letter)
  spam list [--json] | show ID | release ID [--by ID]
                                         the same for mail the server marked as spam
                                         (intake.spam_headers): no case number until released
  outbox list [--json] | retry ID        letters queued, sent, failed and held (with the reason);
                                         queue a failed one again (recorded)
  outbox release ID [--by ID]            send a held automatic letter in the next cycle (recorded)
  outbox discard ID [--by ID]            never send a held letter; it stays listed (recorded)
  config [--reference]                   the effective configuration (like postconf -n);
                                         --reference: every key with default and meaning (markdown)

The survey and reports:
  survey CASE [--reveal] [--set QUESTION=ANSWER]... [--via paper|phone|fax]
                                         the satisfaction survey (附表二) answered on paper or by
                                         phone, e.g. --set 3=11-20 --set 6=滿意; a dissatisfied
                                         answer reopens the case; without --set, the answers so far
  review CASE [--format pdf|text] [--output FILE] [--reveal]
                                         the review analysis form (客訴案件檢討分析表, 附表三)
  review CASE --set 檢討意見=TEXT         management's opinion on it (a supervisor or approver)
  report annual --year YEAR [--format pdf|csv|json] [--output FILE]
                                         the year by category, channel, unit and month, answer times,
                                         deadlines kept, filings, referrals, survey results

Staff entry (phone, letter, in person, fax):
  new --channel phone|letter|in-person|fax|email --summary TEXT | --file FILE|-
      [--name N] [--phone P] [--fax F] [--address A] [--email E] [--organisation O] [--subject S]
      [--category C] [--unit U] [--confidential] [--receipt 'DATE NUMBER']
      [--received 'YYYY-MM-DD HH:MM']
                                         --file: the summary from FILE, or standard input with -;
                                         on a terminal, missing fields are asked for

The procedure, in its order (收文, 分文, 承辦, 核判, 函復, 結案, 歸檔):
  reroute CASE UNIT --reason TEXT        hand a case to another unit (分文, intake or the unit's
                                         supervisor)
  start CASE                             the unit is working on it (handler)
  reply CASE --file FILE|- | --text TEXT
                                         the handler's draft (承辦), from FILE or standard input (-);
                                         a new draft clears the signatures
  approve CASE --role supervisor|approver --draft REVISION
                                         sign-off (主管 of the handling unit, then 批准) of the draft
                                         `show` prints; with both, the reply letter is queued, or a
                                         filing memo files the case; a draft changed since is refused
  print CASE [--output FILE]             the signed-off reply for the post, one A4 PDF: the letter
                                         (函, with its 發文字號), the survey (附表二) and address slips
                                         for the envelope and the survey's return; without --output
                                         to standard output (> FILE); a reprint is the same letter
  print --pending --dir DIR              every signed-off reply that has no e-mail or fax and was not
                                         printed yet, DIR/CASE.pdf each (the daily batch for the post)
  replied CASE --via post|phone          the signed-off reply went out by post or phone (until then
                                         the unit is reminded as the deadlines near)
  close CASE                             close in the register (結案)
  archive CASE                           file away (歸檔, intake or the unit's supervisor)
  file CASE --reason 1|2|3|4 --note TEXT the handler's memo to file without handling (簽陳存查), for
                                         a reason of the procedure; filed once signed off like a reply
  reopen CASE --reason TEXT              the complainant is not satisfied (續辦)
  refer CASE AUTHORITY [--note TEXT]     outside the center's remit (移送): the referral letter
                                         tells the complainant whom to contact (intake or handler;
                                         authorities: routing.referrals_file)
  delay CASE --reason TEXT               why the 30-day limit cannot be met; the complainant is told
  edit CASE [--subject S] [--summary TEXT | --file FILE|-] [--name N] [--phone P] [--fax F]
      [--address A] [--email E] [--organisation O] [--category C] [--receipt R]
      [--confidential | --not-confidential]
                                         correct what intake got wrong (intake, or the unit's
                                         handler), e.g. the summary of a fax OCR could not read;
                                         each change is on the history with old and new value
                                         (a confidential case's values are not)

The staff directory (changes need an administrator; the first entry is the administrator, added
on the server by whoever runs it there):
  staff list [--json]                    everyone: id, name, unit, roles, OS user
  staff add ID --name NAME --roles R[,R...] [--unit U] [--os-user LOGIN] [--phone P] [--email E]
  staff roles ID R[,R...]                replace the roles (intake, handler, supervisor, approver, admin)
  staff edit ID [--name N] [--unit U] [--os-user LOGIN] [--phone P] [--email E]
  staff disable ID | enable ID           a disabled person can do nothing; history stays theirs
  staff history [ID]                     every change of the directory, who made it

Operations (the service may be running):
  backup FILE                            a consistent copy of the database at one moment (SQLite's
                                         online backup), written to FILE.tmp-PID, synced, renamed
  check                                  PRAGMA integrity_check and the store's invariants (every
                                         message has its case, quarantine or held entry; every
                                         sent letter its acceptance); each problem printed, exit 1

Personal data on the command line shows in `ps` to every user and stays in the shell history:
give a reply or summary with --file FILE or --file - (standard input), and leave out --name,
--phone and --address on a terminal to be asked for them.

Options:
  -c, --config FILE      configuration file (default: embedded defaults)
  -o KEY=VALUE           override one configuration key (repeatable)
  --by ID                who acts, where people share a login (default: the OS user's entry)
  -h, --help             this help

Text from mail is printed with control characters made visible (ESC as ^[, C1 and bidi
controls as U+FFFD); --json output escapes them.

Exit codes: 0 ok, 1 not found, refused, invalid use or a problem found by check, 78 configuration error.
)";

using Command = std::function<void(const Context&, const CommandLine&)>;

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table{
        {"list", listCases},
        {"search", searchCases},
        {"show", showCase},
        {"history", showHistory},
        {"messages", messagesCommand},
        {"message", messageCommand},
        {"attachment", attachmentCommand},
        {"due", dueCases},
        {"register", printRegister},
        {"units", listUnits},
        {"quarantine", quarantineCommand},
        {"automated", automatedCommand},
        {"spam", spamCommand},
        {"outbox", outboxCommand},
        {"status", statusCommand},
        {"survey", surveyCommand},
        {"review", reviewCommand},
        {"report", reportCommand},
        {"config", printConfig},
        {"new", newCase},
        {"reroute", rerouteCase},
        {"start", startCase},
        {"reply", recordReply},
        {"approve", approveReply},
        {"replied", markReplied},
        {"print", printCommand},
        {"close", closeCase},
        {"archive", archiveCase},
        {"reopen", reopenCase},
        {"file", fileCase},
        {"delay", delayReason},
        {"edit", editCase},
        {"refer", referCase},
        {"staff", staffCommand},
        {"backup", backupCommand},
        {"check", checkCommand},
    };
    return table;
}

}  // namespace

int runComplaintctl(const std::vector<std::string>& args, std::ostream& rawOut, std::ostream& rawErr,
                    std::istream* terminal, std::istream* input, const center::Clock* clock) {
    static const center::SystemClock systemClock;
    // Everything printed passes through one filter: text from mail may carry terminal controls.
    TerminalSafeStream out(rawOut);
    TerminalSafeStream err(rawErr);
    try {
        const auto line = parseCommandLine(args);
        if (line.help || line.words.empty() || line.words[0] == "help") {
            const bool asked = line.help || !line.words.empty();
            (asked ? out : err) << kUsage;
            return asked ? kExitOk : kExitInvalid;
        }
        const auto command = commands().find(line.words[0]);
        if (command == commands().end()) throw UsageError("unknown command \"" + line.words[0] + "\"");
        const Context ctx{center::loadSettings(line.configFile, line.overrides),
                          out,
                          terminal,
                          rawOut,
                          input,
                          clock ? *clock : systemClock};
        command->second(ctx, line);
        return kExitOk;
    } catch (const ConfigError& e) {
        err << "complaintctl: configuration error: " << e.what() << "\n";
        return kExitConfig;
    } catch (const UsageError& e) {
        err << "complaintctl: " << e.what() << " (see complaintctl --help)\n";
        return kExitInvalid;
    } catch (const std::exception& e) {
        err << "complaintctl: " << e.what() << "\n";
        return kExitInvalid;
    }
}

}  // namespace complaintd::ctl
