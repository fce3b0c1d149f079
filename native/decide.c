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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
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

/* Returns -1 when the reader is gone (EPIPE): the program would have met SIGPIPE there. */
/* 0, WRITE_EPIPE (the reader has gone), or WRITE_FAILED (a full disk, a quota, an I/O error) */
enum { WRITE_EPIPE = -1, WRITE_FAILED = -2 };
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EPIPE) return WRITE_EPIPE;
        if (w <= 0) return WRITE_FAILED;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The reply's chunks, each header followed by its bytes, read whole into one anonymous mapping
 * that is kept from one replay to the next: a fresh one faulted in every page of an 800 KB output
 * again, about 2 ms a hit here. A helper writes from its own copy of it (fork), so the next reply
 * may reuse it at once. One grown past CHUNKS_KEEP_MAX is given back after its replay. */
struct chunks { unsigned char *data; size_t len, cap; };
static struct chunks reply_chunks;
#define CHUNKS_KEEP_MAX ((size_t)8 << 20)

static int read_chunks(int channel, uint32_t nchunks, struct chunks *out)
{
    out->len = 0;
    if (out->cap == 0) {
        void *fresh = mmap(NULL, (size_t)1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (fresh == MAP_FAILED) return -1;
        out->data = fresh;
        out->cap = (size_t)1 << 16;
    }
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

static void release_chunks(struct chunks *ch)
{
    if (ch->cap <= CHUNKS_KEEP_MAX) return;
    munmap(ch->data, ch->cap);
    ch->data = NULL;
    ch->cap = 0;
}

/* Returns -1 when a write met a closed pipe (the rest is not written, as the program would have
 * been killed there). */
/* Writes the chunks whose fd is (files: 1) or is not (0) in files[]; 0, or write_all's failure;
 * *failed: the fd (1, 2) it failed on */
static int write_chunks_to(const struct chunks *ch, const int fds[3], const int files[3], int which, int *failed)
{
    for (size_t at = 0; at + sizeof(struct pct_output_chunk) <= ch->len;) {
        struct pct_output_chunk c;
        memcpy(&c, ch->data + at, sizeof c);
        at += sizeof c;
        /* never the process's stdin, whatever a stored entry says */
        const int mine = (c.fd == 1 || c.fd == 2) && fds[c.fd] >= 0 && (files[c.fd] != 0) == which;
        const int r = mine ? write_all(fds[c.fd], ch->data + at, c.len) : 0;
        if (r < 0) {
            if (failed) *failed = (int)c.fd;
            return r;
        }
        at += c.len;
    }
    return 0;
}

/* Where a replay into a regular file began: put back when the replay cannot be written whole */
struct file_mark { off_t offset, size; int valid; };

/* The chunks into regular files first, then the others (pipes, terminals): what a file cannot take
 * (a full disk) is taken back before anything went where it cannot be (hunt 14: a pipe's copy was
 * written twice once the program ran). Each destination gets its chunks in their order. */
static int write_chunks(const struct chunks *ch, const int fds[3], const struct file_mark marks[3], int *failed)
{
    const int files[3] = { 0, marks ? marks[1].valid : 0, marks ? marks[2].valid : 0 };
    const int r = write_chunks_to(ch, fds, files, 1, failed);
    return r < 0 ? r : write_chunks_to(ch, fds, files, 0, failed);
}

static void mark_files(const int fds[3], struct file_mark marks[3])
{
    for (int fd = 1; fd <= 2; fd++) {
        struct stat st;
        marks[fd].valid = fds[fd] >= 0 && fstat(fds[fd], &st) == 0 && S_ISREG(st.st_mode) &&
                          (marks[fd].offset = lseek(fds[fd], 0, SEEK_CUR)) >= 0;
        if (marks[fd].valid) marks[fd].size = st.st_size;
    }
}

/* Takes back what a failed replay wrote into its files: a write that went at the end is cut off,
 * and the offset goes back where it was, so that the program, run instead, writes from there. */
static void unwrite_files(const int fds[3], const struct file_mark marks[3])
{
    for (int fd = 1; fd <= 2; fd++) {
        if (!marks[fd].valid) continue;
        struct stat st;
        const int appended = (fcntl(fds[fd], F_GETFL) & O_APPEND) || marks[fd].offset >= marks[fd].size;
        if (appended && fstat(fds[fd], &st) == 0 && st.st_size > marks[fd].size && ftruncate(fds[fd], marks[fd].size) < 0) {
            /* nothing more to do: the program's own writes go after what the replay left */
        }
        lseek(fds[fd], marks[fd].offset, SEEK_SET);
    }
}

static size_t output_bytes(const struct chunks *ch)
{
    size_t total = 0;
    for (size_t at = 0; at + sizeof(struct pct_output_chunk) <= ch->len;) {
        struct pct_output_chunk c;
        memcpy(&c, ch->data + at, sizeof c);
        total += c.len;
        at += sizeof c + c.len;
    }
    return total;
}

/* What a pipe can take now without a wait: its size less what it holds (0 when unknown). */
static size_t pipe_room(int fd)
{
    int queued = 0;
    const int size = fd >= 0 ? fcntl(fd, F_GETPIPE_SZ) : -1;
    if (size <= 0 || ioctl(fd, FIONREAD, &queued) < 0 || queued < 0 || queued > size) return 0;
    return (size_t)(size - queued);
}

/* A write there can wait for a reader (a pipe, a socket, a terminal): and the reader may itself be
 * waiting at a stop for this very tracer. Regular files and /dev/null never make it wait. */
static int may_block(int fd)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) return 0;
    return !(S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)));
}

