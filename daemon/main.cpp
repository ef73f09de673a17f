// complaintd: the complaint desk service. All of it lives in the daemon library.
#include <sys/stat.h>

#include "daemon/complaintd_app.h"

int main(int argc, char** argv) {
    // The database, its -wal/-shm, outbox letters and drop folders hold personal data: never
    // world-readable, whatever umask cron or a shell started us with (systemd sets UMask=0027).
    ::umask(027);
    return complaintd::daemon::runComplaintd(argc, argv);
}
