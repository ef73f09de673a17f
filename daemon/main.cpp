// complaintd: the complaint desk service. All of it lives in the daemon library.
#include "daemon/complaintd_app.h"

int main(int argc, char** argv) { return complaintd::daemon::runComplaintd(argc, argv); }