/* A helper's exit status when the pipe it wrote into had no reader left */
#define HELPER_EPIPE 3
/* the helper's exit status when a file could not take the output (a full disk): taken back, and the program runs */
#define HELPER_UNWRITTEN 4

/* Skipped processes held at their exec while a helper writes their output (see pct_finish_held).
 * go: a deferred replay's helper waits for a byte there before it writes ('w') or drops ('d') the
 * output, until deadline; -1 once released. */
#define HELD_CAP 1024
/* watch: the shell that alone held the pipe for reading; reads_only once it forked (the fork may
 * be the reader, and the shell's wait for it is no sign that none is coming) */
static struct { int helper, tid, code, go, done, fits, watch, reads_only; uint64_t deadline, pipe; } held[HELD_CAP];
static int deferred;
static uint32_t wait_ms;

uint32_t pct_wait_ms(void) { return wait_ms; }

/* Closes a deferred replay's go and done pipes: it is no longer deferred. */
static void undefer(int i)
{
    if (held[i].go < 0) return;
    close(held[i].go);
    if (held[i].done >= 0) close(held[i].done);
    held[i].go = held[i].done = -1;
    deferred--;
}

/* Lets a deferred replay's helper go on: it writes the output, or drops it. A reader that let it
 * go (its read or select) waits until output the pipe has room for is there: untraced, it had
 * long been there (`read -t 0` finds it). Bounded: the room may have been taken meanwhile. */
static void release_slot(int i, int writes, int reader_waits)
{
    const char c = writes ? 'w' : 'd';
    if (write(held[i].go, &c, 1) != 1) { /* the helper then reads the end: it writes, as it would have */ }
    if (reader_waits && writes && held[i].fits && held[i].done >= 0) {
        struct pollfd p = { held[i].done, POLLIN, 0 };
        while (poll(&p, 1, 50) < 0 && errno == EINTR) {}
    }
    undefer(i);
}

static int held_slot(void)
{
    for (int i = 0; i < HELD_CAP; i++) if (!held[i].helper) return i;
    return -1;
}

enum { REPLAY_FAILED = -1, REPLAY_DONE = 0, REPLAY_HELD = 1 };

/* Writes the reply's chunks to the process's fds (the same open files, through pidfd_getfd). A
 * write that could block goes to a helper process, so that the tracer serves the reader meanwhile:
 * `ls -R | wc -l` with ls skipped filled the pipe while wc waited at its exec for the tracer. */
