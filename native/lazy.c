#define _GNU_SOURCE
#include "lazy.h"
#include "attrs.h"
#include "emit.h"
#include "paths.h"
#include "tracer.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

int lazy_on;

/* Ranges taken at once: every live process that exec'd untrapped holds one until its end */
#define RANGES_CAP 256
#define ANCESTORS_CAP 16
/* A range larger than this is not read back (the execution is not recorded) */
#define RANGE_MAX (256ll << 20)

struct range {
    int pid;
    dev_t dev[2];      /* the file each copy names */
    ino_t ino[2];
    int exec;          /* which of its process's programs: 0 for the first it exec'd */
    int dup[2];        /* a copy of the open file fds 1 and 2 named at the exec, or -1 */
    int64_t start[2];  /* where a write through it went then */
    const char *unseen;
    int n;
    int ancestor[ANCESTORS_CAP];
    long long writes[ANCESTORS_CAP];
};
static struct range ranges[RANGES_CAP];
static int live_ranges; /* of them, taken */

/* Has pid a shared writable mapping of the file (its fd may be closed since: hunt 68)? 1: yes,
 * 0: no, -1: its mappings cannot be read */
static int maps_file_writable(int pid, dev_t dev, ino_t ino);

/* How many write calls pid's thread pid has made, or -1 */
static long long writes_made(int pid) { return thread_io_count(pid, "syscw"); }

