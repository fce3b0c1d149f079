/* A process's attributes at its exec query: one read of /proc/TID/status (umask, credentials,
 * signals, affinity), prlimit for each resource limit, a readlink per namespace, uname, and the
 * fds that survive the exec. Called on the ptrace thread only, once per exec query: never per
 * syscall. */
#define _GNU_SOURCE
#include "attrs.h"
#include "paths.h"
#include "emit.h"
#include "tracer.h"

#include <errno.h>
#include <linux/kcmp.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <stdio.h>
#include <unistd.h>

/* The namespaces whose difference changes what a program sees (its hostname, its mounts, its
 * ids, its pids, its IPC objects, its network). Normally all are the tracer's, and none is sent. */
static const char *const ns_names[] = { "uts", "mnt", "user", "pid", "ipc", "net" };
#define NS_COUNT (sizeof ns_names / sizeof ns_names[0])
static char own_ns[NS_COUNT][64];
static int own_uts = -1; /* the tracer's UTS namespace, to return to after looking into another */

void attrs_init(void)
{
    char link[64];
    for (size_t i = 0; i < NS_COUNT; i++) {
        append(append(link, link + sizeof link, "/proc/self/ns/"), link + sizeof link, ns_names[i]);
        if (read_link(link, own_ns[i], sizeof own_ns[i]) < 0) own_ns[i][0] = 0;
    }
    own_uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
}

/* ---- the output: "key=value\0" strings --------------------------------------------------------- */

struct out { char *at, *end; int full; };

static void put_kv(struct out *o, const char *key, const char *value)
{
    const size_t k = strlen(key), v = strlen(value);
    if (o->full || (size_t)(o->end - o->at) < k + v + 2) { o->full = 1; return; }
    memcpy(o->at, key, k);
    o->at[k] = '=';
    memcpy(o->at + k + 1, value, v);
    o->at[k + 1 + v] = 0;
    o->at += k + v + 2;
}