static int replay(int tid, int channel, uint32_t nchunks, int code, uint32_t defer_ms, int watch)
{
    struct chunks *const ch = &reply_chunks;
    int result = REPLAY_FAILED;
    int fds[3] = { -1, -1, -1 };
    if (read_chunks(channel, nchunks, ch) == 0) {
        int pidfd = process_pidfd(tid);
        /* without its fds the output would go nowhere: the program runs instead */
        if (pidfd < 0) {
            release_chunks(ch);
            return REPLAY_FAILED;
        }
        for (int fd = 1; fd <= 2; fd++) fds[fd] = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        close(pidfd);
        const int slot = may_block(fds[1]) || may_block(fds[2]) ? held_slot() : -1;
        int go[2] = { -1, -1 }, done[2] = { -1, -1 };
        if (slot >= 0 && defer_ms && pipe2(go, O_CLOEXEC) < 0) go[0] = go[1] = -1;
        /* the helper's end closes when it has written: what a reader that let it go waits for */
        if (go[0] >= 0 && pipe2(done, O_CLOEXEC) < 0) done[0] = done[1] = -1;
        /* deferred, output the pipe had room for: the program would have put it all there at once,
         * while its reader was still there; a reader gone by the release is no SIGPIPE */
        const int fits = go[0] >= 0 && output_bytes(ch) <= pipe_room(fds[1]);
        const pid_t tracer = getpid();
        const pid_t helper = slot >= 0 ? pct_raw_fork() : -1;
        if (helper == 0) {
            /* the tracer's end kills the process held for this output (PTRACE_O_EXITKILL) */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            char c = 'w'; /* the tracer's end closed without a word: written, as without a deferral */
            if (done[0] >= 0) close(done[0]);
            if (go[0] >= 0) {
                close(go[1]);
                while (read(go[0], &c, 1) < 0 && errno == EINTR) {}
            }
            if (getppid() != tracer || c != 'w') _exit(0);
            struct file_mark marks[3];
            int failed = 0;
            mark_files(fds, marks);
            const int wrote = write_chunks(ch, fds, marks, &failed);
            if (wrote == WRITE_EPIPE && !fits) _exit(HELPER_EPIPE);
            if (wrote == WRITE_FAILED && marks[failed].valid) {
                unwrite_files(fds, marks);
                _exit(HELPER_UNWRITTEN);
            }
            _exit(0);
        }
        if (go[0] >= 0) close(go[0]);
        if (done[1] >= 0) close(done[1]);
        if (helper > 0) {
            held[slot].helper = helper;
            held[slot].tid = tid;
            held[slot].code = code;
            held[slot].go = go[1];
            held[slot].done = done[0];
            held[slot].fits = fits;
            held[slot].deadline = now_ns() + (uint64_t)defer_ms * 1000000u;
            held[slot].pipe = fd_identity(tid, 1);
            held[slot].watch = go[1] >= 0 ? watch : 0;
            held[slot].reads_only = 0;
            if (go[1] >= 0) deferred++;
            result = REPLAY_HELD;
        } else {
            if (go[1] >= 0) close(go[1]);
            if (done[0] >= 0) close(done[0]);
            /* nothing can wait, or no helper could be had. A file that cannot take the output
             * (a full disk, a quota: hunt 13) gets it back as it was, and the program runs: what
             * it does on a failed write is its own */
            struct file_mark marks[3];
            int failed = 0;
            mark_files(fds, marks);
            const int wrote = write_chunks(ch, fds, marks, &failed);
            result = wrote == WRITE_FAILED && marks[failed].valid ? REPLAY_FAILED : REPLAY_DONE;
            if (result == REPLAY_FAILED) unwrite_files(fds, marks);
        }
    }
    for (int i = 0; i < 3; i++) if (fds[i] >= 0) close(fds[i]);
    release_chunks(ch);
    return result;
}