int lazy_supported(void)
{
    char path[64], io[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/io", (long)syscall(SYS_gettid));
    const ssize_t n = read_file(path, io, sizeof io - 1);
    if (n <= 0) return 0;
    io[n] = 0;
    return strstr(io, "syscw:") != NULL;
}

int lazy_may_add_filters(void)
{
    char status[4096];
    const ssize_t n = read_file("/proc/self/status", status, sizeof status - 1);
    const char *cap = n > 0 ? (status[n] = 0, strstr(status, "\nCapEff:")) : NULL;
    return cap && ((strtoull(cap + 8, NULL, 16) >> 21) & 1); /* CAP_SYS_ADMIN */
}

/* Do fds a and b of pid name one open file? -1: cannot be told */
static int one_open_file(int pid, int a, int b)
{
    const long same = syscall(SYS_kcmp, pid, pid, KCMP_FILE, a, b);
    return same == 0 ? 1 : same > 0 ? 0 : -1;
}

/* The open flags of pid's fd (/proc/PID/fdinfo: O_CLOEXEC among them), or -1 when unknown */
static long fd_flags(int pid, int fd)
{
    char path[64], info[512];
    proc_path(path, sizeof path, pid, "/fdinfo/", fd);
    const ssize_t n = read_file(path, info, sizeof info - 1);
    const char *flags = n > 0 ? (info[n] = 0, strstr(info, "flags:")) : NULL;
    return flags ? strtol(flags + 6, NULL, 8) : -1;
}

/* Is fd close-on-exec (it is gone once the program runs)? */
static int closes_at_exec(int pid, int fd)
{
    const long flags = fd_flags(pid, fd);
    return flags >= 0 && (flags & O_CLOEXEC);
}

/* May pid write through fd? Unknown counts as yes. */
static int writable_fd(int pid, int fd)
{
    const long flags = fd_flags(pid, fd);
    return flags < 0 || (flags & O_ACCMODE) != O_RDONLY;
}

struct stream_copies { int pid; uint64_t own[2]; int found; };

/* fd names a stream's file (another process's, or its own through another open file): its
 * writes there would land outside what its range reads back, or in another's range */
static int copies_a_stream(int fd, void *ctx)
{
    struct stream_copies *c = ctx;
    if (fd <= 2) return 0;
    const uint64_t id = fd_identity(c->pid, fd);
    if (!id || (id != c->own[0] && id != c->own[1] && !attrs_held_stream(id))) return 0;
    if (closes_at_exec(c->pid, fd)) return 0;
    for (int k = 1; k <= 2; k++) if (id == c->own[k - 1] && one_open_file(c->pid, fd, k) == 1) return 0;
    c->found = 1;
    return 1;
}

int lazy_needs_trap(int pid)
{
    uint64_t ids[3];
    const char *kinds[3];
    for (int fd = 0; fd < 3; fd++) kinds[fd] = stdio_look_at_exec(pid, fd, &ids[fd]);
    if (strcmp(kinds[0], "tty") == 0 || strcmp(kinds[0], "socket") == 0) return 1; /* a write into stdin */
    for (int fd = 1; fd <= 2; fd++) {
        if (strcmp(kinds[fd], "file") == 0) continue;
        if (strcmp(kinds[fd], "null") == 0) { ids[fd] = 0; continue; }
        return 1;
    }
    if (ids[1] && ids[1] == ids[2] && one_open_file(pid, 1, 2) != 1) return 1;
    struct stream_copies c = { pid, { ids[1], ids[2] }, 0 };
    if (each_fd(pid, copies_a_stream, &c) < 0) return 1;
    return c.found;
}

/* Processes outside the trace that hold the command's output file, asleep at its first exec:
 * processcache's own ancestors (the shell waiting for it). A process writes only when it runs,
 * and each time it runs and sleeps again its context switch count grows. */
#define QUIET_CAP 8
static struct { int pid; long long switches; } quiet[QUIET_CAP];
static int nquiet;

/* pid's context switches (voluntary and not) when it sleeps now (state S, D or T), else -1 */
static long long asleep_switches(int pid)
{
    char path[64], status[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    const ssize_t n = read_file(path, status, sizeof status - 1);
    if (n <= 0) return -1;
    status[n] = 0;
    const char *threads = strstr(status, "\nThreads:\t");
    if (!threads || strtol(threads + 10, NULL, 10) != 1) return -1; /* another thread could run unseen (hunt 68) */
    const char *state = strstr(status, "\nState:\t");
    const char *vol = strstr(status, "\nvoluntary_ctxt_switches:");
    const char *invol = strstr(status, "\nnonvoluntary_ctxt_switches:");
    if (!state || !vol || !invol || !strchr("SDT", state[8])) return -1;
    return strtoll(vol + 26, NULL, 10) + strtoll(invol + 29, NULL, 10);
}

/* Is pid caller or one of its ancestors? */
static int caller_ancestor(int pid, int caller)
{
    for (int p = caller, steps = 0; p > 1 && steps < 32; steps++) {
        if (p == pid) return 1;
        p = (int)status_number(p, "PPid");
    }
    return 0;
}

struct outside { int pid, caller; int is_traced; dev_t dev[2]; ino_t ino[2]; int holder; int self[8]; int nself; };

/* The tracer, and the processes between it and its caller (sudo on that route) */
static void note_self(struct outside *o)
{
    int p = getpid();
    for (o->nself = 0; p > 1 && o->nself < 8;) {
        o->self[o->nself++] = p;
        if (p == o->caller) break;
        const long parent = status_number(p, "PPid");
        if (parent <= 1) break;
        p = (int)parent;
    }
}

static int is_self(const struct outside *o, int pid)
{
    for (int i = 0; i < o->nself; i++) if (o->self[i] == pid) return 1;
    return pid == o->caller;
}

struct outside_fd { struct outside *o; int other; };

/* A writable fd of other on one of the command's stream files */
static int writes_stream_file(int fd, void *ctx)
{
    struct outside_fd *f = ctx;
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d/fd/%d", f->other, fd);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    for (int k = 0; k < 2; k++) {
        if (st.st_dev == f->o->dev[k] && st.st_ino == f->o->ino[k] && writable_fd(f->other, fd)) return f->o->holder = 1;
    }
    return 0;
}

int lazy_outside_writer(int pid, int caller)
{
    struct outside o = { .pid = pid, .caller = caller };
    int files = 0;
    for (int k = 1; k <= 2; k++) {
        char link[64];
        struct stat st;
        proc_path(link, sizeof link, pid, "/fd/", k);
        const int is_file = stat(link, &st) == 0 && S_ISREG(st.st_mode);
        o.dev[k - 1] = is_file ? st.st_dev : 0;
        o.ino[k - 1] = is_file ? st.st_ino : 0;
        files += is_file;
        /* `>> log`: another writer's appends by path, a second run's into the same log, land
         * between its own, inside its range, unseen (hunt 66); without O_APPEND they would be
         * written over or land past it */
        const long flags = is_file ? fd_flags(pid, k) : 0;
        if (flags < 0 || (flags & O_APPEND)) return 1;
    }
    if (!files) return 0;
    note_self(&o);
    int procs[1024];
    const int ntraced = pct_traced_processes(procs, 1024);
    if (ntraced > 1024) return 1;
    DIR *d = opendir("/proc");
    if (!d) return 1;
    nquiet = 0;
    for (struct dirent *e; !o.holder && (e = readdir(d)) != NULL;) {
        char *end;
        const long other = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || other <= 0 || is_self(&o, (int)other)) continue;
        int traced = 0;
        for (int i = 0; i < ntraced && !traced; i++) traced = procs[i] == other;
        if (traced) continue;
        struct outside_fd f = { &o, (int)other };
        each_fd((int)other, writes_stream_file, &f); /* -1: ended, or not ours to look at */
        for (int k = 0; k < 2 && !o.holder; k++)
            if (o.ino[k] && maps_file_writable((int)other, o.dev[k], o.ino[k]) == 1) o.holder = 1;
        /* the shell that started processcache (`./ci.sh > log`, ci.sh running processcache)
         * holds the file too, asleep in its wait: it may stay so, as long as it does not run */
        if (o.holder && caller_ancestor((int)other, caller) && nquiet < QUIET_CAP &&
            (quiet[nquiet].switches = asleep_switches((int)other)) >= 0) {
            quiet[nquiet++].pid = (int)other;
            o.holder = 0;
        }
    }
    closedir(d);
    return o.holder;
}