static ssize_t read_small(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t got = 0;
    while (got < cap - 1) {
        ssize_t r = read(fd, buf + got, cap - 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    return (ssize_t)got;
}

/* ---- /proc/TID/status ------------------------------------------------------------------------ */

static char status[16384];

/* A status line's value with its tabs made single spaces ("0 0 0 0" for Uid:), or NULL. */
static const char *status_field(const char *name, char *dst, size_t cap)
{
    char key[32];
    append(append(append(key, key + sizeof key, "\n"), key + sizeof key, name), key + sizeof key, ":");
    const char *at = strstr(status, key);
    if (!at) return NULL;
    at += strlen(key);
    size_t n = 0;
    int space = 0;
    for (; *at && *at != '\n' && n < cap - 1; at++) {
        if (*at == '\t' || *at == ' ') { space = n > 0; continue; }
        if (space) { dst[n++] = ' '; space = 0; if (n >= cap - 1) break; }
        dst[n++] = *at;
    }
    dst[n] = 0;
    return dst;
}

/* (the status fields copied into the query, under their protocol keys) */
static const struct { const char *field, *key; } status_keys[] = {
    { "Uid", "uid" }, { "Gid", "gid" }, { "Groups", "groups" }, { "SigIgn", "sigign" },
    { "SigBlk", "sigblk" }, { "Cpus_allowed_list", "affinity" },
    /* what root may do (a dropped CAP_DAC_OVERRIDE makes `cat` of a mode-000 file fail), and
     * settings inherited across exec (hunt 32) */
    { "CapInh", "capinh" }, { "CapPrm", "capprm" }, { "CapEff", "capeff" }, { "CapBnd", "capbnd" },
    { "CapAmb", "capamb" }, { "NoNewPrivs", "nnp" }, { "THP_enabled", "thp" },
    /* signals pending at the exec (blocked, sent before it, by the program before or another):
     * delivered once unblocked, and shown in status (hunt 33) */
    { "SigPnd", "sigpnd" }, { "ShdPnd", "shdpnd" },
};

static void put_status(struct out *o, int tid, int *umask)
{
    char path[64], value[4096];
    proc_path(path, sizeof path, tid, "/status", -1);
    *umask = -1;
    status[0] = 0;
    if (read_small(path, status, sizeof status) <= 0) return; /* every key missing: unknown */
    if (status_field("Umask", value, sizeof value)) {
        char *end;
        long mask = strtol(value, &end, 8);
        if (end != value && mask >= 0 && mask <= 0777) *umask = (int)mask;
    }
    for (size_t i = 0; i < sizeof status_keys / sizeof status_keys[0]; i++)
        if (status_field(status_keys[i].field, value, sizeof value)) put_kv(o, status_keys[i].key, value);
}

/* Whether it has a controlling terminal: an open of /dev/tty fails with ENXIO without one, which
 * makes that failure an answer the key decides. Only yes or no: which terminal is the session's. */
static void put_ctty(struct out *o, int tid)
{
    const int tty_nr = ctty_of(tid);
    put_kv(o, "ctty", tty_nr < 0 ? "?" : tty_nr ? "yes" : "no");
}

/* "ROWSxCOLS" of each of fds 0, 1 and 2 that is a terminal, "-" for one that is not, joined by
 * spaces (through a copy of the fd: opening the terminal again could make it the tracer's): sent
 * at every exec, keyed only for a subtree that asked (TIOCGWINSZ, an observed attribute), on
 * whichever fd it asked */
static void put_winsize(struct out *o, int tid)
{
    char text[96];
    char *p = text, *const end = text + sizeof text;
    for (int fd = 0; fd < 3; fd++) {
        if (fd) p = append(p, end, " ");
        if (strcmp(stdio_look(tid, fd, NULL), "tty") != 0) { p = append(p, end, "-"); continue; }
        const int pidfd = process_pidfd(tid);
        const int dup = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0) : -1;
        struct winsize ws;
        const int ok = dup >= 0 && ioctl(dup, TIOCGWINSZ, &ws) == 0;
        if (dup >= 0) close(dup);
        if (pidfd >= 0) close(pidfd);
        if (!ok) { put_kv(o, "winsize", "?"); return; }
        p = append_int(p, end, ws.ws_row);
        p = append(p, end, "x");
        p = append_int(p, end, ws.ws_col);
    }
    put_kv(o, "winsize", text);
}

/* ---- limits, namespaces, uname ---------------------------------------------------------------- */

static char *append_limit(char *p, const char *end, rlim_t v)
{
    return v == RLIM_INFINITY || v > (rlim_t)0x7fffffffffffffffull ? append(p, end, "inf") : append_int(p, end, (long)v);
}

/* /proc/TID/limits, for a process prlimit may not look at (another uid, without CAP_SYS_RESOURCE):
 * a header, then one line per limit in RLIMIT_* order, soft and hard from column 26. */
static int limits_from_proc(int tid, char *p, const char *end)
{
    static char text[4096];
    char path[64];
    proc_path(path, sizeof path, tid, "/limits", -1);
    if (read_small(path, text, sizeof text) <= 0) return -1;
    char *line = strchr(text, '\n');
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        if (!line || strlen(line + 1) < 27) return -1;
        line++;
        char *value = line + 26, *after;
        if (r) p = append(p, end, ",");
        for (int i = 0; i < 2; i++) {
            while (*value == ' ') value++;
            if (starts_with(value, "unlimited")) { p = append(p, end, "inf"); after = value + 9; }
            else { long v = strtol(value, &after, 10); if (after == value) return -1; p = append_int(p, end, v); }
            if (!i) p = append(p, end, ":");
            value = after;
        }
        line = strchr(line, '\n');
    }
    return 0;
}

uint64_t attrs_fsize_limit(int pid)
{
    struct rlimit rl;
    if (prlimit(pid, RLIMIT_FSIZE, NULL, &rl) == 0) return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
    char text[RLIM_NLIMITS * 48];
    if (limits_from_proc(pid, text, text + sizeof text) != 0) return 0;
    const char *fsize = strchr(text, ',');
    return fsize && starts_with(fsize + 1, "inf:") ? UINT64_MAX : 0; /* a finite one: as if 0 */
}

