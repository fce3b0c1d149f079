/* The exec decision: the point where a memoized process is skipped before its program runs. */
#define _GNU_SOURCE
#include "decide.h"
#include "attrs.h"
#include "emit.h"
#include "paths.h"
#include "tracer.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#define STRINGS_CAP (4 * 1024 * 1024)
#define MAX_POINTERS 65536

static char strings[STRINGS_CAP];
static uint64_t pointers[MAX_POINTERS];
static char cwd[PATH_CAP];

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

/* The reply's chunks, each header followed by its bytes, read whole into an anonymous mapping. */
struct chunks { unsigned char *data; size_t len, cap; };

static int read_chunks(int channel, uint32_t nchunks, struct chunks *out)
{
    out->len = 0;
    out->cap = 1u << 16;
    out->data = mmap(NULL, out->cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (out->data == MAP_FAILED) return -1;
    for (uint32_t i = 0; i < nchunks; i++) {
        struct pct_output_chunk c;
        if (read_exact(channel, &c, sizeof c) < 0) return -1;
        const size_t need = out->len + sizeof c + c.len;
        if (need > out->cap) {
            size_t cap = out->cap;
            while (cap < need) cap *= 2;
            void *grown = mremap(out->data, out->cap, cap, MREMAP_MAYMOVE);
            if (grown == MAP_FAILED) return -1;
            out->data = grown;
            out->cap = cap;
        }
        memcpy(out->data + out->len, &c, sizeof c);
        if (read_exact(channel, out->data + out->len + sizeof c, c.len) < 0) return -1;
        out->len = need;
    }
    return 0;
}

static void write_chunks(const struct chunks *ch, const int fds[3])
{
    for (size_t at = 0; at + sizeof(struct pct_output_chunk) <= ch->len;) {
        struct pct_output_chunk c;
        memcpy(&c, ch->data + at, sizeof c);
        at += sizeof c;
        /* never the process's stdin, whatever a stored entry says */
        if ((c.fd == 1 || c.fd == 2) && fds[c.fd] >= 0) write_all(fds[c.fd], ch->data + at, c.len);
        at += c.len;
    }
}

/* A write there can wait for a reader (a pipe, a socket, a terminal): and the reader may itself be
 * waiting at a stop for this very tracer. Regular files and /dev/null never make it wait. */
static int may_block(int fd)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) return 0;
    return !(S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)));
}

/* Skipped processes held at their exec while a helper writes their output (see pct_finish_held). */
#define HELD_CAP 1024
static struct { int helper, tid, code; } held[HELD_CAP];

static int held_slot(void)
{
    for (int i = 0; i < HELD_CAP; i++) if (!held[i].helper) return i;
    return -1;
}

enum { REPLAY_FAILED = -1, REPLAY_DONE = 0, REPLAY_HELD = 1 };

/* Writes the reply's chunks to the process's fds (the same open files, through pidfd_getfd). A
 * write that could block goes to a helper process, so that the tracer serves the reader meanwhile:
 * `ls -R | wc -l` with ls skipped filled the pipe while wc waited at its exec for the tracer. */
static int replay(int tid, int channel, uint32_t nchunks, int code)
{
    struct chunks ch;
    int result = REPLAY_FAILED;
    int fds[3] = { -1, -1, -1 };
    if (read_chunks(channel, nchunks, &ch) == 0) {
        int pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
        for (int fd = 1; fd <= 2 && pidfd >= 0; fd++) fds[fd] = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (pidfd >= 0) close(pidfd);
        const int slot = may_block(fds[1]) || may_block(fds[2]) ? held_slot() : -1;
        const pid_t tracer = getpid();
        const pid_t helper = slot >= 0 ? pct_raw_fork() : -1;
        if (helper == 0) {
            /* the tracer's end kills the process held for this output (PTRACE_O_EXITKILL) */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == tracer) write_chunks(&ch, fds);
            _exit(0);
        }
        if (helper > 0) {
            held[slot].helper = helper;
            held[slot].tid = tid;
            held[slot].code = code;
            result = REPLAY_HELD;
        } else {
            write_chunks(&ch, fds); /* nothing can wait, or no helper could be had */
            result = REPLAY_DONE;
        }
    }
    for (int i = 0; i < 3; i++) if (fds[i] >= 0) close(fds[i]);
    if (ch.data != MAP_FAILED) munmap(ch.data, ch.cap);
    return result;
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