/* Why a quiet holder may have written since the command's first exec: it ran, or ended; or NULL */
static const char *quiet_ran(void)
{
    for (int i = 0; i < nquiet; i++) {
        if (asleep_switches(quiet[i].pid) != quiet[i].switches)
            return "stdout-unseen: a process outside the command that holds its output file (the shell that started processcache) ran while it ran";
    }
    return NULL;
}

struct other_open { int dup, other; const struct stat *st; int found; };


/* An fd of other, open for writing, on the file but not the very open file dup is */
static int other_open_file(int fd, void *ctx)
{
    struct other_open *o = ctx;
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d/fd/%d", o->other, fd);
    if (stat(path, &st) != 0 || st.st_dev != o->st->st_dev || st.st_ino != o->st->st_ino) return 0;
    if (syscall(SYS_kcmp, getpid(), o->other, KCMP_FILE, o->dup, fd) == 0) return 0;
    return o->found = writable_fd(o->other, fd);
}

static int maps_file_writable(int pid, dev_t dev, ino_t ino)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "re");
    if (!f) return errno == ENOENT || errno == ESRCH ? 0 : -1;
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char perms[8];
        unsigned maj, min;
        unsigned long long inode;
        if (sscanf(line, "%*x-%*x %7s %*x %x:%x %llu", perms, &maj, &min, &inode) != 4) continue;
        found = perms[1] == 'w' && perms[3] == 's' && inode == (unsigned long long)ino && makedev(maj, min) == dev;
    }
    fclose(f);
    return found;
}

/* Does a traced process hold the file dup names open for writing through another open file, or
 * mapped for writing? */
static int other_writer(int dup, const struct stat *st)
{
    int procs[1024];
    const int n = pct_traced_processes(procs, 1024);
    if (n > 1024) return 1;
    for (int i = 0; i < n; i++) {
        struct other_open o = { dup, procs[i], st, 0 };
        if (each_fd(procs[i], other_open_file, &o) > 0 && o.found) return 1;
        if (maps_file_writable(procs[i], st->st_dev, st->st_ino) != 0) return 1; /* unreadable counts */
    }
    return 0;
}