/* Every resource limit, soft:hard, in RLIMIT_* order; "?" when they cannot be read. */
static void put_rlimits(struct out *o, int tid)
{
    char text[RLIM_NLIMITS * 48];
    char *p = text, *const end = text + sizeof text;
    text[0] = 0;
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        struct rlimit rl;
        if (prlimit(tid, (__rlimit_resource_t)r, NULL, &rl) < 0) {
            put_kv(o, "rlimits", limits_from_proc(tid, text, end) == 0 ? text : "?");
            return;
        }
        if (r) p = append(p, end, ",");
        p = append(p = append_limit(p, end, rl.rlim_cur), end, ":");
        p = append_limit(p, end, rl.rlim_max);
    }
    put_kv(o, "rlimits", text);
}

/* The namespaces that are not the tracer's, as "uts:[4026532281] ..."; empty when none. Returns
 * whether the UTS namespace is another. */
static int put_namespaces(struct out *o, int tid)
{
    char text[NS_COUNT * 64], link[64], mine[64];
    char *p = text, *const end = text + sizeof text;
    int uts_differs = 0;
    text[0] = 0;
    for (size_t i = 0; i < NS_COUNT; i++) {
        proc_path(link, sizeof link, tid, "/ns/", -1);
        append(link + strlen(link), link + sizeof link, ns_names[i]);
        if (read_link(link, mine, sizeof mine) < 0) { put_kv(o, "ns", "?"); return 1; }
        if (strcmp(mine, own_ns[i]) == 0) continue;
        if (p != text) p = append(p, end, " ");
        p = append(p, end, mine);
        if (i == 0) uts_differs = 1;
    }
    put_kv(o, "ns", text);
    return uts_differs;
}

/* uname as the process would see it: the tracer's own unless its UTS namespace is another, which
 * the tracer joins for the call (this thread only) when it may; "?" when it may not. */
static void put_uname(struct out *o, int tid, int uts_differs)
{
    struct utsname u;
    int ok;
    if (!uts_differs) {
        ok = uname(&u) == 0;
    } else {
        char link[64];
        proc_path(link, sizeof link, tid, "/ns/uts", -1);
        int fd = own_uts >= 0 ? open(link, O_RDONLY | O_CLOEXEC) : -1;
        ok = fd >= 0 && setns(fd, CLONE_NEWUTS) == 0;
        if (fd >= 0) close(fd);
        if (ok) {
            ok = uname(&u) == 0;
            /* stuck in the tracee's namespace, every later answer would be wrong: never again */
            if (setns(own_uts, CLONE_NEWUTS) < 0) { close(own_uts); own_uts = -1; ok = 0; }
        }
    }
    if (!ok) { put_kv(o, "uname", "?"); return; }
    char text[sizeof u];
    char *p = text, *const end = text + sizeof text;
    const char *fields[] = { u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (i) p = append(p, end, "|");
        p = append(p, end, fields[i]);
    }
    put_kv(o, "uname", text);
}

/* ---- fds that survive the exec ------------------------------------------------------------------ */

static char fd_target[PATH_CAP];
/* the files the last query's process inherited open for reading: held if its program runs */
#define READABLE_CAP 64
static int readable[READABLE_CAP];
/* of them, those open for reading only, and their offsets at the query */
static long readable_pos[READABLE_CAP];
static uint8_t readable_ro[READABLE_CAP];
static int nreadable;
static char fd_text[PATH_CAP + 128];

/* "N kind mode pos identity path" for fd N, unless it closes on exec (fd 0: a regular file only). */
static void put_fd(struct out *o, int tid, int fd)
{
    char path[64], info[1024];
    proc_path(path, sizeof path, tid, "/fdinfo/", fd);
    if (read_small(path, info, sizeof info) <= 0) return; /* closed meanwhile */
    const char *pos = strstr(info, "pos:"), *flags = strstr(info, "flags:");
    if (!pos || !flags) return;
    const long offset = strtol(pos + 4, NULL, 10), f = strtol(flags + 6, NULL, 8);
    if (f & O_CLOEXEC) return;
    uint64_t identity;
    const char *kind = stdio_look(tid, fd, &identity);
    /* stdin only when it is a regular file: `while read l` and `{ head -n 1; cat; } < f` */
    if (fd == 0 && strcmp(kind, "file") != 0) return;
    proc_path(path, sizeof path, tid, "/fd/", fd);
    if (read_link(path, fd_target, sizeof fd_target) < 0) fd_target[0] = 0;
    const int acc = (int)(f & O_ACCMODE);
    /* held for reading (the offset a replay restores) and for writing (whether it wrote there) */
    if (acc != O_RDWR && strcmp(kind, "file") == 0 && nreadable < READABLE_CAP) {
        readable_pos[nreadable] = offset;
        readable_ro[nreadable] = acc == O_RDONLY;
        readable[nreadable++] = fd;
    }
    char id[17];
    identity_text(identity, id);
    char *p = fd_text, *const end = fd_text + sizeof fd_text;
    p = append(append_int(p, end, fd), end, " ");
    p = append(append(p, end, kind), end, " ");
    p = append(append(p, end, acc == O_RDONLY ? "r" : acc == O_WRONLY ? "w" : "rw"), end, " ");
    p = append(append_int(p, end, offset), end, " ");
    p = append(append(p, end, id), end, " ");
    append(p, end, fd_target);
    put_kv(o, "fd", fd_text);
}

