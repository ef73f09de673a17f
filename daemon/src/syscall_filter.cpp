#include "syscall_filter.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace complaintd::daemon {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_AARCH64;
#else
#define COMPLAINTD_NO_SYSCALL_FILTER
#endif

#ifndef COMPLAINTD_NO_SYSCALL_FILTER

constexpr std::uint32_t kRefuse = SECCOMP_RET_ERRNO | EPERM;
constexpr std::uint32_t kUnknown = SECCOMP_RET_ERRNO | ENOSYS;  // "not here": glibc falls back (clone3 to clone)
// Opening for anything but reading. O_TMPFILE includes O_DIRECTORY, which reading a
// folder needs (poppler's cMap folders): only its own bit, the kernel's __O_TMPFILE.
constexpr std::uint32_t kTmpFileBit = 020000000;
constexpr std::uint32_t kWriteFlags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | kTmpFileBit;

// System calls refused outright: the network, programs and processes, changes to files.
constexpr int kRefused[] = {
    __NR_socket,
    __NR_socketpair,
    __NR_connect,
    __NR_bind,
    __NR_listen,
    __NR_accept,
    __NR_accept4,
    __NR_execve,
    __NR_execveat,
    __NR_ptrace,
    __NR_kill,
    __NR_process_vm_readv,
    __NR_process_vm_writev,
    __NR_unlinkat,
    __NR_renameat,
    __NR_renameat2,
    __NR_linkat,
    __NR_symlinkat,
    __NR_mkdirat,
    __NR_mknodat,
    __NR_truncate,
    __NR_ftruncate,
    __NR_fallocate,
    __NR_fchmod,
    __NR_fchmodat,
    __NR_fchown,
    __NR_fchownat,
    __NR_io_uring_setup,
    __NR_io_uring_enter,
    __NR_io_uring_register,
#ifdef __NR_fork
    __NR_fork,
    __NR_vfork,
    __NR_unlink,
    __NR_rename,
    __NR_link,
    __NR_symlink,
    __NR_mkdir,
    __NR_rmdir,
    __NR_creat,
    __NR_chmod,
    __NR_chown,
    __NR_lchown,
    __NR_mknod,
#endif
};

struct Program {
    std::vector<sock_filter> code;

    void statement(std::uint16_t op, std::uint32_t k) { code.push_back(BPF_STMT(op, k)); }
    void jump(std::uint16_t op, std::uint32_t k, std::uint8_t yes, std::uint8_t no) {
        code.push_back(BPF_JUMP(op, k, yes, no));
    }
    void answer(int nr, std::uint32_t action) {
        jump(BPF_JMP | BPF_JEQ | BPF_K, std::uint32_t(nr), 0, 1);
        statement(BPF_RET | BPF_K, action);
    }
    // For `nr`: `whenSet` if (argument & mask) != 0, else `whenClear`. Leaves the
    // accumulator holding the argument, so it comes last before the syscall number is needed
    // again: the number is loaded anew after it.
    void byFlags(int nr, int argument, std::uint32_t mask, std::uint32_t whenSet, std::uint32_t whenClear) {
        jump(BPF_JMP | BPF_JEQ | BPF_K, std::uint32_t(nr), 0, 4);
        // The low 32 bits of the argument (little-endian).
        statement(BPF_LD | BPF_W | BPF_ABS, std::uint32_t(offsetof(seccomp_data, args) + 8 * argument));
        jump(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1);
        statement(BPF_RET | BPF_K, whenSet);
        statement(BPF_RET | BPF_K, whenClear);
    }
};

Program helperProgram() {
    Program p;
    p.statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
    p.jump(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0);
    p.statement(BPF_RET | BPF_K, kRefuse);  // another ABI's numbers mean other calls
    p.statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
#ifdef __x86_64__
    p.jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1);  // x32
    p.statement(BPF_RET | BPF_K, kRefuse);
#endif
    for (const int nr : kRefused) p.answer(nr, kRefuse);
    p.answer(__NR_clone3, kUnknown);
    p.answer(__NR_openat2, kUnknown);
    // Each byFlags returns for its call; a call that is none of them reaches the next test with
    // the number still loaded, since byFlags only loads the argument after its number matched.
    p.byFlags(__NR_clone, 0, CLONE_THREAD, SECCOMP_RET_ALLOW, kRefuse);  // threads, not processes
    p.byFlags(__NR_openat, 2, kWriteFlags, kRefuse, SECCOMP_RET_ALLOW);
#ifdef __NR_open
    p.byFlags(__NR_open, 1, kWriteFlags, kRefuse, SECCOMP_RET_ALLOW);
#endif
    p.statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return p;
}

#endif

}  // namespace

bool installHelperSyscallFilter() {
#ifdef COMPLAINTD_NO_SYSCALL_FILTER
    return true;  // no filter written for this architecture: the resource limits still hold
#else
    auto program = helperProgram();
    const sock_fprog filter{static_cast<unsigned short>(program.code.size()), program.code.data()};
    // prctl, not seccomp(2): the unit's SystemCallFilter allows the one, and would kill for the other.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
    return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) == 0;
#endif
}

}  // namespace complaintd::daemon