/* Refuses, with how, the live ranges of the file but those of the processes in keep */
static void refuse_file(dev_t dev, ino_t ino, const char *how, const int *keep, int n)
{
    for (int i = 0; i < RANGES_CAP && live_ranges; i++) {
        struct range *r = &ranges[i];
        int kept = 0;
        for (int j = 0; j < n && !kept; j++) kept = r->pid == keep[j];
        if (!r->pid || r->unseen || kept) continue;
        for (int k = 0; k < 2; k++) if (r->dup[k] >= 0 && r->dev[k] == dev && r->ino[k] == ino) r->unseen = how;
    }
}

int lazy_ranges_open(void) { return live_ranges; }

void lazy_file_changed(dev_t dev, ino_t ino, const char *how) { refuse_file(dev, ino, how, NULL, 0); }

void lazy_file_copied_into(dev_t dev, ino_t ino, const int *keep, int n)
{
    refuse_file(dev, ino, "stdout-unseen: a process outside it copied into its output file (splice, sendfile, copy_file_range) while it ran", keep, n);
}

void lazy_offset_moved(int pid, int fd)
{
    for (int i = 0; i < RANGES_CAP && live_ranges; i++) {
        struct range *r = &ranges[i];
        if (!r->pid || r->unseen) continue;
        for (int k = 0; k < 2; k++) {
            if (r->dup[k] >= 0 && syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, r->dup[k], fd) == 0)
                r->unseen = "stdout-unseen: a process moved the offset of its output file (lseek) while it ran";
        }
    }
}

static struct range *free_range(void)
{
    for (int i = 0; i < RANGES_CAP; i++) if (!ranges[i].pid) return &ranges[i];
    return NULL;
}

static void unseen_event(int pid, int exec, const char *why)
{
    const size_t n = strlen(why) + 1;
    emit_lock();
    event_begin(PCT_EV_OUTPUT, PCT_OUT_UNSEEN, pid, exec, 0, 0, n);
    put_bytes(why, n);
    emit_unlock();
}

void lazy_begin(int pid, int exec, const int *ancestors, int n, const char *unseen)
{
    struct range *r = free_range();
    if (!r) {
        unseen_event(pid, exec, "stdout-unseen: too many processes run whose writes are not trapped, and its output is not known");
        return;
    }
    memset(r, 0, sizeof *r);
    r->pid = pid;
    r->exec = exec;
    live_ranges++;
    r->unseen = unseen;
    const int pidfd = process_pidfd(pid);
    for (int k = 1; k <= 2; k++) {
        r->dup[k - 1] = -1;
        struct stat st;
        char link[64];
        proc_path(link, sizeof link, pid, "/fd/", k);
        if (stat(link, &st) != 0 || !S_ISREG(st.st_mode)) continue; /* /dev/null: nothing to read back */
        if (k == 2 && r->dup[0] >= 0 && one_open_file(pid, 1, 2) == 1) continue; /* fd 1's range holds it */
        r->dup[k - 1] = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, k, 0);
        r->start[k - 1] = r->dup[k - 1] < 0 ? -1 : attrs_write_pos(r->dup[k - 1]);
        r->dev[k - 1] = st.st_dev;
        r->ino[k - 1] = st.st_ino;
        if (r->start[k - 1] < 0 && !r->unseen) r->unseen = "stdout-unseen: where its output file stood at its exec is not known";
        if (!r->unseen && r->dup[k - 1] >= 0 && other_writer(r->dup[k - 1], &st))
            r->unseen = "stdout-unseen: a traced process holds its output file open for writing through another open file (opened by path): what it writes there, or maps, is not taken";
    }
    if (pidfd >= 0) close(pidfd);
    if (n < 0 || n > ANCESTORS_CAP) {
        if (!r->unseen) r->unseen = "stdout-unseen: the processes it runs under whose writes are not trapped cannot be told";
        return;
    }
    r->n = n;
    for (int i = 0; i < n; i++) {
        r->ancestor[i] = ancestors[i];
        r->writes[i] = writes_made(ancestors[i]);
        if (r->writes[i] < 0 && !r->unseen) r->unseen = "stdout-unseen: how many writes a process it runs under made cannot be read";
    }
}

