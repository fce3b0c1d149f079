/* The exec decision: the point where a memoized process is skipped before its program runs. */
#define _GNU_SOURCE
#include "decide.h"
#include "emit.h"
#include "paths.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#define STRINGS_CAP (4 * 1024 * 1024)
#define MAX_POINTERS 65536

static char strings[STRINGS_CAP];
static uint64_t pointers[MAX_POINTERS];
static char cwd[PATH_CAP];
static unsigned char chunk_buf[256 * 1024];

/* Appends the NUL-terminated strings of a NULL-terminated pointer array; returns their count. */
static int read_string_array(int tid, uint64_t addr, size_t *used)
{
    int count = 0;
    for (;;) {
        ssize_t got = read_mem(tid, addr + 8u * (uint64_t)count, pointers, 64 * sizeof pointers[0]);
        if (got < 8) return addr ? -1 : 0;
        for (ssize_t i = 0; i < got / 8; i++) {
            if (!pointers[i]) return count;
            int n = read_str(tid, pointers[i], strings + *used, STRINGS_CAP - *used);
            if (n < 0 || *used + (size_t)n + 1 >= STRINGS_CAP) return -1;
            *used += (size_t)n + 1;
            count++;
        }
    }
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* a closed pipe downstream: as the program itself would have found */
        p += w;
        n -= (size_t)w;
    }
}

/* Writes the reply's chunks to the process's fds (the same open files, through pidfd_getfd). */
static int replay(int tid, int channel, uint32_t nchunks)
{
    int pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
    int fds[3] = { -1, -1, -1 };
    int ok = 0;
    for (uint32_t i = 0; i < nchunks; i++) {
        struct pct_output_chunk c;
        if (read_exact(channel, &c, sizeof c) < 0) { ok = -1; break; }
        int target = -1;
        if (c.fd == 1 || c.fd == 2) { /* never the process's stdin, whatever a stored entry says */
            if (fds[c.fd] < 0 && pidfd >= 0) fds[c.fd] = (int)syscall(SYS_pidfd_getfd, pidfd, (int)c.fd, 0);
            target = fds[c.fd];
        }
        for (uint32_t left = c.len; left > 0;) {
            size_t n = left < sizeof chunk_buf ? left : sizeof chunk_buf;
            if (read_exact(channel, chunk_buf, n) < 0) { ok = -1; break; }
            if (target >= 0) write_all(target, chunk_buf, n);
            left -= (uint32_t)n;
        }
        if (ok < 0) break;
    }
    for (int i = 0; i < 3; i++) if (fds[i] >= 0) close(fds[i]);
    if (pidfd >= 0) close(pidfd);
    return ok;
}

/* Turns the stopped syscall into exit_group(code). */
static int become_exit(int tid, int code)
{
#if defined(__x86_64__)
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0) return -1;
    regs.orig_rax = __NR_exit_group;
    regs.rdi = (unsigned long long)code;
    return ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0 ? -1 : 0;
#elif defined(__aarch64__)
    struct user_regs_struct regs;
    struct iovec iov = { &regs, sizeof regs };
    if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0) return -1;
    regs.regs[0] = (unsigned long long)code;
    if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0) return -1;
    int nr = __NR_exit_group;
    struct iovec sys = { &nr, sizeof nr };
    return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sys) < 0 ? -1 : 0;
#endif
}

int pct_decide_exec(int tid, int pid, const char *exe, const struct pct_syscall *row, const uint64_t *args)
{
    /* execve(path, argv, envp); execveat(dirfd, path, argv, envp, flags) */
    const int argv_arg = row->path + 1;
    size_t used = 0;
    int argc = read_string_array(tid, args[argv_arg], &used);
    int envc = argc < 0 ? -1 : read_string_array(tid, args[argv_arg + 1], &used);
    if (argc < 0 || envc < 0) return 0; /* unreadable: the kernel will fail the exec with EFAULT */
    if (dirfd_path(tid, AT_FDCWD, cwd, sizeof cwd) < 0) cwd[0] = 0;
    const char *kinds[3] = { stdio_kind(tid, 0), stdio_kind(tid, 1), stdio_kind(tid, 2) };
    size_t a = strlen(exe) + 1, b = strlen(cwd) + 1;
    size_t k = strlen(kinds[0]) + strlen(kinds[1]) + strlen(kinds[2]) + 3;
    const int umask_now = read_umask(tid); /* a parent may have changed it: it shapes the outputs' modes */
    emit_lock();
    event_begin(PCT_EV_EXEC_QUERY, umask_now < 0 ? PCT_UMASK_UNKNOWN : (uint16_t)umask_now, pid, tid,
                (uint32_t)argc, (uint32_t)envc, a + b + k + used);
    put_bytes(exe, a);
    put_bytes(cwd, b);
    for (int i = 0; i < 3; i++) put_bytes(kinds[i], strlen(kinds[i]) + 1);
    put_bytes(strings, used);
    emit_unlock();
    flush();
    struct pct_exec_reply reply;
    const int channel = emit_channel();
    if (read_exact(channel, &reply, sizeof reply) < 0 || reply.magic != PCT_REPLY_MAGIC) return 0;
    if (!reply.skip) return 0;
    if (replay(tid, channel, reply.nchunks) < 0) return 0;
    return become_exit(tid, reply.exit_code) == 0;
}
