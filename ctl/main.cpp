// complaintctl: the staff's command line. All of it lives in the ctl library.
#include <iostream>

#include "ctl/complaintctl.h"

int main(int argc, char** argv) {
    return complaintd::ctl::runComplaintctl({argv + 1, argv + argc}, std::cout, std::cerr);
}
