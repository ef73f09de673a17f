// complaintctl: the staff's command line. All of it lives in the ctl library.
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "ctl/complaintctl.h"

int main(int argc, char** argv) {
    // Registers, reports and a database created here hold personal data: never world-readable.
    ::umask(027);
    // Prompts for missing fields only when a person is at the terminal.
    std::istream* terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ? &std::cin : nullptr;
    return complaintd::ctl::runComplaintctl({argv + 1, argv + argc}, std::cout, std::cerr, terminal, &std::cin);
}
