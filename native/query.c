/* The queries (stat, access, readlink, opening for reading) are answered by the tracer itself while
 * the tracee waits: one syscall here instead of a second stop for the result. The answer is the
 * file system's at that instant: the same class of race as hashing a file after it was read. */
#define _GNU_SOURCE
#include "query.h"
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int is_tty_path(const char *p)
{
    return starts_with(p, "/dev/tty") || starts_with(p, "/dev/pts/") ||
           strcmp(p, "/dev/console") == 0 || strcmp(p, "/dev/ptmx") == 0;
}

long open_flags(int tid, const struct pct_syscall *row, const uint64_t *args)
{
    if (row->cls == CL_OPENAT2) {
        uint64_t how = 0;
        return read_mem(tid, args[row->extra], &how, sizeof how) == sizeof how ? (long)how : 0;
    }
    if (row->extra == NOARG) return O_CREAT | O_WRONLY | O_TRUNC; /* creat */
    return (long)(int)args[row->extra];
}

int opens_for_reading(long flags)
{
    return (flags & O_ACCMODE) == O_RDONLY && !(flags & (O_CREAT | O_TRUNC)) &&
           (flags & O_TMPFILE) != O_TMPFILE;
}

/* Paths whose meaning depends on the process that asks, rewritten to name the tracee's own
 * /proc entries, so that the tracer's answer is the tracee's. */
static const struct { const char *prefix, *leaf; int fd; } self_paths[] = {
    { "/proc/self", "", -1 }, { "/proc/thread-self", "/task/", -2 }, { "/dev/fd", "/fd", -1 },
    { "/dev/stdin", "/fd/", 0 }, { "/dev/stdout", "/fd/", 1 }, { "/dev/stderr", "/fd/", 2 },
};

static const char *as_seen_by(int tid, const char *path, char *out, size_t cap)
{
    for (size_t i = 0; i < sizeof self_paths / sizeof self_paths[0]; i++) {
        size_t n = strlen(self_paths[i].prefix);
        if (strncmp(path, self_paths[i].prefix, n) != 0 || (path[n] && path[n] != '/')) continue;
        proc_path(out, cap, tid, self_paths[i].leaf, self_paths[i].fd == -2 ? tid : self_paths[i].fd);
        append(out + strlen(out), out + cap, path + n);
        return out;
    }
    return path;
}

/* access(2) and faccessat(2): a permission check, not a stat (arm64 has no access(2)) */
static int is_access_check(int nr)
{
#ifdef __NR_access
    if (nr == __NR_access) return 1;
#endif
    return nr == __NR_faccessat || nr == __NR_faccessat2;
}

int answer_query(struct pct_bufs *b, int tid, int pid, const struct pct_syscall *row, const uint64_t *args)
{
    if (arg_path(b, tid, args, row->dirfd, row->path, b->a) < 0) return 0;
    const char *real = as_seen_by(tid, b->a, b->raw, sizeof b->raw);
    switch (row->cls) {
    case CL_PROBE: case CL_LPROBE: {
        int nofollow = row->cls == CL_LPROBE ||
                       (row->extra != NOARG && (args[row->extra] & AT_SYMLINK_NOFOLLOW));
        struct stat st;
        char seen[STAT_TEXT_CAP];
        int err = fstatat(AT_FDCWD, real, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) < 0 ? errno : 0;
        if (!err) stat_text(&st, seen);
        const int checks = is_access_check(row->nr);
        const uint32_t kind = (err ? 0 : (st.st_mode & S_IFMT) >> 12) | (nofollow ? PCT_PROBE_NOFOLLOW : 0) |
                              (checks ? PCT_PROBE_ACCESS : 0);
        access_event(pid, PCT_OP_PROBE, err, kind, 0, b->a, err ? NULL : seen);
        return 1;
    }
    case CL_READLINK: {
        int n = read_link(real, b->b, sizeof b->b);
        access_event(pid, PCT_OP_READLINK, n < 0 ? errno : 0, 0, 0, b->a, n < 0 ? NULL : b->b);
        return 1;
    }
    default: { /* an open for reading only */
        /* what it will read is the file as it is now: a change by a process outside the trace
         * before the recording shows as another identity (a FIFO or a device shows its type) */
        struct stat st;
        char seen[STAT_TEXT_CAP];
        const long flags = open_flags(tid, row, args);
        const int nofollow = (flags & O_PATH) && (flags & O_NOFOLLOW);
        int err = fstatat(AT_FDCWD, real, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) < 0 ? errno : 0;
        /* the open of /dev/tty fails without a controlling terminal (CI runners): an answer the
         * key's "ctty" decides, not a read of a terminal */
        if (!err && strcmp(b->a, "/dev/tty") == 0 && ctty_of(tid) == 0) {
            access_event(pid, PCT_OP_PROBE, ENXIO, (st.st_mode & S_IFMT) >> 12, 0, b->a, NULL);
            return 1;
        }
        int absent = err == ENOENT || err == ENOTDIR;
        if (!err) stat_text(&st, seen);
        /* O_PATH reads no byte, and O_DIRECTORY fails on anything but a directory (mv -f opens
         * its destination so): what the program learns is a stat's, not the content */
        const int no_content = !err && ((flags & O_PATH) || ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode)));
        const uint32_t kind = (err ? 0 : (st.st_mode & S_IFMT) >> 12) | (no_content && nofollow ? PCT_PROBE_NOFOLLOW : 0);
        access_event(pid, absent || no_content ? PCT_OP_PROBE : PCT_OP_READ, err, kind, 0, b->a, err ? NULL : seen);
        if (!err && (strcmp(b->a, "/dev/urandom") == 0 || strcmp(b->a, "/dev/random") == 0))
            event_str(PCT_EV_NONDET, pid, b->a);
        /* a failed open of a terminal is an answer the key's "ctty" attribute decides */
        if (!err && is_tty_path(b->a)) event_str(PCT_EV_FLAG, pid, "tty");
        return 1;
    }
    }
}