/* Why the range is not the subtree's own, or NULL */
static const char *ancestors_wrote(const struct range *r)
{
    for (int i = 0; i < r->n; i++) {
        const long long now = writes_made(r->ancestor[i]);
        if (now < 0) return "stdout-unseen: a process it ran under ended or started a thread while it ran, and whether it wrote into its output file is not known";
        if (now != r->writes[i]) return "stdout-unseen: a process it ran under wrote while it ran, and its writes are not taken one by one: the output file's bytes may be theirs";
    }
    return NULL;
}

/* Sends [start, where the open file's offset is now) of dup as the range of fd k; returns why it
 * cannot, or NULL */
static const char *send_range(int pid, int exec, int k, int dup, int64_t start, off_t end)
{
    if (end < 0) return "stdout-unseen: where its output file's offset ended is not known";
    const int64_t len = end > start ? end - start : 0;
    if (len > RANGE_MAX) return "stdout-unseen: it wrote more than 256 MiB into its output file, which is not read back";
    char *bytes = len ? malloc((size_t)len) : NULL;
    if (len && !bytes) return "stdout-unseen: no memory to read its output back";
    /* the stream's open file is for writing only (`> f`): the same file opened again to read */
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", dup);
    const int in = len ? open(self, O_RDONLY | O_CLOEXEC) : -1;
    for (int64_t got = 0; got < len;) {
        const ssize_t r = in < 0 ? -1 : pread(in, bytes + got, (size_t)(len - got), start + got);
        if (r <= 0) {
            free(bytes);
            if (in >= 0) close(in);
            return in < 0 ? "stdout-unseen: its output file cannot be read back"
                          : "stdout-unseen: its output file no longer holds what it wrote (cut short since)";
        }
        got += r;
    }
    /* a hole inside: cut short and written past its end again, by a process outside the trace
     * that opened it by path (hunt 68); a write of zeros is data, not a hole */
    const off_t hole = in >= 0 ? lseek(in, start, SEEK_HOLE) : end;
    if (in >= 0) close(in);
    if (len && hole >= 0 && hole < end) {
        free(bytes);
        return "stdout-unseen: its output file has a hole where it wrote (cut short meanwhile by a process outside the command)";
    }
    emit_lock();
    event_begin(PCT_EV_OUTPUT, (uint16_t)(PCT_OUT_RANGE + k), pid, exec, (uint32_t)start, (uint32_t)((uint64_t)start >> 32), (size_t)len);
    if (len) put_bytes(bytes, (size_t)len); /* none written: no buffer (memcpy from NULL, UBSan) */
    emit_unlock();
    free(bytes);
    return NULL;
}

void lazy_end(int pid)
{
    for (int i = 0; i < RANGES_CAP; i++) {
        struct range *r = &ranges[i];
        if (r->pid != pid) continue;
        /* where its offsets ended, before the write counts: a parent woken by its end (a pidfd)
         * may write now, counted if before the counts are read, and past the ends if after */
        off_t ends[2] = { -1, -1 };
        for (int k = 0; k < 2; k++) if (r->dup[k] >= 0) ends[k] = lseek(r->dup[k], 0, SEEK_CUR);
        const char *why = r->unseen ? r->unseen : ancestors_wrote(r);
        if (!why) why = quiet_ran();
        for (int k = 1; k <= 2 && !why; k++) {
            if (r->dup[k - 1] >= 0) why = send_range(pid, r->exec, k, r->dup[k - 1], r->start[k - 1], ends[k - 1]);
        }
        if (why) unseen_event(pid, r->exec, why);
        for (int k = 0; k < 2; k++) if (r->dup[k] >= 0) close(r->dup[k]);
        r->pid = 0;
        live_ranges--;
    }
}