/* "N pos" for fd 1 or 2 on a regular file: the tracer takes what is written there at the write's
 * entry (no exit stop), and the recording checks that the file's offset moved by as much. With
 * O_APPEND every write goes to the end first (`cat >>confdefs.h`): the file's size is where the
 * offset starts from. */
static void put_stream(struct out *o, int tid, int fd)
{
    uint64_t identity;
    if (strcmp(stdio_look(tid, fd, &identity), "file") != 0) return;
    char path[64], info[1024];
    proc_path(path, sizeof path, tid, "/fdinfo/", fd);
    if (read_small(path, info, sizeof info) <= 0) return;
    const char *pos = strstr(info, "pos:"), *flags = strstr(info, "flags:");
    if (!pos || !flags) return;
    long start = strtol(pos + 4, NULL, 10);
    struct stat st;
    proc_path(path, sizeof path, tid, "/fd/", fd);
    if (stat(path, &st) != 0) return;
    const long f = strtol(flags + 6, NULL, 8);
    if (f & O_CLOEXEC) return; /* closed in the program the exec runs */
    if (f & O_APPEND) start = (long)st.st_size;
    if (read_link(path, fd_target, sizeof fd_target) < 0) return;
    char *p = fd_text, *const end = fd_text + sizeof fd_text;
    p = append(append_int(p, end, fd), end, " ");
    p = append(append_int(p, end, start), end, " ");
    /* its size: bytes past it were written after the exec, bytes below may be older */
    p = append(append_int(p, end, (long)st.st_size), end, " ");
    append(p, end, fd_target);
    put_kv(o, "stream", fd_text);
    if (nreadable < READABLE_CAP) {
        readable_ro[nreadable] = 0;
        readable[nreadable++] = fd;
    }
}

/* Calls visit(fd, ctx) for each fd open in pid (getdents64 on /proc/PID/fd: the tracer allocates
 * nothing) until visit returns nonzero; returns that, or -1 when the fds cannot be listed. */
int each_fd(int pid, int (*visit)(int fd, void *ctx), void *ctx)
{
    static char dents[16384];
    char dir[64];
    proc_path(dir, sizeof dir, pid, "/fd", -1);
    const int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return -1;
    int stop = 0;
    for (long n; !stop && (n = syscall(SYS_getdents64, d, dents, sizeof dents)) > 0;) {
        /* linux_dirent64: ino, off, reclen (at 16), type, name (at 19) */
        for (long off = 0; !stop && off + 19 < n;) {
            uint16_t reclen;
            memcpy(&reclen, dents + off + 16, sizeof reclen);
            if (reclen == 0) break;
            const char *name = dents + off + 19;
            char *end;
            const long fd = strtol(name, &end, 10);
            if (end != name && !*end) stop = visit((int)fd, ctx);
            off += reclen;
        }
    }
    close(d);
    return stop;
}

struct fds_out { struct out *o; int tid; };

static int put_inherited_fd(int fd, void *ctx)
{
    struct fds_out *f = ctx;
    if (fd >= 3 || fd == 0) put_fd(f->o, f->tid, fd);
    return f->o->full;
}

static void put_fds(struct out *o, int tid)
{
    struct fds_out f = { o, tid };
    if (each_fd(tid, put_inherited_fd, &f) < 0) put_kv(o, "fd", "?");
}