/* Turns the stopped syscall into exit_group(code). */
/* Turns the call tid is stopped at the entry of into nr(a0, a1). */
static int become_call(int tid, long nr, uint64_t a0, uint64_t a1)
{
#if defined(__x86_64__)
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0) return -1;
    regs.orig_rax = (unsigned long long)nr;
    regs.rdi = a0;
    regs.rsi = a1;
    return ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0 ? -1 : 0;
#elif defined(__aarch64__)
    struct user_regs_struct regs;
    struct iovec iov = { &regs, sizeof regs };
    if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0) return -1;
    regs.regs[0] = a0;
    regs.regs[1] = a1;
    if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0) return -1;
    int n = (int)nr;
    struct iovec sys = { &n, sizeof n };
    return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sys) < 0 ? -1 : 0;
#endif
}

static int become_exit(int tid, int code)
{
    return become_call(tid, __NR_exit_group, (uint64_t)(unsigned)code, 0);
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
    const char *kinds[3] = { stdio_look_at_exec(tid, 0, &streams[2]), stdio_look_at_exec(tid, 1, &streams[0]),
                             stdio_look_at_exec(tid, 2, &streams[1]) };
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
    /* a deferred writer into this exec's stdin: its bytes keyed this one (or could not) */
    for (int i = 0; reply.release_tid && i < HELD_CAP; i++)
        if (held[i].helper && held[i].go >= 0 && held[i].tid == reply.release_tid) release_slot(i, reply.release_write != 0, 0);
    if (reply.skip == PCT_REPLY_WAIT) {
        wait_ms = reply.defer_ms;
        return PCT_EXEC_WAIT;
    }
    if (!reply.skip) {
        attrs_hold(tid, pid);
        return PCT_EXEC_RUNS;
    }
    if (attrs_read_seeks(channel, reply.nseeks) < 0) return PCT_EXEC_RUNS;
    const int replayed = reply.nchunks ? replay(tid, channel, reply.nchunks, reply.exit_code, reply.defer_ms, reply.defer_watch) : REPLAY_DONE;
    if (replayed == REPLAY_FAILED) return PCT_EXEC_RUNS;
    attrs_apply_seeks(tid, pid); /* where the recorded run left the files it shares with its parent */
    if (replayed == REPLAY_HELD) return PCT_EXEC_HELD;
    return become_exit(tid, reply.exit_code) == 0 ? PCT_EXEC_SKIPPED : PCT_EXEC_RUNS;
}

/* The skipped process's thread tid, at its exec's entry, kills its process instead of exiting:
 * kill(tid, sig) in place of the exec, the signal taken on the way back. */
static int become_killed(int tid, int sig)
{
    return become_call(tid, __NR_kill, (uint64_t)tid, (uint64_t)sig);
}

/* What sig is to tid (/proc/TID/status masks): SIG_AS_DEFAULT, SIG_CAUGHT (after the exec it
 * would be back to its default, which a kill now would not be), or SIG_OTHER: blocked, ignored,
 * or unknown. */
enum { SIG_AS_DEFAULT, SIG_CAUGHT, SIG_OTHER };
static int signal_state(int tid, int sig)
{
    int set[3];
    if (signal_masks(tid, sig, set) < 0) return SIG_OTHER;
    return set[0] || set[1] ? SIG_OTHER : set[2] ? SIG_CAUGHT : SIG_AS_DEFAULT;
}

/* How a held process ends: with its recorded code, or, when its replay met a closed pipe, as the
 * program would have: killed by SIGPIPE (its default after the exec). A SIGPIPE it would ignore or
 * block makes its write fail with EPIPE instead, and what a program then does is its own: it ends
 * with the recorded code (README: not modelled). */
