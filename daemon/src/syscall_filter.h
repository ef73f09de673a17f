// The OCR helper's seccomp filter, installed once its models are loaded and before
// it decodes a page: a decoder exploit then cannot open a connection, start a
// program, fork, signal another process, or change a file (the helper runs as the
// service user, which owns the database). Reading files stays allowed (fontconfig
// and poppler look for fonts while rendering), so do threads (OpenMP). What is
// refused fails with EPERM rather than killing the helper, so that a library that
// merely tries (fontconfig writing its cache) carries on.
#pragma once

namespace complaintd::daemon {

// Sets no_new_privs and stacks the filter on the calling thread (and the threads it
// starts later). Returns false when the kernel refused it (errno says why).
bool installHelperSyscallFilter();

}  // namespace complaintd::daemon