/* How it is scheduled, inherited across exec: its nice value, policy and real-time priority
 * (fields 19, 41 and 40 of /proc/TID/stat) and its I/O priority. `ionice` and `nice` print them,
 * python's os.nice and sched_getscheduler return them (hunt 32): in every weak fingerprint. */
/* the kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1) */
struct pct_sched_attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static void put_sched(struct out *o, int tid)
{
    char path[64], text[1024], value[192];
    proc_path(path, sizeof path, tid, "/stat", -1);
    ssize_t n = read_small(path, text, sizeof text);
    const char *after = n > 0 ? strrchr(text, ')') : NULL;
    long pgrp = 0, session = 0, nice = 0, rtprio = 0, policy = 0;
    /* after ')': state is field 3; pgrp 5, session 6, nice 19, rt_priority 40, policy 41 */
    if (!after || sscanf(after + 1, " %*c" " %*d %ld %ld %*d %*d" " %*u %*u %*u %*u %*u %*u %*u %*d %*d" " %*d %ld"
                         " %*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*d %*d %ld %ld",
                         &pgrp, &session, &nice, &rtprio, &policy) != 5) {
        put_kv(o, "sched", "?");
        return;
    }
    const long ioprio = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, tid);
    /* a session or group leader stays one across exec (setsid, setpgid: hunt 34), and so do
     * SCHED_RESET_ON_FORK and a deadline task's parameters, which stat does not show */
    char tgid_text[32];
    const long tgid = status_field("Tgid", tgid_text, sizeof tgid_text) ? strtol(tgid_text, NULL, 10) : tid;
    const int leads = (pgrp == tgid) | (session == tgid) << 1;
    struct pct_sched_attr a;
    memset(&a, 0, sizeof a);
    if (syscall(SYS_sched_getattr, tid, &a, sizeof a, 0) < 0) memset(&a, 0, sizeof a);
    /* the parameters are a deadline task's; for others the kernel shows the scheduler's own slice */
    if (a.policy != 6 /* SCHED_DEADLINE */) a.runtime = a.deadline = a.period = 0;
    snprintf(value, sizeof value, "%ld %ld %ld %ld %d %llu %llu %llu %llu", nice, policy, rtprio, ioprio, leads,
             (unsigned long long)a.flags, (unsigned long long)a.runtime, (unsigned long long)a.deadline,
             (unsigned long long)a.period);
    put_kv(o, "sched", value);
}

/* Settings of a process that it can read only in its own /proc entry, inherited across fork and
 * exec, which nothing else keys (hunt 31: `cat /proc/self/oom_score_adj` replayed the caller's
 * old value). "name=value" for each, joined by spaces, "-" for one that cannot be read (no LSM,
 * no audit): sent at every exec, keyed only for a subtree that read one (an observed attribute).
 * The list is SELF_STATE_FILES in src/trace/own-proc.ts too. */
static const char *const self_state_files[] = {
    "oom_score_adj", "oom_adj", "coredump_filter", "personality", "loginuid", "sessionid", "timerslack_ns", "attr/current",
};

static void put_self_state(struct out *o, int tid)
{
    char text[1024], *p = text, *const end = text + sizeof text;
    *p = 0;
    for (size_t i = 0; i < sizeof self_state_files / sizeof self_state_files[0]; i++) {
        char path[64], value[128], leaf[32];
        append(append(leaf, leaf + sizeof leaf, "/"), leaf + sizeof leaf, self_state_files[i]);
        proc_path(path, sizeof path, tid, leaf, -1);
        ssize_t n = read_small(path, value, sizeof value);
        while (n > 0 && (value[n - 1] == '\n' || value[n - 1] == 0)) value[--n] = 0;
        for (ssize_t k = 0; k < n; k++) if (value[k] == ' ' || value[k] == '\n') value[k] = '_';
        if (i) p = append(p, end, " ");
        p = append(append(append(p, end, self_state_files[i]), end, "="), end, n > 0 ? value : "-");
    }
    put_kv(o, "selfstate", text);
}