enum pct_exec_outcome pct_decide_exec(int tid, int pid, const char *exe, const struct pct_syscall *row,
                                      const uint64_t *args, int last)
{
    /* execve(path, argv, envp); execveat(dirfd, path, argv, envp, flags) */
    const int argv_arg = row->path + 1;
    size_t used = 0;
    int argc = read_string_array(tid, args[argv_arg], &used);
    int envc = argc < 0 ? -1 : read_string_array(tid, args[argv_arg + 1], &used);
    if (argc < 0 || envc < 0) return PCT_EXEC_RUNS; /* unreadable: the kernel will fail the exec with EFAULT */
    if (dirfd_path(tid, AT_FDCWD, cwd, sizeof cwd) < 0) cwd[0] = 0;
    uint64_t streams[3]; /* fds 1, 2, then 0 */
    const char *kinds[3] = { stdio_look(tid, 0, &streams[2]), stdio_look(tid, 1, &streams[0]), stdio_look(tid, 2, &streams[1]) };
    char ids[3][17];
    for (int i = 0; i < 3; i++) identity_text(streams[i], ids[i]);
    size_t a = strlen(exe) + 1, b = strlen(cwd) + 1;
    size_t k = strlen(kinds[0]) + strlen(kinds[1]) + strlen(kinds[2]) + strlen(ids[0]) + strlen(ids[1]) + strlen(ids[2]) + 6;
    /* after envp: what else the program inherits (a parent may have changed its umask, limits,
     * credentials, signals, affinity, namespaces or open files); none sent when they do not fit */
    int umask_now;
    used += attrs_collect(tid, strings + used, STRINGS_CAP - used, &umask_now);
    emit_lock();
    event_begin(last ? PCT_EV_EXEC_QUERY_LAST : PCT_EV_EXEC_QUERY, umask_now < 0 ? PCT_UMASK_UNKNOWN : (uint16_t)umask_now, pid, tid,
                (uint32_t)argc, (uint32_t)envc, a + b + k + used);
    put_bytes(exe, a);
    put_bytes(cwd, b);
    for (int i = 0; i < 3; i++) put_bytes(kinds[i], strlen(kinds[i]) + 1);
    for (int i = 0; i < 3; i++) put_bytes(ids[i], strlen(ids[i]) + 1);
    put_bytes(strings, used);
    emit_unlock();
    flush();
    struct pct_exec_reply reply;
    const int channel = emit_channel();
    if (read_exact(channel, &reply, sizeof reply) < 0 || reply.magic != PCT_REPLY_MAGIC) return PCT_EXEC_RUNS;
    if (reply.skip == PCT_REPLY_WAIT) return PCT_EXEC_WAIT;
    if (!reply.skip) {
        attrs_hold(tid, pid);
        return PCT_EXEC_RUNS;
    }
    if (attrs_read_seeks(channel, reply.nseeks) < 0) return PCT_EXEC_RUNS;
    const int replayed = reply.nchunks ? replay(tid, channel, reply.nchunks, reply.exit_code) : REPLAY_DONE;
    if (replayed == REPLAY_FAILED) return PCT_EXEC_RUNS;
    attrs_apply_seeks(tid); /* where the recorded run left the files it shares with its parent */
    if (replayed == REPLAY_HELD) return PCT_EXEC_HELD;
    return become_exit(tid, reply.exit_code) == 0 ? PCT_EXEC_SKIPPED : PCT_EXEC_RUNS;
}

int pct_finish_held(int helper)
{
    for (int i = 0; i < HELD_CAP; i++) {
        if (held[i].helper != helper) continue;
        held[i].helper = 0;
        /* tid 0: it was killed meanwhile (pct_forget_held), and its number may be another's now */
        if (held[i].tid && become_exit(held[i].tid, held[i].code) == 0) ptrace(PTRACE_CONT, held[i].tid, 0, 0);
        return 1;
    }
    return 0;
}

void pct_forget_held(int tid)
{
    for (int i = 0; i < HELD_CAP; i++) {
        if (!held[i].helper || held[i].tid != tid) continue;
        /* the program would have written nothing more once killed: nor does its replay. The
         * helper may be blocked on a pipe nobody reads, holding its write end open besides. */
        kill(held[i].helper, SIGKILL);
        held[i].tid = 0;
    }
}