static void end_held(int tid, int code, int helper_status)
{
    if (WIFEXITED(helper_status) && WEXITSTATUS(helper_status) == HELPER_UNWRITTEN) {
        ptrace(PTRACE_CONT, tid, 0, 0); /* held at its exec's entry: the exec goes on */
        return;
    }
    const int broken = WIFEXITED(helper_status) && WEXITSTATUS(helper_status) == HELPER_EPIPE;
    const int state = broken ? signal_state(tid, SIGPIPE) : SIG_OTHER;
    /* caught: a shell's fork may have a handler, which the program would not: its status then */
    int done = state == SIG_AS_DEFAULT ? become_killed(tid, SIGPIPE) : state == SIG_CAUGHT ? become_exit(tid, 128 + SIGPIPE) : -1;
    if (done < 0) done = become_exit(tid, code);
    if (done == 0) ptrace(PTRACE_CONT, tid, 0, 0);
}

int pct_finish_held(int helper, int status)
{
    for (int i = 0; i < HELD_CAP; i++) {
        if (held[i].helper != helper) continue;
        undefer(i);
        held[i].helper = 0;
        /* tid 0: it was killed meanwhile (pct_forget_held), and its number may be another's now */
        if (held[i].tid) end_held(held[i].tid, held[i].code, status);
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
        undefer(i);
        held[i].tid = 0;
    }
}

int pct_deferred_count(void) { return deferred; }

/* How often a watched shell is looked at: a command substitution's read waits this long at most */
#define WATCH_POLL_NS 2000000u

/* Has the watched shell, which alone holds a deferred replay's pipe for reading, gone on without
 * a reader: blocked reading that pipe itself (`x=$(cmd)`, `read -u 3` through a copy the filter
 * does not trap), or, unless reads_only, waiting for a child (no stage is coming)?
 * /proc/PID/syscall names the call it sleeps in and its arguments; "running" else. */
static int watched_goes_on(int pid, uint64_t pipe, int reads_only)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/syscall", pid);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1; /* gone: nobody is coming */
    const ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    if (n <= 0) return 0;
    line[n] = 0;
    char *end;
    const long nr = strtol(line, &end, 10);
    if (end == line) return 0; /* "running" */
    if (nr == __NR_wait4 || nr == __NR_waitid) return !reads_only;
    if (nr != __NR_read && nr != __NR_readv && nr != __NR_pread64) return 0;
    const long arg0 = strtol(end, NULL, 16);
    return arg0 >= 0 && arg0 < 1024 && fd_identity(pid, (int)arg0) == pipe;
}

uint64_t pct_deferred_deadline(uint64_t now)
{
    uint64_t nearest = UINT64_MAX;
    for (int i = 0; deferred && i < HELD_CAP; i++) {
        if (!held[i].helper || held[i].go < 0) continue;
        /* a watched shell is looked at again soon, its deadline or not */
        const uint64_t at = held[i].watch && now + WATCH_POLL_NS < held[i].deadline ? now + WATCH_POLL_NS : held[i].deadline;
        if (at < nearest) nearest = at;
    }
    return nearest;
}

void pct_release_read(uint64_t pipe)
{
    for (int i = 0; deferred && pipe && i < HELD_CAP; i++) {
        if (!held[i].helper || held[i].go < 0 || held[i].pipe != pipe) continue;
        event_begin(PCT_EV_DEFER_END, PCT_DEFER_READ, held[i].tid, 0, 0, 0, 0);
        release_slot(i, 1, 1);
    }
}

int pct_release_expired(uint64_t now)
{
    int released = 0;
    for (int i = 0; deferred && i < HELD_CAP; i++) {
        if (!held[i].helper || held[i].go < 0) continue;
        const int due = held[i].deadline <= now;
        if (!due && !(held[i].watch && watched_goes_on(held[i].watch, held[i].pipe, held[i].reads_only))) continue;
        event_begin(PCT_EV_DEFER_END, due ? PCT_DEFER_DEADLINE : PCT_DEFER_WATCHED, held[i].tid, 0, 0, 0, 0);
        release_slot(i, 1, 0);
        released++;
    }
    return released;
}

void pct_deferred_forked(int pid)
{
    for (int i = 0; deferred && i < HELD_CAP; i++)
        if (held[i].helper && held[i].go >= 0 && held[i].watch == pid) held[i].reads_only = 1;
}