size_t attrs_collect(int tid, char *out, size_t cap, int *umask)
{
    struct out o = { out, out + cap, 0 };
    nreadable = 0;
    put_status(&o, tid, umask);
    put_ctty(&o, tid);
    put_winsize(&o, tid);
    put_self_state(&o, tid);
    put_sched(&o, tid);
    put_rlimits(&o, tid);
    put_uname(&o, tid, put_namespaces(&o, tid));
    put_fds(&o, tid);
    put_stream(&o, tid, 1);
    put_stream(&o, tid, 2);
    return o.full ? 0 : (size_t)(o.at - out);
}

/* ---- the offsets of inherited files ---------------------------------------------------------
 * The offset belongs to the open file, which the parent shares: `exec 3< f; prog; read x <&3`
 * reads on from where prog stopped. The tracer sees no read of an fd >= 3, so it holds a
 * duplicate of the open file while the program runs and reads the offset when it ends; a replay
 * moves the offset there. */

#define HELD_CAP 1024
/* The other traced processes that held the same open file for reading at the exec, with how many
 * reads each had made (/proc/PID/io syscr): one that read meanwhile (`read -u 3` in the shell
 * beside a background job), forked (its fork may have) or cannot be told may have moved the
 * offset too, and then where the program left it is not its own doing (hunt 44). */
#define SHARERS_CAP 8
struct sharers { int n, unsure; int pid[SHARERS_CAP]; long long reads[SHARERS_CAP]; };
static struct { int pid, fd, dup; struct timespec ctime; dev_t dev; ino_t ino; struct sharers others; } held[HELD_CAP];
static int held_count;
static int held_streams; /* of them, fds 1 and 2 */
static int held_shared;  /* of them, those with sharers: a clone or a splice anywhere looks only then */

/* How many read calls pid has made itself, or -1 (the process whose offset is held is among the
 * children its parent reaped: its thread's own count, thread_io_count) */
static long long reads_made(int pid) { return thread_io_count(pid, "syscr"); }

/* Do fd of pid and ofd of other name one open file? kcmp where the kernel has it; else the same
 * file (device and inode) counts, which may only be more careful. -1: cannot be told. */
static int one_open_file(int pid, int fd, const struct stat *st, int other, int ofd)
{
    const long r = syscall(SYS_kcmp, pid, other, KCMP_FILE, fd, ofd);
    if (r >= 0) return r == 0;
    if (errno == EBADF) return 0; /* closed meanwhile */
    if (errno != ENOSYS && errno != EPERM && errno != EACCES) return -1;
    char path[64];
    struct stat ost;
    snprintf(path, sizeof path, "/proc/%d/fd/%d", other, ofd);
    if (stat(path, &ost) != 0) return 0;
    return ost.st_dev == st->st_dev && ost.st_ino == st->st_ino;
}

struct held_file { int pid, fd, other, unsure; const struct stat *st; };

static int names_held_file(int ofd, void *ctx)
{
    struct held_file *h = ctx;
    const int same = one_open_file(h->pid, h->fd, h->st, h->other, ofd);
    if (same < 0) h->unsure = 1;
    return same > 0;
}

/* The other traced processes holding pid's fd (dup: a copy of it) open, and their reads so far;
 * then the offset is looked at again: a read between the query and now moved it unseen. */
static void find_sharers(int pid, int fd, int dup, long pos_at_query, struct sharers *s)
{
    s->n = 0;
    s->unsure = 0;
    struct stat st;
    if (fstat(dup, &st) != 0) { s->unsure = 1; return; }
    int procs[256];
    const int n = pct_traced_processes(procs, 256);
    if (n > 256) s->unsure = 1;
    for (int i = 0; i < n && i < 256 && !s->unsure; i++) {
        if (procs[i] == pid) continue;
        struct held_file h = { pid, fd, procs[i], 0, &st };
        const int holds = each_fd(procs[i], names_held_file, &h) > 0; /* -1: ended meanwhile */
        if (h.unsure) s->unsure = 1;
        if (!holds) continue;
        if (s->n == SHARERS_CAP) { s->unsure = 1; break; }
        s->pid[s->n] = procs[i];
        s->reads[s->n] = reads_made(procs[i]);
        if (s->reads[s->n] < 0) s->unsure = 1;
        s->n++;
    }
    if (lseek(dup, 0, SEEK_CUR) != pos_at_query) s->unsure = 1;
}

/* Did another process that shared the held open file read (or fork) since the exec? */
static int others_moved(const struct sharers *s)
{
    if (s->unsure) return 1;
    for (int i = 0; i < s->n; i++) if (reads_made(s->pid[i]) != s->reads[i]) return 1;
    return 0;
}

/* Lets held slot j go (its dup closed). */
static void unhold(int j)
{
    close(held[j].dup);
    held[j].pid = 0;
    held_count--;
    held_streams -= held[j].fd <= 2;
    held_shared -= held[j].others.n > 0;
}

void attrs_sharer_unseen(int pid)
{
    if (!held_shared) return;
    for (int j = 0, seen = 0; j < HELD_CAP && seen < held_count; j++) {
        if (!held[j].pid) continue;
        seen++;
        for (int i = 0; i < held[j].others.n; i++) if (held[j].others.pid[i] == pid) held[j].others.unsure = 1;
    }
}

void attrs_hold(int tid, int pid)
{
    if (!nreadable) return;
    int pidfd = process_pidfd(tid);
    if (pidfd < 0) return; /* nothing held: the recording finds the end offsets missing */
    for (int i = 0; i < nreadable; i++) {
        int dup = (int)syscall(SYS_pidfd_getfd, pidfd, readable[i], 0);
        if (dup < 0) continue;
        int slot = -1, earlier_unknown = 0;
        for (int j = 0; j < HELD_CAP && slot < 0; j++) if (held[j].pid == pid && held[j].fd == readable[i]) slot = j;
        if (slot >= 0) {
            /* the same open file held since an earlier exec of this process (`sh -c '...; exec
             * prog'`): that exec's offset and sharers' counts stand for both programs (hunt 45);
             * without kcmp, what others did before this exec cannot be told */
            const long same = syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, held[slot].dup, readable[i]);
            if (same == 0) { close(dup); continue; }
            earlier_unknown = same < 0;
            unhold(slot);
        }
        for (int j = 0; j < HELD_CAP && slot < 0; j++) if (!held[j].pid) slot = j;
        if (slot < 0) { close(dup); continue; }
        struct stat st;
        held[slot].pid = pid;
        held[slot].fd = readable[i];
        held[slot].dup = dup;
        const int stated = fstat(dup, &st) == 0;
        held[slot].ctime = stated ? st.st_ctim : (struct timespec){ -1, 0 };
        held[slot].dev = stated ? st.st_dev : 0;
        held[slot].ino = stated ? st.st_ino : 0;
        held[slot].others.n = 0;
        held[slot].others.unsure = 0;
        if (readable_ro[i]) find_sharers(pid, readable[i], dup, readable_pos[i], &held[slot].others);
        if (earlier_unknown) held[slot].others.unsure = 1;
        held_shared += held[slot].others.n > 0;
        held_count++;
        held_streams += readable[i] <= 2;
    }
    close(pidfd);
}

int attrs_streams_held(void) { return held_streams; }

int attrs_held_stream(uint64_t identity)
{
    for (int j = 0, seen = 0; j < HELD_CAP && seen < held_count; j++) {
        if (!held[j].pid) continue;
        seen++;
        if (held[j].fd <= 2 && held[j].ino && (((uint64_t)held[j].dev << 40) ^ (uint64_t)held[j].ino ^ 1) == identity) return 1;
    }
    return 0;
}

/* Files that more than one process wrote into lately, by their last writer: while two processes
 * take turns (`make -j2 > log`), a write's position, taken at its entry, can be passed by the
 * other's write that the kernel runs first, so one process's consecutive writes may not lie
 * together in the file. */
#define TAKEN_TURNS_NS 300000000ull
#define WRITTEN_CAP 64
static struct { dev_t dev; ino_t ino; int pid; uint64_t turn_ns, used_ns; } written[WRITTEN_CAP];

static int lone_writer(dev_t dev, ino_t ino, int pid)
{
    const uint64_t now = now_ns();
    int at = 0;
    for (int i = 0; i < WRITTEN_CAP; i++) {
        if (written[i].ino == ino && written[i].dev == dev && written[i].pid) { at = i; goto found; }
        if (written[i].used_ns < written[at].used_ns) at = i;
    }
    written[at].dev = dev;
    written[at].ino = ino;
    written[at].pid = pid;
    written[at].turn_ns = 0;
found:
    written[at].used_ns = now;
    if (written[at].pid != pid) {
        written[at].pid = pid;
        written[at].turn_ns = now;
    }
    return !written[at].turn_ns || now - written[at].turn_ns > TAKEN_TURNS_NS;
}

/* The tracer's own pid, asked once: glibc asks the kernel every time, and every write asks. */
static pid_t own_pid(void)
{
    static pid_t pid;
    if (!pid) pid = getpid();
    return pid;
}

/* The held slot of pid's stream (1 or 2), or -1. */
static int stream_slot(int pid, int stream)
{
    for (int j = 0, seen = 0; j < HELD_CAP && seen < held_count; j++) {
        if (!held[j].pid) continue;
        seen++;
        if (held[j].pid == pid && held[j].fd == stream) return j;
    }
    return -1;
}

int attrs_is_held_stream(int pid, int tid, int fd, int stream)
{
    const int j = stream_slot(pid, stream);
    return j >= 0 && syscall(SYS_kcmp, tid, own_pid(), KCMP_FILE, fd, held[j].dup) == 0;
}

int64_t attrs_stream_pos(int pid, int stream, int *lone)
{
    *lone = 0;
    const int j = stream_slot(pid, stream);
    if (j < 0) return -1;
    *lone = held[j].ino && lone_writer(held[j].dev, held[j].ino, pid);
    return attrs_write_pos(held[j].dup);
}

int64_t attrs_write_pos(int fd)
{
    struct stat st;
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    if (flags & O_APPEND) return fstat(fd, &st) == 0 ? (int64_t)st.st_size : -1;
    return (int64_t)lseek(fd, 0, SEEK_CUR);
}

void attrs_release(int pid)
{
    for (int j = 0; j < HELD_CAP && held_count > 0; j++) {
        if (held[j].pid != pid) continue;
        /* the offset, and the size: a pwrite with O_APPEND grows the file and leaves the offset;
         * a pwrite inside the file changes neither, but its ctime (PCT_FD_CHANGED then) */
        struct stat st;
        const int stated = fstat(held[j].dup, &st) == 0;
        const int changed = !stated || st.st_ctim.tv_sec != held[j].ctime.tv_sec || st.st_ctim.tv_nsec != held[j].ctime.tv_nsec;
        const int64_t ends[3] = { lseek(held[j].dup, 0, SEEK_CUR), changed ? PCT_FD_CHANGED : (int64_t)st.st_size, others_moved(&held[j].others) };
        if (ends[0] >= 0) {
            emit_lock();
            event_begin(PCT_EV_FD_END, (uint16_t)held[j].fd, pid, 0, 0, 0, sizeof ends);
            put_bytes(ends, sizeof ends);
            emit_unlock();
        }
        unhold(j);
    }
}

#define SEEKS_CAP 64
static struct pct_fd_seek seeks[SEEKS_CAP];
static uint32_t nseeks_read;

int attrs_read_seeks(int channel, uint32_t n)
{
    nseeks_read = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct pct_fd_seek seek;
        if (read_exact(channel, &seek, sizeof seek) < 0) return -1;
        if (nseeks_read < SEEKS_CAP) seeks[nseeks_read++] = seek;
    }
    return n <= SEEKS_CAP ? 0 : -1; /* more than TypeScript ever sends: do not skip */
}

void attrs_apply_seeks(int tid, int pid)
{
    int pidfd = nseeks_read ? process_pidfd(tid) : -1;
    if (nseeks_read) attrs_sharer_unseen(pid);
    for (uint32_t i = 0; i < nseeks_read && pidfd >= 0; i++) {
        /* never fds 1 and 2: a replay's writes move their offsets as the program's did */
        const int ok = seeks[i].fd == 0 || seeks[i].fd >= 3;
        int fd = ok ? (int)syscall(SYS_pidfd_getfd, pidfd, (int)seeks[i].fd, 0) : -1;
        struct stat st;
        /* a regular file only, whatever a stored entry says */
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) lseek(fd, (off_t)seeks[i].pos, SEEK_SET);
        if (fd >= 0) close(fd);
    }
    if (pidfd >= 0) close(pidfd);
    nseeks_read = 0;
}
