#define _GNU_SOURCE
#include "tracer.h"
#include "emit.h"
#include "paths.h"
#include "query.h"
#include "notify.h"
#include "decide.h"
#include "attrs.h"
#include "filter.h"
#include "protocol.h"
#include "syscalls.h"
#include "waiting.h"
#include "inject.h"
#include "lazy.h"
#include "group.h"

#include <dirent.h>
#include <elf.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG_CAP (2 * 1024 * 1024)
#define SPEC_CAP (8 * 1024 * 1024)
#define SPEC_PTRS (256 * 1024)
#define SLOTS 16384 /* power of two; live threads at once, not processes over the run */
#define PENDING_PATHS 128


/* ---- the table of traced threads ------------------------------------------------------------ */

enum { ST_USED = 1, ST_RUNNING = 2, ST_HAS_PARENT = 4, ST_STOPPED_NEW = 8, ST_EXECED = 16 };
#define COPIED_CAP 4
#define FAR_CAP 4
/* The fds whose looks (fstat, lseek) a filter added to a process or an ancestor traps
 * (trap_looks_at), and the streams copied there: copied at fork and kept across exec, as the
 * filters are. */
struct added_looks {
    uint64_t trapped, tried;     /* fds below 64: trapped, and tried (never twice) */
    int far[FAR_CAP];            /* fds from 64 up that were tried (gnulib's dup2(2, 255)), 0: none */
    uint8_t far_trapped;         /* of those, the ones trapped (bit i for far[i]) */
    uint64_t copied[COPIED_CAP]; /* the file streams copied there (fd_identity), its own or an
                                    ancestor's: a look at one that is not its own stream is a look
                                    at where an ancestor's output stands */
};
enum { PF_STDIN = 1, PF_FOREIGN = 2, PF_STDOUT_SEEN = 4, PF_STDERR_SEEN = 8, PF_FSIZE = 16 }; /* reported once per process (on the leader's slot) */

struct slot {
    int tid, tgid;
    uint8_t state, reported;
    int16_t pending;      /* table row awaiting its syscall-exit stop, or -1 */
    int16_t pending_path; /* index into pending_paths, or -1 */
    uint8_t existed;      /* O_CREAT open: the path existed before the call */
    uint8_t rename_dest;  /* a rename awaiting its exit stop: what stood at its destination (enum pct_rename_dest) */
    long open_flags;      /* an open awaiting its exit stop: its flags, read at the entry */
    uint64_t args[6];
    uint64_t stream_id[2]; /* (leader) what fds 1 and 2 named at the exec (fd_identity()), 0 when
                              /dev/null or closed: nothing written there is output */
    uint64_t stdin_id;    /* (leader) what fd 0 named at the exec */
    uint8_t stdin_pipe;   /* (leader) fd 0 was a pipe at the exec: what is read there is taken at
                             each read's exit (stdin_exit), so that a reader can be recorded */
    uint8_t fsize_known;    /* (leader) fsize_limit holds its file size limit (RLIMIT_FSIZE) */
    uint8_t fsize_set;      /* (leader) its file size limit was set since its exec (CL_SETLIMIT) */
    uint8_t exec_kept;      /* (leader) it set what a program it execs starts with (CL_EXEC_KEPT) */
    uint8_t restricted;     /* (leader) it or an ancestor since its fork limited itself (CL_RESTRICT):
                               copied at fork, as the filter or domain is */
    uint64_t fsize_limit;
    uint8_t stream_file[2]; /* (leader) fds 1 and 2 were regular files at the exec: a write there
                               is taken at its entry (output_at_entry) */
    uint64_t entry_ns;    /* when the call awaiting its exit stop stopped at its entry */
    uint8_t out_stream;   /* a write or copy awaiting its exit stop: the stream (1, 2) it lands in */
    uint8_t list_goes_on; /* a getdents awaiting its exit stop: the directory's offset was not at its start */
    struct added_looks looks; /* (leader) what the filters added to it or an ancestor trap */
    int16_t wait_row;     /* an exec held for its pipe's writers (waiting.h): its table row */
    int inject_fd;        /* a dup turned into the seccomp call that adds a filter for its fd, or -1 */
    uint8_t inject_write; /* an execve or clone turned into the seccomp call that adds the write filter */
    uint8_t lazy;         /* (leader) its writes are not trapped (lazy.h): copied at fork */
    uint8_t lazy_unseen;  /* (leader) the write filter could not be added where it was needed */
    uint16_t execs;       /* (leader) how many programs the process has exec'd (each one's range, lazy.h) */
    int ppid;             /* (leader) the process that forked it, 0 for the command's first */
    int xfer_in;          /* an in-kernel copy into a stream: the fd it copies from, and where */
    int64_t xfer_from;
    int64_t xfer_pos;     /* where in its file stream the copy was to go, taken at the entry, or -1 */
    int xfer_lone;        /* no other process took turns writing in that file lately (emit.c) */
};

static struct slot slots[SLOTS];
static void release_filled(int writer, int fd, uint64_t count);
static void trapped_looks(int tid, struct slot *s);
static void trapped_writes(int tid, struct slot *s);
static int ancestors_of(const struct slot *l, int *out, int cap, int untrapped_only);
static size_t msg_control_len(int tid, uint64_t msghdr);
static void control_data(int pid, size_t len, const char *call);
static void signal_received(int tid, struct slot *s, int sig);
static int writes_into_stdin(int tid, struct slot *s, int fd, uint64_t id);
static void report_interpreter(int pid, const char *exe, int ok);
/* For the call whose exit is being handled: when it stopped at its entry. A change it made came
 * after that, and TypeScript orders it against when it looked at a file. */
static uint64_t exit_began_ns;
static char pending_paths[PENDING_PATHS][PATH_CAP];
static uint8_t pending_used[PENDING_PATHS];
static int live_slots;

static unsigned slot_hash(int tid) { return ((unsigned)tid * 2654435761u) & (SLOTS - 1); }

int pct_traced_processes(int *out, int cap)
{
    int n = 0;
    for (unsigned i = 0, used = 0; i < SLOTS && used < (unsigned)live_slots; i++) {
        if (!(slots[i].state & ST_USED)) continue;
        used++;
        if (slots[i].tgid != slots[i].tid) continue;
        if (n < cap) out[n] = slots[i].tgid;
        n++;
    }
    return n;
}

static struct slot *find(int tid)
{
    for (unsigned i = slot_hash(tid), n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
        if (!(slots[i].state & ST_USED)) return NULL;
        if (slots[i].tid == tid) return &slots[i];
    }
    return NULL;
}

static struct slot *find_or_add(int tid)
{
    struct slot *s = find(tid);
    if (s) return s;
    if (live_slots >= SLOTS - 1) return NULL;
    for (unsigned i = slot_hash(tid);; i = (i + 1) & (SLOTS - 1)) {
        if (!(slots[i].state & ST_USED)) {
            memset(&slots[i], 0, sizeof slots[i]);
            slots[i].tid = tid;
            slots[i].tgid = tid;
            slots[i].state = ST_USED;
            slots[i].pending = -1;
            slots[i].pending_path = -1;
            slots[i].wait_row = -1;
            slots[i].inject_fd = -1;
            slots[i].lazy = (uint8_t)lazy_on;
            live_slots++;
            return &slots[i];
        }
    }
}

static void release_pending_path(struct slot *s)
{
    if (s->pending_path >= 0) pending_used[s->pending_path] = 0;
    s->pending_path = -1;
}

/* Linear-probing delete: shift later members of the run back so lookups still find them. */
static void drop(struct slot *s)
{
    release_pending_path(s);
    unsigned i = (unsigned)(s - slots);
    slots[i].state = 0;
    live_slots--;
    for (unsigned j = (i + 1) & (SLOTS - 1); slots[j].state & ST_USED; j = (j + 1) & (SLOTS - 1)) {
        unsigned home = slot_hash(slots[j].tid);
        int movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            slots[i] = slots[j];
            slots[j].state = 0;
            i = j;
        }
    }
}

static char *take_pending_path(struct slot *s)
{
    release_pending_path(s);
    for (int i = 0; i < PENDING_PATHS; i++) {
        if (!pending_used[i]) {
            pending_used[i] = 1;
            s->pending_path = (int16_t)i;
            return pending_paths[i];
        }
    }
    return NULL;
}

static struct slot *leader_of(struct slot *s)
{
    struct slot *l = s->tgid == s->tid ? s : find(s->tgid);
    return l ? l : s;
}

/* ---- flags ------------------------------------------------------------------------------- */

static void flag2(int pid, const char *a, const char *b)
{
    char text[128];
    char *p = append(text, text + sizeof text, a);
    append(p, text + sizeof text, b);
    event_str(PCT_EV_FLAG, pid, text);
}

static void flag_nr(int pid, const char *prefix, long nr)
{
    char text[64];
    append_int(append(text, text + sizeof text, prefix), text + sizeof text, nr);
    event_str(PCT_EV_FLAG, pid, text);
}

/* ---- syscall handlers ----------------------------------------------------------------------- */

static struct pct_bufs bufs; /* the ptrace thread's */
static int decide_exec;       /* PCT_SPEC_DECIDE_EXEC */
#define path_a (bufs.a)
#define path_b (bufs.b)
static unsigned char big[BIG_CAP];

/* What path names (an fd's /proc link) was changed: every live range of that file is refused */
static void file_changed(const char *path, const char *how)
{
    struct stat st;
    if (lazy_ranges_open() && stat(path, &st) == 0 && S_ISREG(st.st_mode)) lazy_file_changed(st.st_dev, st.st_ino, how);
}

/* Does an untrapped process's new fd name a stream's file (lazy.h)? Its writes there would land
 * unseen in a range, or outside the one that should hold them. */
static int opens_a_stream(int tid, struct slot *s, int fd)
{
    const struct slot *l = leader_of(s);
    if (!l->lazy) return 0;
    const uint64_t id = fd_identity(tid, fd);
    return id && (id == l->stream_id[0] || id == l->stream_id[1] || attrs_held_stream(id));
}

static void open_exit(int tid, int pid, struct slot *s, const struct pct_syscall *row, int err, long rval)
{
    const long flags = s->open_flags;
    /* resolved at the entry; only when the pool of pending paths ran dry is it read again now */
    const char *path = s->pending_path >= 0 ? pending_paths[s->pending_path] : path_a;
    if (s->pending_path < 0 && arg_path(&bufs, tid, s->args, row->dirfd, row->path, path_a) < 0) return;
    int acc = (int)(flags & O_ACCMODE);
    uint16_t op;
    if (err && acc == O_RDONLY && !(flags & O_CREAT) && (err == ENOENT || err == ENOTDIR)) {
        op = PCT_OP_PROBE; /* opening a missing file is a test for its absence */
    } else if ((flags & O_CREAT) && !s->existed) {
        op = PCT_OP_CREATE;
    } else if ((flags & O_TRUNC) && acc != O_RDONLY) {
        op = PCT_OP_TRUNCATE;
    } else {
        op = acc == O_RDONLY ? PCT_OP_READ : PCT_OP_WRITE;
    }
    /* a create that truncates would have had the same result had the file existed; one with
     * O_EXCL fails on any name, a dangling symlink too */
    uint32_t kind = 0;
    if (op == PCT_OP_CREATE && (flags & O_TRUNC) && !(flags & O_EXCL)) kind |= PCT_OPEN_TRUNCATES;
    if (op == PCT_OP_CREATE && (flags & O_EXCL)) kind |= PCT_OPEN_EXCL;
    if (flags & O_APPEND) kind |= PCT_OPEN_APPENDS;
    /* a write into a file that was there (or one truncated): its size, type, mode and links
     * before any byte is written (the process is stopped at the open's exit), so that an
     * append's earlier content can be told, and a truncated file's mode and links are inputs */
    char seen[STAT_TEXT_CAP], fdpath[64];
    struct stat st;
    const int in_place = (op == PCT_OP_WRITE || op == PCT_OP_TRUNCATE) && !err && rval >= 0;
    if (in_place) proc_path(fdpath, sizeof fdpath, tid, "/fd/", rval);
    const int have_stat = in_place && stat(fdpath, &st) == 0;
    if (have_stat) stat_text(&st, seen);
    access_event(pid, op, err, kind, exit_began_ns, path, have_stat ? seen : NULL);
    /* a terminal opened is a conversation the tracer does not capture; a failed open (ENXIO: no
     * controlling terminal, as on CI runners) is an answer the key's "ctty" attribute decides */
    if (err) return;
    /* in_place: opened to write or truncate, and stat'ed above */
    if (have_stat && S_ISREG(st.st_mode) && lazy_ranges_open())
        lazy_file_changed(st.st_dev, st.st_ino, "stdout-unseen: a process opened its output file by path to write or truncate it while it ran");
    if (lazy_on && acc != O_RDONLY && opens_a_stream(tid, s, (int)rval))
        event_str(PCT_EV_FLAG, pid, "stdout-unseen: it opens a file that is its own or another process's stdout or stderr for writing, and its writes are not trapped");
    if (is_tty_path(path)) event_str(PCT_EV_FLAG, pid, "tty");
    if (strcmp(path, "/dev/urandom") == 0 || strcmp(path, "/dev/random") == 0)
        event_str(PCT_EV_NONDET, pid, path);
}

/* d_type as one letter; the old linux_dirent keeps it after the name, and '?' stands for unknown */
static char dirent_type_char(uint8_t t)
{
    switch (t) {
    case DT_REG: return 'f';
    case DT_DIR: return 'd';
    case DT_LNK: return 'l';
    case DT_FIFO: return 'p';
    case DT_SOCK: return 's';
    case DT_CHR: return 'c';
    case DT_BLK: return 'b';
    default: return '?';
    }
}

/* The names one getdents call returned, without "." and "..", each after its type letter. */
static void getdents_exit(int tid, int pid, struct slot *s, const struct pct_syscall *row, long rval)
{
    static char names[BIG_CAP];
    if (rval <= 0) return;
    if ((size_t)rval > BIG_CAP) rval = BIG_CAP;
    if (dirfd_path(tid, (long)(int)s->args[row->dirfd], path_a, PATH_CAP) < 0) return;
    if (read_mem(tid, s->args[row->extra], big, (size_t)rval) != rval) return;
    /* linux_dirent64: ino, off, reclen, type, name; the old linux_dirent: ino, off, reclen, name */
    const size_t name_at = row->path == 1 ? 19 : 18;
    size_t n = 0;
    for (long off = 0; off + (long)name_at < rval;) {
        uint16_t reclen;
        memcpy(&reclen, big + off + 16, sizeof reclen);
        if (reclen == 0 || off + reclen > rval) break;
        const char *name = (const char *)big + off + name_at;
        size_t len = strnlen(name, reclen - name_at);
        int dot = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
        /* each name after its entry type: `ls -F` and os.scandir act on d_type without a stat */
        if (!dot && n + len + 2 <= sizeof names) {
            names[n] = dirent_type_char((uint8_t)big[off + (row->path == 1 ? 18 : reclen - 1)]);
            memcpy(names + n + 1, name, len);
            names[n + 1 + len] = 0;
            n += len + 2;
        }
        off += reclen;
    }
    size_t plen = strlen(path_a) + 1;
    emit_lock();
    event_begin(PCT_EV_ACCESS, PCT_OP_LIST, pid, 0, s->list_goes_on ? PCT_LIST_GOES_ON : 0, 0, plen + n);
    put_bytes(path_a, plen);
    put_bytes(names, n);
    emit_unlock();
}

/* Which of the exec's streams (1 stdout, 2 stderr) the open file at fd names, or 0: output belongs
 * to the open file it lands in, not to an fd number. Shells save fd 1 on fd 10 around a redirection,
 * `>&2` points fd 1 at stderr, and a file opened by path is no stream: its content is an output by
 * path. When fds 1 and 2 named one file, the fd written wins (the key holds that they were one). */
static int stream_named(struct slot *s, int fd, uint64_t id)
{
    const struct slot *l = leader_of(s);
    if (!id) return 0;
    if (fd == 1 || fd == 2) { if (id == l->stream_id[fd - 1]) return fd; }
    if (id == l->stream_id[0]) return 1;
    if (id == l->stream_id[1]) return 2;
    return 0;
}

static int stream_of(int tid, struct slot *s, int fd) { return stream_named(s, fd, fd_identity(tid, fd)); }

/* Like stream_of, for a stream that was a regular file at the exec; else 0. */
static int file_stream_of(int tid, struct slot *s, int fd)
{
    const int stream = stream_of(tid, s, fd);
    return stream && leader_of(s)->stream_file[stream - 1] ? stream : 0;
}

/* Does fd name a file stream that this process or an ancestor copied onto an fd whose looks a
 * filter added for it traps (trap_looks_at)? */
static int copied_stream(int tid, struct slot *s, int fd)
{
    const struct slot *l = leader_of(s);
    if (fd < 0 || !l->looks.copied[0]) return 0;
    const uint64_t id = fd_identity(tid, fd);
    for (int i = 0; id && i < COPIED_CAP; i++) if (l->looks.copied[i] == id) return 1;
    return 0;
}

/* Are fd's looks trapped: by the first filter (1, 2, 10-15), or one added (trap_looks_at)? */
static int looks_seen(struct slot *s, int fd)
{
    const struct added_looks *a = &leader_of(s)->looks;
    if (fd == 1 || fd == 2 || (fd >= PCT_SAVED_FD_MIN && fd <= PCT_LOOKED_FD_MAX)) return 1;
    if (fd > 0 && fd < 64) return (a->trapped & (1ull << fd)) != 0;
    for (int i = 0; fd > 0 && i < FAR_CAP; i++) if (a->far[i] == fd) return (a->far_trapped >> i) & 1;
    return 0;
}

/* Marks fd tried (it never is twice); returns its far slot, 64 + nothing for fds below 64, or -1
 * when it was tried already or there is no room. */
static int try_fd(struct added_looks *a, int fd)
{
    if (fd < 64) {
        if (a->tried & (1ull << fd)) return -1;
        a->tried |= 1ull << fd;
        return 64;
    }
    int free_at = -1;
    for (int i = 0; i < FAR_CAP; i++) {
        if (a->far[i] == fd) return -1;
        if (!a->far[i] && free_at < 0) free_at = i;
    }
    if (free_at >= 0) a->far[free_at] = fd;
    return free_at;
}

/* A look at where a file stream's output starts (its size by fstat, its offset by lseek): the
 * execution is then keyed on that offset, an input like any other (Python prints it). A pipe or
 * terminal stream has no such place. Reported once per stream and process. */
static void observe_stream(int tid, struct slot *s, int fd)
{
    struct slot *l = leader_of(s);
    const int stream = file_stream_of(tid, s, fd);
    const int bit = stream == 1 ? PF_STDOUT_SEEN : PF_STDERR_SEEN;
    if (!stream && looks_seen(s, fd) && copied_stream(tid, s, fd))
        event_str(PCT_EV_FLAG, s->tgid, "stdout-looked: it looks (fstat or lseek) at where an ancestor's output file stands, through a copy of it an ancestor made");
    if (!stream || (l->reported & bit)) return;
    l->reported |= bit;
    event_str(PCT_EV_OBSERVED, s->tgid, stream == 1 ? "stdout-offset" : "stderr-offset");
}

/* Is the path argument "" (or NULL, which AT_EMPTY_PATH allows since Linux 6.11)? */
static int empty_path_arg(int tid, uint64_t addr)
{
    char c = 0;
    return !addr || read_mem(tid, addr, &c, 1) != 1 || c == '\0';
}

/* Does fd name what fd 0 named at the exec? (`read x < f` in a shell reads a file it opened; a
 * saved copy of fd 0 is stdin still.) */
static int reads_stdin(int tid, struct slot *s, int fd)
{
    const uint64_t id = fd >= 0 ? fd_identity(tid, fd) : 0;
    return id && id == leader_of(s)->stdin_id;
}

/* Zeros for the bytes an OUTPUT header promised and the source no longer had: the stream stays
 * framed (the tracee's memory went away, or the copied file shrank). */
static void put_zeros(size_t left)
{
    memset(big, 0, left < BIG_CAP ? left : BIG_CAP);
    while (left > 0) {
        size_t chunk = left < BIG_CAP ? left : BIG_CAP;
        put_bytes(big, chunk);
        left -= chunk;
    }
}

/* The first total bytes of a write's or writev's buffers, as an OUTPUT event's payload (zeros
 * for what the tracee's memory no longer had); returns how many of those zeros there were. */
static size_t put_write_bytes(int tid, struct slot *s, const struct pct_syscall *row, size_t total);

static size_t put_written(int tid, int pid, struct slot *s, const struct pct_syscall *row, size_t total, int64_t pos, int lone)
{
    emit_lock(); /* until the last byte of the payload */
    output_begin(s->out_stream, pid, total, pos, lone);
    const size_t left = put_write_bytes(tid, s, row, total);
    emit_unlock();
    return left;
}

/* The first total bytes of the write's buffers as payload (zeros for what could not be read);
 * returns how many were zeros. */
static size_t put_write_bytes(int tid, struct slot *s, const struct pct_syscall *row, size_t total)
{
    const int vector = row->cls == CL_OUTPUTV;
    const unsigned long iovcnt = vector ? (unsigned long)s->args[2] : 1;
    struct iovec iov = { (void *)(uintptr_t)s->args[row->path], total };
    size_t left = total;
    for (unsigned long i = 0; i < iovcnt && left > 0; i++) {
        if (vector && read_mem(tid, s->args[1] + i * sizeof iov, &iov, sizeof iov) != sizeof iov) break;
        size_t part = iov.iov_len < left ? iov.iov_len : left;
        for (size_t done = 0; done < part;) {
            size_t chunk = part - done < BIG_CAP ? part - done : BIG_CAP;
            ssize_t r = read_mem(tid, (uint64_t)(uintptr_t)iov.iov_base + done, big, chunk);
            if (r <= 0) goto pad;
            put_bytes(big, (size_t)r);
            done += (size_t)r;
            left -= (size_t)r;
        }
    }
pad:
    put_zeros(left);
    return left;
}

/* What a read of a pipe on stdin took (nothing: its end): a reader that reads its pipe to the end,
 * alone, can be recorded keyed on those bytes, as it is looked up keyed on a finished pipe's. */
static void stdin_exit(int tid, int pid, struct slot *s, long rval)
{
    emit_lock();
    event_begin(PCT_EV_STDIN_DATA, PCT_STDIN_READ, pid, tid, 0, 0, (size_t)rval);
    size_t left = (size_t)rval;
    for (uint64_t at = s->args[1]; left > 0;) {
        ssize_t r = read_mem(tid, at, big, left < BIG_CAP ? left : BIG_CAP);
        if (r <= 0) break;
        put_bytes(big, (size_t)r);
        left -= (size_t)r;
        at += (uint64_t)r;
    }
    put_zeros(left);
    emit_unlock();
    if (left > 0) event_begin(PCT_EV_STDIN_DATA, PCT_STDIN_UNSEEN, pid, tid, 0, 0, 0);
}

static void output_exit(int tid, int pid, struct slot *s, const struct pct_syscall *row, long rval)
{
    if (rval > 0 && s->out_stream) put_written(tid, pid, s, row, (size_t)rval, -1, 1);
}

/* A write or writev into a stream that is a regular file, taken at its entry: all the bytes it
 * asks to write. Saving the exit stop halves what a small write costs (PYTHONUNBUFFERED=1 into a
 * redirected file). A write that fails or writes less is caught when the execution is recorded:
 * the file's offset (held since the exec, attrs.c put_stream) moved by less than was taken. */
/* How many bytes a write or writev asks to write (its vector read up to 1024 entries). */
static uint64_t write_size(int tid, struct slot *s, const struct pct_syscall *row)
{
    if (row->cls != CL_OUTPUTV) return s->args[2];
    uint64_t total = 0;
    for (unsigned long i = 0; i < (unsigned long)s->args[2] && i < 1024; i++) {
        struct iovec iov;
        if (read_mem(tid, s->args[1] + i * sizeof iov, &iov, sizeof iov) != sizeof iov) break;
        total += iov.iov_len;
    }
    return total;
}

static void output_at_entry(int tid, int pid, struct slot *s, const struct pct_syscall *row)
{
    const unsigned long iovcnt = row->cls == CL_OUTPUTV ? (unsigned long)s->args[2] : 1;
    const uint64_t total = write_size(tid, s, row);
    if (total == 0) return; /* nothing to write, or a vector that cannot be read: EFAULT */
    if (total > (1u << 30) || iovcnt > 1024) {
        event_str(PCT_EV_FLAG, pid, "stdout-uncaptured: a write into a file stream too large to take at its entry");
        return;
    }
    int lone;
    const int64_t pos = attrs_stream_pos(pid, s->out_stream, &lone);
    /* a write that the file size limit fails or cuts short (EFBIG, SIGXFSZ ignored) while a
     * sibling writes the same bytes there through the same open file passes both checks at the
     * recording (hunt 22); the limit is read at the first such write after the exec, and a limit
     * set since (CL_SETLIMIT) counts as none left */
    struct slot *l = leader_of(s);
    if (!l->fsize_known) {
        l->fsize_limit = attrs_fsize_limit(pid);
        l->fsize_known = 1;
    }
    const uint64_t limit = l->fsize_set ? 0 : l->fsize_limit;
    if (!(l->reported & PF_FSIZE) && limit != UINT64_MAX && (pos < 0 || (uint64_t)pos + total > limit)) {
        l->reported |= PF_FSIZE;
        event_str(PCT_EV_FLAG, pid, l->fsize_set ? "stdout-limited: it writes into its output file after setting a file size limit (ulimit -f), and such writes are taken before they run"
                                                 : "stdout-limited: a write into its output file goes past its file size limit (ulimit -f), and such writes are taken before they run");
    }
    /* bytes that cannot be read fail the write (EFAULT): a sibling writing as many (and the same)
     * bytes through the same open file would make both checks at the recording pass (hunt 8) */
    if (put_written(tid, pid, s, row, (size_t)total, pos, lone))
        event_str(PCT_EV_FLAG, pid, "stdout-uncaptured: a write into its output file from memory that cannot be read");
}

static int tracee_fd(int pid, int fd);

/* A write through an fd that is not the writer's stream into a file that is another traced
 * process's stream (a subshell's builtin `echo` after `exec >log`, into the log a sibling
 * writes): taken at its entry with where it goes, so that the sibling's recording counts it (a
 * failed write of the sibling's could otherwise pass for it, hunt 26). */
static void foreign_at_entry(int tid, int pid, struct slot *s, const struct pct_syscall *row, uint64_t identity)
{
    const uint64_t total = write_size(tid, s, row);
    if (total == 0 || total > (1u << 30)) return;
    int64_t pos = -1;
    const int dup = strncmp(row->name, "pwrite", 6) == 0 ? -1 : tracee_fd(pid, (int)s->args[0]);
    if (dup >= 0) {
        pos = attrs_write_pos(dup);
        close(dup);
    }
    emit_lock();
    if (pos < 0) event_begin(PCT_EV_OUTPUT, PCT_OUT_FOREIGN, pid, 0, 0, 0, sizeof identity + (size_t)total);
    else event_begin(PCT_EV_OUTPUT, PCT_OUT_FOREIGN, pid, 1, (uint32_t)pos, (uint32_t)((uint64_t)pos >> 32), sizeof identity + (size_t)total);
    put_bytes(&identity, sizeof identity);
    put_write_bytes(tid, s, row, (size_t)total);
    emit_unlock();
}

/* The stream (1 or 2) a write lands in, or 0; a write into another process's file stream is
 * reported on the way. One stat of the fd for both, on every write. */
static int write_target(int tid, int pid, struct slot *s, const struct pct_syscall *row)
{
    const int fd = (int)s->args[0];
    const struct slot *l = leader_of(s);
    for (int k = 1; k <= 2; k++) {
        if (l->stream_file[k - 1] && l->stream_id[k - 1] && attrs_is_held_stream(pid, tid, fd, k))
            return stream_named(s, fd, l->stream_id[k - 1]);
    }
    const uint64_t id = fd_identity(tid, fd);
    const int stream = stream_named(s, fd, id);
    if (!stream && id && attrs_streams_held() && attrs_held_stream(id)) foreign_at_entry(tid, pid, s, row, id);
    if (!stream && writes_into_stdin(tid, s, fd, id))
        event_str(PCT_EV_FLAG, pid, "stdout-uncaptured: it writes into its stdin (a socket or terminal)");
    return stream;
}

/* A duplicate of the tracee's fd (the same open file), or -1. */
static int tracee_fd(int pid, int fd)
{
    const int pidfd = process_pidfd(pid);
    if (pidfd < 0) return -1;
    const int dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
    close(pidfd);
    return dup;
}

/* Is the directory open at fd read from its start (a new listing: opendir, rewinddir)? A later
 * getdents goes on with the same listing. Unknown counts as going on, as one listing. */
static int dir_at_start(int pid, int fd)
{
    const int dup = tracee_fd(pid, fd);
    if (dup < 0) return 0;
    const off_t at = lseek(dup, 0, SEEK_CUR);
    close(dup);
    return at == 0;
}

/* An in-kernel copy from a regular file into a stream: the bytes are read back from the file,
 * where the copy took them, while the process is still stopped at the call's exit. */
static void xfer_exit(int pid, struct slot *s, long rval)
{
    const int in = tracee_fd(pid, s->xfer_in);
    emit_lock();
    output_begin(s->out_stream, pid, (size_t)rval, s->xfer_pos, s->xfer_lone);
    size_t left = (size_t)rval;
    for (int64_t at = s->xfer_from; left > 0 && in >= 0;) {
        ssize_t r = pread(in, big, left < BIG_CAP ? left : BIG_CAP, (off_t)at);
        if (r <= 0) break;
        put_bytes(big, (size_t)r);
        left -= (size_t)r;
        at += r;
    }
    put_zeros(left);
    emit_unlock();
    if (in >= 0) close(in);
    /* bytes the file no longer held are not what was copied: the execution is not replayable */
    if (left > 0) event_str(PCT_EV_FLAG, pid, "stdout-uncaptured: the file it copied into its output changed meanwhile");
}

static void path_op_exit(int tid, int pid, struct slot *s, const struct pct_syscall *row, int err,
                         uint16_t op)
{
    const char *second = NULL;
    if (row->cls == CL_SYMLINK) {
        /* the link is path2, the target text is stored as written */
        if (arg_path(&bufs, tid, s->args, row->dirfd2, row->path2, path_a) < 0) return;
        if (read_str(tid, s->args[row->path], path_b, PATH_CAP) < 0) return;
        second = path_b;
    } else {
        int path_arg = row->path;
        if (row->cls == CL_UTIME && path_arg != NOARG && s->args[path_arg] == 0) path_arg = NOARG;
        if (row->cls == CL_LINK && row->extra != NOARG && (s->args[row->extra] & AT_EMPTY_PATH)) {
            char raw[8];
            if (read_str(tid, s->args[path_arg], raw, sizeof raw) == 0) path_arg = NOARG;
        }
        if (arg_path(&bufs, tid, s->args, row->dirfd, path_arg, path_a) < 0) return;
        if (row->path2 != NOARG) {
            if (arg_path(&bufs, tid, s->args, row->dirfd2, row->path2, path_b) < 0) return;
            second = path_b;
        }
    }
    uint32_t kind = 0;
    /* truncate(2) keeps what the file held up to its new length, unlike an open with O_TRUNC */
    if (row->cls == CL_TRUNCATE) kind = PCT_TRUNCATE_CALL;
    if (row->cls == CL_LXATTR) kind = PCT_PROBE_NOFOLLOW;
    /* `touch -h L`: the link's own times, not its target's (hunt 64) */
    const int utime_nofollow = row->cls == CL_UTIME && strcmp(row->name, "utimensat") == 0 && (s->args[3] & AT_SYMLINK_NOFOLLOW);
    if (utime_nofollow) kind = PCT_PROBE_NOFOLLOW;
    if (row->cls == CL_RENAME && row->extra != NOARG) {
        unsigned long flags = s->args[row->extra];
        /* an exchange leaves both names holding what the other held; a whiteout is overlayfs's */
        if (flags & ~(unsigned long)RENAME_NOREPLACE) {
            event_str(PCT_EV_FLAG, pid, "unmodelled: renameat2 with RENAME_EXCHANGE or RENAME_WHITEOUT");
            return;
        }
        if (flags & RENAME_NOREPLACE) kind = PCT_RENAME_NOREPLACE;
    }
    if (row->cls == CL_RENAME) kind |= (uint32_t)s->rename_dest << PCT_RENAME_DEST_SHIFT;
    /* a change in place (chmod, truncate(2), a utime): what the file is, its links among it, while
     * the process is stopped. Looked at later, the name may be another file's (hunt 39: a chmod,
     * then the name replaced, read as "gone" or as the new file). A utime keeps the mode, which
     * is then what it depended on (hunt 58: `touch -c f` restored f's recorded mode) */
    char seen[STAT_TEXT_CAP];
    struct stat st;
    if (!err && second == NULL && (row->cls == CL_CHMOD || row->cls == CL_TRUNCATE || row->cls == CL_UTIME) &&
        (utime_nofollow ? lstat(path_a, &st) : stat(path_a, &st)) == 0) {
        stat_text(&st, seen);
        second = seen;
        if (row->cls == CL_TRUNCATE && S_ISREG(st.st_mode) && lazy_ranges_open())
            lazy_file_changed(st.st_dev, st.st_ino, "stdout-unseen: a process truncated its output file while it ran");
    }
    access_event(pid, op, err, kind, exit_began_ns, path_a, second);
}

/* What stands at a rename's destination before the call, as lstat says (and, for a directory,
 * whether it holds anything). */
static uint8_t rename_dest(int tid, const struct pct_syscall *row, const uint64_t *args)
{
    char to[PATH_CAP];
    struct stat st;
    if (arg_path(&bufs, tid, args, row->dirfd2, row->path2, to) < 0) return PCT_DEST_UNKNOWN;
    if (lstat(to, &st) < 0) return errno == ENOENT ? PCT_DEST_ABSENT : PCT_DEST_UNKNOWN;
    if (S_ISREG(st.st_mode)) return PCT_DEST_FILE;
    if (S_ISLNK(st.st_mode)) return PCT_DEST_SYMLINK;
    if (!S_ISDIR(st.st_mode)) return PCT_DEST_OTHER;
    DIR *d = opendir(to);
    if (!d) return PCT_DEST_UNKNOWN;
    uint8_t found = PCT_DEST_EMPTY_DIR;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) { found = PCT_DEST_FULL_DIR; break; }
    }
    closedir(d);
    return found;
}

static const uint16_t class_op[] = {
    [CL_RENAME] = PCT_OP_RENAME, [CL_MKDIR] = PCT_OP_MKDIR, [CL_RMDIR] = PCT_OP_RMDIR,
    [CL_TRUNCATE] = PCT_OP_TRUNCATE, [CL_MKNOD] = PCT_OP_MKNOD, [CL_CHMOD] = PCT_OP_CHMOD,
    [CL_UTIME] = PCT_OP_UTIME, [CL_SYMLINK] = PCT_OP_SYMLINK, [CL_LINK] = PCT_OP_LINK,
    [CL_XATTR] = PCT_OP_XATTR, [CL_LXATTR] = PCT_OP_XATTR, [CL_SETXATTR] = PCT_OP_CHMOD,
};

/* ---- holding a parent whose wait returned an execution ------------------------------------ */

/* Processes that ran a program (an exec seen) and have ended, not yet returned by their parent's
 * wait. When the wait returns one, the parent is held at the wait's exit stop until TypeScript has
 * hashed what the child's subtree read: the parent may rewrite it next (configure's conftest.c). */
#define ENDED_CAP 256
static int ended_execs[ENDED_CAP];
static unsigned ended_next;

static void note_ended_exec(int pid)
{
    ended_execs[ended_next++ % ENDED_CAP] = pid; /* a lost one is only a recording missed, as before */
}

static int take_ended_exec(int pid)
{
    for (int i = 0; i < ENDED_CAP; i++) {
        if (ended_execs[i] == pid) { ended_execs[i] = 0; return 1; }
    }
    return 0;
}

static void reaped(int tid, int pid, const struct pct_syscall *row, const uint64_t *args, long rval)
{
    if (!decide_exec) return;
    long child = rval;
    if (strcmp(row->name, "waitid") == 0) {
        /* waitid(idtype, id, infop, options): si_pid at offset 16 of the siginfo (64-bit ABIs) */
        int32_t who = 0;
        if (rval != 0 || !args[2] || read_mem(tid, args[2] + 16, &who, sizeof who) != sizeof who) return;
        child = who;
    }
    if (child <= 0 || !take_ended_exec((int)child)) return;
    event_begin(PCT_EV_REAPED, 0, pid, (uint32_t)child, 0, 0, 0);
    flush();
    struct pct_exec_reply reply;
    /* whatever the answer (or none: TypeScript gone), the parent goes on */
    if (read_exact(emit_channel(), &reply, sizeof reply) < 0) return;
}

static void syscall_exit(int tid, struct slot *s)
{
    struct __ptrace_syscall_info info;
    int row_index = s->pending;
    s->pending = -1;
    if (s->inject_fd >= 0 && pct_injecting(tid)) {
        trapped_looks(tid, s);
        return;
    }
    if (s->inject_write && pct_injecting(tid)) {
        trapped_writes(tid, s);
        return;
    }
    if (row_index < 0) return;
    exit_began_ns = s->entry_ns;
    if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0 ||
        info.op != PTRACE_SYSCALL_INFO_EXIT)
        return;
    const long rval = (long)info.exit.rval;
    const int err = info.exit.is_error ? (int)-rval : 0;
    if (err >= 512 && err <= 530) return; /* ERESTART*: the call comes again */
    const struct pct_syscall *row = &pct_syscalls[row_index];
    const int pid = s->tgid;
    switch (row->cls) {
    case CL_OPEN: case CL_OPENAT2: open_exit(tid, pid, s, row, err, rval); break;
    case CL_GETDENTS: if (!err) getdents_exit(tid, pid, s, row, rval); break;
    case CL_OUTPUT: case CL_OUTPUTV: case CL_XFER:
        /* what a program does once its reader is gone is its own: a replay would not meet it */
        if (err == EPIPE && s->out_stream) event_str(PCT_EV_FLAG, pid, "stdout-reader-gone: a write into its stdout or stderr failed with EPIPE (its reader had ended)");
        else if (!err && row->cls == CL_XFER && rval > 0) xfer_exit(pid, s, rval);
        else if (!err && row->cls != CL_XFER) output_exit(tid, pid, s, row, rval);
        break;
    case CL_STDIN: if (!err) stdin_exit(tid, pid, s, rval); break;
    case CL_RECVMSG:
        if (!err) control_data(pid, msg_control_len(tid, s->args[1]), row->name);
        break;
    case CL_EXEC: /* only a failed exec gets here: a successful one stops at PTRACE_EVENT_EXEC */
        if (s->pending_path >= 0) {
            access_event(pid, PCT_OP_EXEC, err, 0, 0, pending_paths[s->pending_path], NULL);
            report_interpreter(pid, pending_paths[s->pending_path], 0);
        }
        break;
    case CL_CHDIR:
        /* the path as spelled: `cd d` through a symlink d depends on where d leads, which the
         * resolved cwd alone would hide. Made absolute at the entry: by the exit, a relative
         * path would be taken from the new cwd (`mkdir -p out/a out/b` reported out/out) */
        if (s->pending_path >= 0)
            access_event(pid, PCT_OP_CHDIR, err, 0, 0, pending_paths[s->pending_path], NULL);
        else if (err || row->path == NOARG) { /* the cwd unchanged, or an fd */
            if (arg_path(&bufs, tid, s->args, row->dirfd, row->path, path_a) >= 0)
                access_event(pid, PCT_OP_CHDIR, err, 0, 0, path_a, NULL);
        } else {
            event_str(PCT_EV_FLAG, pid, "unmodelled: a chdir whose path the tracer had no room to keep");
        }
        break;
    case CL_UNLINK: {
        int rmdir = row->extra != NOARG && (s->args[row->extra] & AT_REMOVEDIR);
        path_op_exit(tid, pid, s, row, err, rmdir ? PCT_OP_RMDIR : PCT_OP_DELETE);
        break;
    }
    case CL_DUP: case CL_FCNTL:
        /* a copy below the saved range, whose reads are not seen (a subshell's `exec 5<&0`): a
         * deferred replay into what it names goes now */
        if (!err && rval > 2 && rval < PCT_SAVED_FD_MIN && pct_deferred_count()) pct_release_read(fd_identity(tid, (int)rval));
        /* writes are filed by the open file they land in, wherever the fd: only a copy of stdin
         * below the saved range matters, where its reads are not seen (`exec 3<&0`, or a saved
         * copy at 11 moved to 3; back on fd 0 it is seen): reported as a dup of fd 0 */
        if (!err && rval > 0 && rval != (long)(int)s->args[0] && rval < PCT_SAVED_FD_MIN && reads_stdin(tid, s, (int)rval)) {
            event_begin(PCT_EV_ACCESS, PCT_OP_DUP, pid, 0, 0, (uint32_t)rval, 0);
        } else if (!err && rval > 2 && !looks_seen(s, (int)rval) && (file_stream_of(tid, s, (int)rval) || copied_stream(tid, s, (int)rval))) {
            /* the filter traps fstat and lseek on fds 1, 2 and 10 to 15 only: a look through
             * this copy at where the output goes would not be seen (hunt 9) */
            event_str(PCT_EV_FLAG, pid, "stdout-copied: it copies its stdout or stderr file to an fd from 3 to 9 or above 15, where a look at it is not seen");
        }
        break;
    case CL_WAIT: if (!err) reaped(tid, pid, row, s->args, rval); break;
    case CL_CONNECT:
        if (s->pending_path >= 0 && err == ENOENT)
            access_event(pid, PCT_OP_PROBE, ENOENT, 0, 0, pending_paths[s->pending_path], NULL);
        else
            event_str(PCT_EV_FLAG, pid, "network:connect");
        break;
    default:
        if (row->cls < sizeof class_op / sizeof class_op[0] && class_op[row->cls])
            path_op_exit(tid, pid, s, row, err, class_op[row->cls]);
        break;
    }
    release_pending_path(s);
}

static int traced_pid(long pid)
{
    return pid > 0 && find((int)pid) != NULL;
}

/* prctl options that set nothing an exec keeps unkeyed: the reads, the name and memory names
 * (gone at the exec), what the exec query keys (no_new_privs, capabilities, THP, timer slack),
 * keepcaps (cleared at exec) and seccomp (CL_RESTRICT's). Every other option sets something
 * the next program starts with (hunt 34: MCE kill, TSC, MDWE, KSM, the parent-death signal...). */
static int prctl_keyed_or_gone(unsigned long option)
{
    static const unsigned long harmless[] = {
        PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_GET_UNALIGN, PR_GET_KEEPCAPS, PR_GET_FPEMU, PR_GET_FPEXC,
        PR_GET_TIMING, PR_GET_NAME, PR_GET_ENDIAN, PR_GET_SECCOMP, PR_CAPBSET_READ, PR_GET_TSC,
        PR_GET_SECUREBITS, PR_GET_TIMERSLACK, PR_MCE_KILL_GET, PR_GET_CHILD_SUBREAPER, PR_GET_NO_NEW_PRIVS,
        PR_GET_TID_ADDRESS, PR_GET_THP_DISABLE, PR_GET_FP_MODE, PR_GET_SPECULATION_CTRL,
        PR_SET_NAME, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT,
        PR_SET_THP_DISABLE, PR_SET_TIMERSLACK, PR_SET_SECCOMP,
        PR_SET_DUMPABLE, /* an exec sets it anew (the tracer's own child sets it after its setuid) */
        0x53564d41 /* PR_SET_VMA */, 56 /* PR_GET_TAGGED_ADDR_CTRL */, 58 /* PR_GET_IO_FLUSHER */,
        66 /* PR_GET_MDWE */, 68 /* PR_GET_MEMORY_MERGE */,
    };
    for (size_t i = 0; i < sizeof harmless / sizeof harmless[0]; i++) if (harmless[i] == option) return 1;
    return 0;
}

/* A setting an exec keeps and no key holds: a parent-death signal or the subreaper flag (prctl),
 * an alarm or interval timer armed (hunt 33: the program exec'd next read the old value back). A
 * fork starts without them. */
static int sets_exec_kept(const struct pct_syscall *row, const uint64_t *args)
{
    if (row->nr == __NR_prctl) return !prctl_keyed_or_gone((unsigned long)args[0]);
    if (row->nr == __NR_setitimer) return args[1] != 0;
    return args[0] != 0; /* alarm(seconds) */
}

/* gone: no process has the target's pid now (it may have been one of the command's) */
static void sent_to(int pid, int target, int sig, int gone)
{
    emit_lock();
    event_begin(PCT_EV_SIGNAL_SENT, (uint16_t)sig, pid, target, (uint32_t)gone, 0, 0);
    emit_unlock();
}

/* Up to this many processes in a group a traced process signals; past it, the signal is taken to
 * leave the command */
#define GROUP_MAX 512

/* kill(0) or kill(-pgrp): each process of the group, when every one is traced (timeout(1) signals
 * the group it made for its command); one that is not makes the signal leave the command. A
 * process that joins the group between the look and the kill is a traced one's fork, or an
 * outside process that chose to join it. */
static void group_signal(int pid, int pgrp, int sig)
{
    static int members[GROUP_MAX];
    int n = pgrp > 0 ? group_members(pgrp, members, GROUP_MAX) : -1;
    for (int i = 0; i < n; i++) {
        if (!traced_pid(members[i])) n = -1;
    }
    /* an empty group (its processes ended: ESRCH) answers as a kill of a pid that is gone */
    if (n <= 0) {
        event_str(PCT_EV_FLAG, pid, "signal-outside");
        return;
    }
    for (int i = 0; i < n; i++) sent_to(pid, members[i], sig, 0);
}

/* A signal is the receiver's input and the sender's output, which a replay of the sender would not
 * send: each traced process it reaches is reported (TypeScript refuses a sender whose target is
 * outside its subtree, lifted where it is within). One that is not traced, every process (kill
 * -1) or a pidfd (never resolved) leaves the command. Signal 0 sends nothing but asks whether the
 * target lives: reported the same. */
static void signal_sent(int pid, const struct pct_syscall *row, const uint64_t *args)
{
    if (row->path == NOARG || row->extra == NOARG) {
        event_str(PCT_EV_FLAG, pid, "signal-outside");
        return;
    }
    const long target = (long)(int)args[row->path];
    const int sig = (int)args[row->extra];
    if (row->nr == __NR_kill && target == 0) {
        group_signal(pid, getpgid(pid), sig);
        return;
    }
    if (row->nr == __NR_kill && target < -1) {
        group_signal(pid, (int)-target, sig);
        return;
    }
    /* kill's and sigqueue's target is a process; tkill's and tgkill's a thread, whose process counts */
    struct slot *t = target > 0 ? find((int)target) : NULL;
    /* a pid no process has: `kill -0 $job` after the job ended (TypeScript knows whether it was
     * one of the command's); one an outside process has leaves the command */
    if (!t && target > 0 && kill((pid_t)target, 0) < 0 && errno == ESRCH) {
        sent_to(pid, (int)target, sig, 1);
        return;
    }
    if (!t) {
        event_str(PCT_EV_FLAG, pid, "signal-outside");
        return;
    }
    if (t->tgid != pid) sent_to(pid, t->tgid, sig, 0);
}

/* AF_UNIX paths get their answer at the exit stop (absent = a probe); anything else is unsafe. */
static int connect_entry(int tid, int pid, struct slot *s)
{
    struct sockaddr_un sun;
    size_t len = (size_t)s->args[2] < sizeof sun ? (size_t)s->args[2] : sizeof sun;
    memset(&sun, 0, sizeof sun);
    if (len < sizeof(sa_family_t) || read_mem(tid, s->args[1], &sun, len) < (ssize_t)sizeof(sa_family_t))
        return 0;
    if (sun.sun_family == AF_UNSPEC) return 0;
    if (sun.sun_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path) && sun.sun_path[0]) {
        char *slotpath = take_pending_path(s);
        char rel[sizeof sun.sun_path + 1];
        memcpy(rel, sun.sun_path, sizeof sun.sun_path);
        rel[sizeof sun.sun_path] = 0;
        if (slotpath && resolve(tid, AT_FDCWD, rel, slotpath, PATH_CAP) == 0) return 1;
    }
    event_str(PCT_EV_FLAG, pid, "network:connect");
    return 0;
}

/* A read of stdin, reported once per process (on its leader's slot) */
static void stdin_read_seen(int pid, struct slot *leader)
{
    if (leader->reported & PF_STDIN) return;
    leader->reported |= PF_STDIN;
    access_event(pid, PCT_OP_STDIN, 0, 0, 0, NULL, NULL);
}

/* Is pid arg (a call's target) another process than the caller's (pid, tid)? 0 means itself. */
static int another_process(long target, int pid, int tid)
{
    return target != 0 && target != pid && target != tid;
}

/* Does fd's open file (identity id) name what stdin named at the exec? A socket or terminal
 * there takes writes too, which a replay would not make. */
static int writes_into_stdin(int tid, struct slot *s, int fd, uint64_t id)
{
    if (!id || id != leader_of(s)->stdin_id) return 0;
    const char *kind = stdio_look(tid, fd, NULL);
    return strcmp(kind, "socket") == 0 || strcmp(kind, "tty") == 0 || strcmp(kind, "char") == 0;
}

/* A read of fd 1 or 2 that is not stdin: a socket or a terminal there answers with bytes the
 * tracer does not take, and so does a file opened for reading and writing after the exec (`exec
 * 1<>f`; one open so at the exec is refused there). A pipe's write end fails the read, and
 * /dev/null has nothing to give. */
static void read_of_output(int tid, int pid, int fd)
{
    const char *kind = stdio_look(tid, fd, NULL);
    if (strcmp(kind, "pipe") != 0 && strcmp(kind, "null") != 0 && strcmp(kind, "closed") != 0)
        event_str(PCT_EV_FLAG, pid, "stdin-unseen: it reads its stdout or stderr (a socket, terminal or file open both ways), whose bytes are not captured");
}

/* The length of the control buffer of the msghdr at addr (0: none, or unreadable). */
static size_t msg_control_len(int tid, uint64_t msghdr)
{
    struct msghdr m;
    if (read_mem(tid, msghdr, &m, sizeof m) != (ssize_t)sizeof m) return 0;
    return m.msg_control ? m.msg_controllen : 0;
}

/* Control data through a socket (SCM_RIGHTS open files, SCM_CREDENTIALS): an open file that
 * leaves the command or comes in from outside is a channel the memo model does not follow. A
 * pipe or socket its subtree did not inherit counts as its own (engine.ts madeWithin) only while
 * none travels so. */
static void control_data(int pid, size_t len, const char *call)
{
    if (len) flag2(pid, "fd-passing: it passes control data (open files or credentials) over a socket: ", call);
}

/* A call about another process by its pid (taskset -p, chrt -p, renice, getpgid(P)): that
 * process's state, or a change to it, which no input holds and no replay makes */
static void peer_call(int pid, const struct pct_syscall *row)
{
    flag2(pid, "process-state: it asks about or changes another process: ", row->name);
}

/* A trapped ioctl (pct_ioctl_trapped). On a terminal: its size read is an observed attribute
 * (its value at the exec joins the entry: gcc in a terminal wraps its diagnostics to it), and a
 * change to it is one a replay would not make. Inode flags (lsattr, chattr) are not modelled. */
static void ioctl_entry(int tid, int pid, int fd, uint32_t request)
{
    if (request == (uint32_t)FS_IOC_GETFLAGS || request == (uint32_t)FS_IOC_SETFLAGS ||
        request == (uint32_t)FS_IOC_FSGETXATTR || request == (uint32_t)FS_IOC_FSSETXATTR) {
        event_str(PCT_EV_FLAG, pid, "unmodelled-syscall:ioctl: inode flags (lsattr, chattr)");
        return;
    }
    if (strcmp(stdio_look(tid, fd, NULL), "tty") != 0) return; /* ENOTTY, or a device's own */
    if (request == TIOCGWINSZ) event_str(PCT_EV_OBSERVED, pid, "TIOCGWINSZ");
    else event_str(PCT_EV_FLAG, pid, "tty: it changes its terminal (an ioctl: modes, size, typed input)");
}

/* send on a socket that is stdout or stderr, or stdin (a socket takes writes both ways): output
 * the tracer does not take (a write is taken) */
static void sent_into_stream(int tid, struct slot *s, int fd, const struct pct_syscall *row)
{
    const uint64_t id = fd_identity(tid, fd);
    if (stream_named(s, fd, id) || writes_into_stdin(tid, s, fd, id)) flag2(s->tgid, "stdout-uncaptured:", row->name);
}

static int sendmsg_has_address(int tid, uint64_t msghdr)
{
    uint64_t name = 0;
    return read_mem(tid, msghdr, &name, sizeof name) == sizeof name && name != 0;
}

/* An in-kernel copy: from stdin, a read of it; into a stream, output, captured at the exit when it
 * comes from a regular file (cat's copy_file_range, sendfile). From a pipe (splice, tee), the bytes
 * are gone by then. Returns 1 when the exit stop is needed. */
/* An in-kernel copy into fd, a regular file: the ranges of that file not of the copier's own line
 * are refused (splice counts no write: an untrapped ancestor's would pass unseen, hunt 68) */
static void copied_into(int tid, struct slot *s, int fd)
{
    char link[64];
    struct stat st;
    proc_path(link, sizeof link, tid, "/fd/", fd);
    if (fd < 0 || stat(link, &st) != 0 || !S_ISREG(st.st_mode)) return;
    int line[64];
    const struct slot *l = leader_of(s);
    line[0] = l->tgid;
    const int n = ancestors_of(l, line + 1, 63, 0); /* more than fit, or -1: only those kept */
    lazy_file_copied_into(st.st_dev, st.st_ino, line, 1 + (n < 0 ? 0 : n < 63 ? n : 63));
}

static int xfer_entry(int tid, struct slot *s, const struct pct_syscall *row, const uint64_t *args)
{
    const int pid = s->tgid;
    const int in = row->dirfd != NOARG ? (int)args[row->dirfd] : -1;
    if (reads_stdin(tid, s, in)) {
        access_event(pid, PCT_OP_STDIN, 0, 0, 0, NULL, NULL);
        if (leader_of(s)->stdin_pipe) event_begin(PCT_EV_STDIN_DATA, PCT_STDIN_UNSEEN, pid, tid, 0, 0, 0);
    }
    release_filled(tid, (int)args[row->dirfd2], 0); /* the deadline bounds a copy's wait */
    if (lazy_ranges_open()) copied_into(tid, s, (int)args[row->dirfd2]);
    s->out_stream = (uint8_t)stream_of(tid, s, (int)args[row->dirfd2]);
    if (!s->out_stream) return 0;
    struct stat st;
    char link[64];
    proc_path(link, sizeof link, tid, "/fd/", in);
    if (in < 0 || stat(link, &st) < 0 || !S_ISREG(st.st_mode)) {
        flag2(pid, "stdout-uncaptured:", row->name);
        return 0;
    }
    int64_t from = -1;
    if (row->extra != NOARG && args[row->extra]) {
        if (read_mem(tid, args[row->extra], &from, sizeof from) != sizeof from) from = -1;
    } else {
        const int dup = tracee_fd(pid, in);
        if (dup >= 0) { from = lseek(dup, 0, SEEK_CUR); close(dup); }
    }
    if (from < 0) {
        flag2(pid, "stdout-uncaptured:", row->name);
        return 0;
    }
    s->xfer_in = in;
    s->xfer_from = from;
    /* as for a write taken at its entry: where the bytes were to land (make -j2's recipes share
     * the file, and the recording finds each piece from there on) */
    s->xfer_pos = leader_of(s)->stream_file[s->out_stream - 1] ? attrs_stream_pos(pid, s->out_stream, &s->xfer_lone) : -1;
    return 1;
}

/* setxattr(..., name, value, size, flags) of a POSIX access ACL with only the owner, group and
 * other entries: the kernel keeps no attribute, only the mode bits it names (acl(5)'s minimal
 * ACL; coreutils' install and cp set one for the mode they want). */
static int sets_mode_only(int tid, const uint64_t *args, int name_arg)
{
    static const char acl_name[] = "system.posix_acl_access";
    char name[sizeof acl_name];
    if (read_mem(tid, args[name_arg], name, sizeof name) != (ssize_t)sizeof name || memcmp(name, acl_name, sizeof name) != 0)
        return 0;
    struct { uint16_t tag, perm; uint32_t id; } entry[3];
    uint32_t version = 0;
    const uint16_t tags[3] = { 0x01, 0x04, 0x20 }; /* ACL_USER_OBJ, ACL_GROUP_OBJ, ACL_OTHER */
    if (args[name_arg + 2] != sizeof version + sizeof entry ||
        read_mem(tid, args[name_arg + 1], &version, sizeof version) != sizeof version || version != 2 ||
        read_mem(tid, args[name_arg + 1] + sizeof version, entry, sizeof entry) != sizeof entry)
        return 0;
    for (int i = 0; i < 3; i++) {
        if (entry[i].tag != tags[i] || entry[i].perm > 7) return 0;
    }
    return 1;
}

/* Does this utime call set the mtime to a given time, not to now (a NULL times, UTIME_NOW) or
 * leave it (UTIME_OMIT)? Unreadable times count as given. */
static int sets_given_mtime(int tid, const struct pct_syscall *row, const uint64_t *args)
{
    const uint64_t times = row->extra == NOARG ? 0 : args[row->extra];
    if (!times) return 0;
    if (strcmp(row->name, "utimensat") != 0) return 1; /* utime, utimes, futimesat: a NULL is now */
    struct timespec ts[2];
    if (read_mem(tid, times, ts, sizeof ts) != (ssize_t)sizeof ts) return 1;
    return ts[1].tv_nsec != UTIME_NOW && ts[1].tv_nsec != UTIME_OMIT;
}

/* ---- writes that do not stop (lazy.h) ---------------------------------------------------- */

/* The write filter could not be added where the line of untrapped processes needed it: no range
 * taken from then on is known to be its subtree's own */
static int lazy_broken;
/* the process that started the tracer (the spec's caller_pid) */
static int caller_pid;
static int root_pid;

/* How many live processes have their writes untrapped */
static int lazy_count(void)
{
    int n = 0;
    for (unsigned i = 0, used = 0; i < SLOTS && used < (unsigned)live_slots; i++) {
        if (!(slots[i].state & ST_USED)) continue;
        used++;
        n += slots[i].tgid == slots[i].tid && slots[i].lazy;
    }
    return n;
}

/* l's ancestors that still live (only the untrapped ones: untrapped_only), nearest first, up to
 * cap in out; returns how many, or -1 when the line cannot be followed (an id met twice: reused) */
static int ancestors_of(const struct slot *l, int *out, int cap, int untrapped_only)
{
    int n = 0, steps = 0;
    for (int p = l->ppid; p > 0 && steps < 4 * SLOTS; steps++) {
        const struct slot *a = find(p);
        if (!a || a->tgid != p) break; /* ended: its own ancestors are not known here */
        if (a->lazy || !untrapped_only) {
            if (n < cap) out[n] = p;
            n++;
        }
        p = a->ppid;
        if (p == l->tgid) return -1;
    }
    return steps >= 4 * SLOTS ? -1 : n;
}

/* Is l the last of the line of untrapped processes: every other one is its ancestor? */
static int lazy_leaf(const struct slot *l)
{
    int ancestors[1];
    const int n = ancestors_of(l, ancestors, 0, 1);
    return n >= 0 && lazy_count() == n + 1;
}

/* Must s's process, untrapped, trap its writes before the exec it is at? The command's first
 * program also when a process outside the trace could write into its stdout or stderr file. */
static int must_trap_writes(int pid, struct slot *s)
{
    const struct slot *l = leader_of(s);
    if (!l->lazy || l->lazy_unseen) return 0;
    return lazy_needs_trap(pid) || (pid == root_pid && l->execs == 0 && lazy_outside_writer(pid, caller_pid));
}

/* From the call's seccomp stop: the call becomes the seccomp call that adds the write filter to
 * the process (every thread), and is made again once it is in place. 0 when it could not begin. */
static int trap_writes(int tid, struct slot *s)
{
    static struct sock_filter prog[PCT_WRITE_FILTER_MAX];
    static unsigned len;
    if (!len) len = pct_build_write_filter(prog, PCT_WRITE_FILTER_MAX);
    struct slot *l = leader_of(s);
    if (pct_inject_begin(tid, prog, len) < 0) {
        l->lazy_unseen = 1; /* its exec's output is not known; a fork's line is broken */
        return 0;
    }
    s->inject_write = 1;
    l->lazy = 0;
    return 1;
}

static void trapped_writes(int tid, struct slot *s)
{
    const long result = pct_inject_end(tid);
    s->inject_write = 0;
    if (result == PCT_INJECT_LOST) {
        event_str(PCT_EV_ERROR, s->tgid, "the tracer could not put back a call it had changed: the process was killed");
        syscall(SYS_tgkill, s->tgid, tid, SIGKILL);
        return;
    }
    if (result != 0) { /* a filter of the program's own refused it: its writes stay unseen */
        struct slot *l = leader_of(s);
        l->lazy = 1;
        l->lazy_unseen = 1;
    }
}

/* A clone's flags (0 for fork and vfork); unknown: CLONE_THREAD | CLONE_UNTRACED, the worst */
static uint64_t clone_flags(int tid, const struct pct_syscall *row, const uint64_t *args)
{
    if (row->nr == __NR_clone) return args[0];
    if (strcmp(row->name, "clone3") != 0) return 0;
    uint64_t flags;
    return read_mem(tid, args[0], &flags, sizeof flags) == (ssize_t)sizeof flags ? flags : CLONE_THREAD | CLONE_UNTRACED;
}

/* An untrapped process forks or starts a thread: it traps its writes first unless it is a fork
 * by the last of the line (lazy.h). Returns 1 when the call is made again once the filter is in. */
static int fork_beside(int tid, struct slot *s, const struct pct_syscall *row, const uint64_t *args)
{
    struct slot *l = leader_of(s);
    if (!l->lazy || l->lazy_unseen) {
        if (l->lazy && l->lazy_unseen) lazy_broken = 1;
        return 0;
    }
    const uint64_t flags = clone_flags(tid, row, args);
    /* a child the tracer is not given (hunt 68): it keeps the write filter, so what it writes
     * fails (ENOSYS, no tracer to answer) as in a process whose writes stop */
    if (flags & CLONE_UNTRACED) event_str(PCT_EV_FLAG, s->tgid, "unmodelled: clone with CLONE_UNTRACED: its child escapes the tracer");
    if (!(flags & (CLONE_THREAD | CLONE_UNTRACED)) && lazy_leaf(l)) return 0;
    if (trap_writes(tid, s)) return 1;
    lazy_broken = 1;
    return 0;
}

/* An untrapped process changes its credentials: it traps its writes first, while it may still add
 * a filter. Returns 1 when the call is made again once the filter is in. */
static int gives_up_root(int tid, struct slot *s)
{
    struct slot *l = leader_of(s);
    return l->lazy && !l->lazy_unseen && trap_writes(tid, s);
}

/* The exec of a process whose writes are not trapped, or should have been and could not be */
static void begin_range(struct slot *l)
{
    int ancestors[16];
    const int n = ancestors_of(l, ancestors, 16, 1);
    const char *unseen = NULL;
    if (l->lazy_unseen) unseen = "stdout-unseen: its writes could not be trapped, and what it wrote is not known";
    else if (lazy_broken) unseen = "stdout-unseen: a process whose writes could not be trapped ran beside it";
    else if (n < 0 || lazy_count() != n + 1) unseen = "stdout-unseen: a process whose writes are not trapped, not one it runs under, ran beside it";
    lazy_begin(l->tgid, l->execs, ancestors, n < 0 ? -1 : n, unseen);
}

/* trap_looks_at's fd for "the lowest free one from min" (a dup, F_DUPFD), found only when needed */
#define LOWEST_FREE_FROM(min) (-1000000 - (min))

/* The fd a dup or F_DUPFD from min will return: the lowest one not open (another thread may take
 * it first: the dup's exit then finds its copy where no filter traps, and flags it). -1: unknown. */
static int lowest_free_fd(int pid, int min)
{
    if (min < 0 || min >= 64) return -1;
    char dir[64];
    proc_path(dir, sizeof dir, pid, "/fd", -1);
    DIR *d = opendir(dir);
    if (!d) return -1;
    uint64_t open_fds = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const int fd = (int)strtol(e->d_name, NULL, 10);
        if (fd >= 0 && fd < 64 && e->d_name[0] >= '0' && e->d_name[0] <= '9') open_fds |= 1ull << fd;
    }
    closedir(d);
    for (int fd = min; fd < 64; fd++) if (!(open_fds & (1ull << fd))) return fd;
    return -1;
}

/* fd copies a file stream (a shell's `exec 6>&1`, autoconf's AS_MESSAGE_FD) onto an fd whose
 * looks the first filter lets by (3-9, above 15): a look there at where the output stands would not
 * be seen. From the dup's seccomp stop, a filter that traps them is added to the process (its
 * descendants inherit both it and the copy), and the dup is made again once it is in place. */
static void trap_looks_at(int tid, struct slot *s, int from, int fd)
{
    struct slot *l = leader_of(s);
    if (!decide_exec || from < 0 || !(file_stream_of(tid, s, from) || copied_stream(tid, s, from))) return;
    /* a dup or F_DUPFD: its fd is known only for a copy of a stream (a directory read per shell redirection otherwise) */
    if (fd <= LOWEST_FREE_FROM(0)) fd = lowest_free_fd(s->tgid, LOWEST_FREE_FROM(0) - fd);
    if (fd <= 2 || (fd >= PCT_SAVED_FD_MIN && fd <= PCT_LOOKED_FD_MAX) || looks_seen(s, fd)) return;
    const uint64_t id = fd_identity(tid, from);
    int at = -1;
    for (int i = COPIED_CAP - 1; i >= 0; i--) if (!l->looks.copied[i] || l->looks.copied[i] == id) at = i;
    if (at < 0 || try_fd(&l->looks, fd) < 0) return; /* flagged at the exit, as before */
    struct sock_filter prog[PCT_LOOK_FILTER_MAX];
    const unsigned len = pct_build_look_filter(prog, PCT_LOOK_FILTER_MAX, fd);
    if (pct_inject_begin(tid, prog, len) < 0) return;
    l->looks.copied[at] = id;
    s->inject_fd = fd;
}

/* The exit stop of the seccomp call a dup became (trap_looks_at): the dup is put back, to be made
 * again under the new filter. */
static void trapped_looks(int tid, struct slot *s)
{
    struct slot *l = leader_of(s);
    const long result = pct_inject_end(tid);
    const int fd = s->inject_fd;
    s->inject_fd = -1;
    if (result == PCT_INJECT_LOST) {
        event_str(PCT_EV_ERROR, s->tgid, "the tracer could not put back a call it had changed: the process was killed");
        syscall(SYS_tgkill, s->tgid, tid, SIGKILL);
        return;
    }
    if (result != 0 || fd <= 2) return;
    if (fd < 64) l->looks.trapped |= 1ull << fd;
    for (int i = 0; fd >= 64 && i < FAR_CAP; i++) if (l->looks.far[i] == fd) l->looks.far_trapped |= (uint8_t)(1u << i);
}

/* Left stopped at its entry: a skipped process whose output a helper is still writing. */
#define ENTRY_HOLD 2

#define ASK_DEADLINE 2

/* Asks again about an exec held for its pipe's writers (waiting.h), and lets it go on as told;
 * last: its writer would fill the pipe, so it must not wait any more; ASK_DEADLINE: its deadline
 * passed, and a "wait" once more holds it anew (its writers are held at their own execs, a
 * pipeline's chain of stages on a loaded machine: TypeScript bounds how long). */
static void ask_again(int tid, int last)
{
    struct slot *s = find(tid);
    if (!s || s->pending_path < 0 || s->wait_row < 0) {
        waiting_remove(tid);
        return;
    }
    const struct pct_syscall *row = &pct_syscalls[s->wait_row];
    enum pct_exec_outcome outcome = pct_decide_exec(tid, s->tgid, pending_paths[s->pending_path], row, s->args, last != 0);
    if (outcome == PCT_EXEC_WAIT && !last) return;
    waiting_remove(tid);
    if (outcome == PCT_EXEC_WAIT && last == ASK_DEADLINE &&
        waiting_add(tid, pct_wait_ms(), fd_identity(tid, 0), fd_identity(tid, 1), fd_identity(tid, 2)) == 0) return;
    if (outcome == PCT_EXEC_WAIT) outcome = PCT_EXEC_RUNS; /* told to wait once more: it runs */
    const int16_t index = s->wait_row;
    s->wait_row = -1;
    if (outcome == PCT_EXEC_RUNS) {
        /* as on_seccomp would have let it go at its entry */
        s->pending = index;
        s->entry_ns = now_ns();
        ptrace(PTRACE_SYSCALL, tid, 0, 0);
        return;
    }
    release_pending_path(s);
    if (outcome == PCT_EXEC_SKIPPED) ptrace(PTRACE_CONT, tid, 0, 0);
    /* PCT_EXEC_HELD: stopped until its replay's helper ends (pct_finish_held) */
}

/* Every held exec, asked again: a process ended, and with it maybe a pipe's last writer. */
static void ask_waiting_again(void)
{
    for (int i = waiting_count() - 1; i >= 0; i--) {
        const int tid = waiting_at(i);
        if (tid) ask_again(tid, 0);
    }
}

/* A write of count bytes into fd that a held exec must not be held over (waiting_released_by):
 * that one goes on first. */
static void release_filled(int writer, int fd, uint64_t count)
{
    for (int reader; waiting_count() && (reader = waiting_released_by(writer, fd, count)) != 0;) ask_again(reader, 1);
}

/* Returns 1 when the call's exit stop is needed, ENTRY_HOLD when the process must stay stopped. */
static int seccomp_entry(int tid, struct slot *s, const struct pct_syscall *row)
{
    const int pid = s->tgid;
    const uint64_t *args = s->args;
    switch (row->cls) {
    case CL_OPEN: case CL_OPENAT2: {
        long flags = open_flags(tid, row, args);
        const int reads_only = opens_for_reading(flags);
        if (reads_only) {
            /* a path that cannot be read names no file: the kernel fails the call, nothing to wait for */
            answer_query(&bufs, tid, pid, row, args);
            return 0;
        }
        if ((flags & O_TMPFILE) == O_TMPFILE) return 0; /* anonymous: a later link names it */
        s->open_flags = flags;
        char *p = take_pending_path(s);
        if (p && arg_path(&bufs, tid, args, row->dirfd, row->path, p) < 0) {
            release_pending_path(s);
            return 0; /* names no file: the kernel fails it */
        }
        s->existed = (flags & O_EXCL) ? 0 : 1;
        if ((flags & O_CREAT) && !(flags & O_EXCL) && p) s->existed = faccessat(AT_FDCWD, p, F_OK, 0) == 0;
        return 1;
    }
    case CL_PROBE: case CL_LPROBE: case CL_READLINK:
        if (row->cond == CO_STAT_FD && (args[row->cond_arg] & AT_EMPTY_PATH) && empty_path_arg(tid, args[row->path])) {
            observe_stream(tid, s, (int)args[0]); /* fstat through fstatat or statx */
            return 0;
        }
        answer_query(&bufs, tid, pid, row, args);
        return 0;
    case CL_STREAM_STAT:
        observe_stream(tid, s, (int)args[0]);
        return 0;
    case CL_GETDENTS:
        s->list_goes_on = !dir_at_start(pid, (int)args[row->dirfd]);
        return 1;
    case CL_UTIME:
        /* a given time (touch -d, -r, cp -p): the file is then not "newest now", which is all
         * that the mtimes' order in a key and a restore know of the run's own files */
        if (sets_given_mtime(tid, row, args))
            event_str(PCT_EV_FLAG, pid, "explicit-mtime: it sets a file's mtime to a given time (touch -d or -r, cp -p): the order of the run's own files is then not known");
        return 1;
    case CL_DUP:
        trap_looks_at(tid, s, (int)args[0], strcmp(row->name, "dup") == 0 ? LOWEST_FREE_FROM(0) : (int)args[1]);
        return 1;
    case CL_STREAM_RESIZE:
        if (lazy_ranges_open()) {
            char fdpath[64];
            proc_path(fdpath, sizeof fdpath, tid, "/fd/", (long)(int)args[0]);
            file_changed(fdpath, "stdout-unseen: a process truncated or extended its output file (ftruncate, fallocate) while it ran");
        }
        if (file_stream_of(tid, s, (int)args[0]))
            flag2(pid, "stdout-positioned: it truncates or extends its stdout or stderr file with ", row->name);
        return 0;
    case CL_RENAME:
        /* RENAME_NOREPLACE (mv's first try) succeeds only where nothing stood: no need to look */
        s->rename_dest = row->extra != NOARG && (args[row->extra] & RENAME_NOREPLACE) ? PCT_DEST_UNKNOWN : rename_dest(tid, row, args);
        return 1;
    case CL_EXEC: {
        if (lazy_on && must_trap_writes(pid, s) && trap_writes(tid, s)) return 1; /* made again once added */
        char *p = take_pending_path(s);
        int path_arg = row->path;
        if (row->extra != NOARG && (args[row->extra] & AT_EMPTY_PATH)) path_arg = NOARG;
        if (p && arg_path(&bufs, tid, args, row->dirfd, path_arg, p) < 0) release_pending_path(s);
        /* an exec that is bound to fail (execvp trying each PATH entry) is not worth a query */
        if (decide_exec && s->pending_path >= 0 && access(p, X_OK) == 0) {
            enum pct_exec_outcome outcome = pct_decide_exec(tid, pid, p, row, args, 0);
            if (outcome == PCT_EXEC_WAIT) {
                s->wait_row = (int16_t)(row - pct_syscalls);
                if (waiting_add(tid, pct_wait_ms(), fd_identity(tid, 0), fd_identity(tid, 1), fd_identity(tid, 2)) == 0) return ENTRY_HOLD;
                outcome = pct_decide_exec(tid, pid, p, row, args, 1); /* no room to hold it */
                if (outcome == PCT_EXEC_WAIT) outcome = PCT_EXEC_RUNS;
            }
            if (outcome != PCT_EXEC_RUNS) {
                /* a held reader's writer skipped: its output may key the reader now */
                if (waiting_count()) ask_waiting_again();
                release_pending_path(s);
                /* skipped: the process now exits instead, at once or once its output is written */
                return outcome == PCT_EXEC_HELD ? ENTRY_HOLD : 0;
            }
        }
        return 1;
    }
    case CL_OUTPUT: case CL_OUTPUTV:
        /* writev's length is in its vector: a held reader then waits for its deadline at worst */
        release_filled(tid, (int)args[0], row->cls == CL_OUTPUT ? args[2] : 0);
        s->out_stream = (uint8_t)write_target(tid, pid, s, row);
        /* a replay writes the chunks one after the other, where the offset is */
        if (s->out_stream && strncmp(row->name, "pwrite", 6) == 0)
            flag2(pid, "stdout-positioned: it writes at a position in its stdout or stderr with ", row->name);
        else if (s->out_stream && leader_of(s)->stream_file[s->out_stream - 1]) {
            output_at_entry(tid, pid, s, row);
            return 0;
        }
        return s->out_stream != 0;
    case CL_SEEK:
        if (lazy_ranges_open() && !((int)args[2] == SEEK_CUR && args[1] == 0)) lazy_offset_moved(tid, (int)args[0]);
        /* lseek(1, 0, SEEK_CUR) only asks where it is (Python's io does at start) */
        if ((int)args[2] == SEEK_CUR && args[1] == 0) observe_stream(tid, s, (int)args[0]);
        else if (stream_of(tid, s, (int)args[0]) || copied_stream(tid, s, (int)args[0]))
            event_str(PCT_EV_FLAG, pid, "stdout-positioned: it moves the offset of its stdout or stderr (lseek)");
        return 0;
    case CL_STDIN: {
        struct slot *l = leader_of(s);
        if (pct_deferred_count()) pct_release_read(fd_identity(tid, (int)args[0]));
        if ((args[0] == 1 || args[0] == 2) && !reads_stdin(tid, s, (int)args[0])) {
            read_of_output(tid, pid, (int)args[0]);
            return 0;
        }
        if (!l->stdin_pipe && (l->reported & PF_STDIN)) return 0;
        if (!reads_stdin(tid, s, (int)args[0])) return 0;
        stdin_read_seen(pid, l);
        if (!l->stdin_pipe) return 0;
        /* readv's bytes would need its vector read back: the bytes read stay unknown */
        if (strcmp(row->name, "read") == 0) return 1;
        event_begin(PCT_EV_STDIN_DATA, PCT_STDIN_UNSEEN, pid, tid, 0, 0, 0);
        return 0;
    }
    case CL_STDIN_WAIT:
        /* nfds is below PCT_LOOKED_FD_MAX + 2 (the filter): at most 16 fds to look at */
        for (int fd = 0; pct_deferred_count() && fd < (int)args[0]; fd++) pct_release_read(fd_identity(tid, fd));
        return 0;
    case CL_CHDIR: {
        char *p = row->path != NOARG ? take_pending_path(s) : NULL;
        if (p && arg_path(&bufs, tid, args, row->dirfd, row->path, p) < 0) release_pending_path(s);
        return 1;
    }
    case CL_FCNTL: {
        int cmd = (int)args[1];
        /* packet mode: a replay writes the recorded bytes without the packets, and a pipe read
         * ahead loses them (the flag turns read-ahead off for the run) */
        if (cmd == F_SETFL && (args[2] & O_DIRECT) && strcmp(stdio_look(tid, (int)args[0], NULL), "pipe") == 0)
            event_str(PCT_EV_FLAG, pid, "packet-mode: it puts a pipe in packet mode (fcntl F_SETFL O_DIRECT)");
        /* direct I/O fails unaligned writes (EINVAL) after their entry, where a write into a file
         * stream is taken: one that failed could pass for a sibling's same bytes (hunt 23) */
        else if (cmd == F_SETFL && (args[2] & O_DIRECT) && (file_stream_of(tid, s, (int)args[0]) || copied_stream(tid, s, (int)args[0])))
            event_str(PCT_EV_FLAG, pid, "stdout-direct: it puts its stdout or stderr file in direct I/O (fcntl F_SETFL O_DIRECT), where a write can fail after it was taken");
        /* a pipe's size is the pipe's, shared with every holder: a replay would leave it as it was */
        if (cmd == F_SETPIPE_SZ) event_str(PCT_EV_FLAG, pid, "unmodelled-syscall:fcntl(F_SETPIPE_SZ): it resizes a pipe others may hold");
        if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) trap_looks_at(tid, s, (int)args[0], LOWEST_FREE_FROM((int)args[2]));
        return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
    }
    case CL_XFER:
        attrs_sharer_unseen(pid);
        return xfer_entry(tid, s, row, args);
    case CL_CONNECT: return connect_entry(tid, pid, s);
    case CL_SENDTO:
        if (args[4]) event_str(PCT_EV_FLAG, pid, "network:sendto");
        else sent_into_stream(tid, s, (int)args[0], row);
        return 0;
    case CL_SENDMSG: {
        if (sendmsg_has_address(tid, args[1])) event_str(PCT_EV_FLAG, pid, "network:sendmsg");
        else sent_into_stream(tid, s, (int)args[0], row);
        control_data(pid, msg_control_len(tid, args[1]), row->name);
        return 0;
    }
    case CL_SENDMMSG: {
        /* struct mmsghdr: a msghdr, then its length, 64 bytes in all; the first 64 looked at */
        unsigned n = (unsigned)args[2] < 64 ? (unsigned)args[2] : 64;
        for (unsigned i = 0; i < n; i++) {
            if (sendmsg_has_address(tid, args[1] + 64ull * i)) {
                event_str(PCT_EV_FLAG, pid, "network:sendmmsg");
                return 0;
            }
            control_data(pid, msg_control_len(tid, args[1] + 64ull * i), row->name);
        }
        sent_into_stream(tid, s, (int)args[0], row);
        return 0;
    }
    case CL_RECVMSG: case CL_RECVMMSG: {
        struct slot *l = leader_of(s);
        if (args[0] == 1 || args[0] == 2) read_of_output(tid, pid, (int)args[0]);
        if (!(l->reported & PF_STDIN) && reads_stdin(tid, s, (int)args[0])) stdin_read_seen(pid, l);
        if (row->cls == CL_RECVMSG) return 1; /* what came is known at the exit */
        unsigned n = (unsigned)args[2] < 64 ? (unsigned)args[2] : 64;
        for (unsigned i = 0; i < n; i++) control_data(pid, msg_control_len(tid, args[1] + 64ull * i), row->name);
        return 0;
    }
    case CL_IOCTL: ioctl_entry(tid, pid, (int)args[0], (uint32_t)args[1]); return 0;
    case CL_SOCKET:
        /* the kernel's own state (interfaces, routes, sockets): an input nothing keys */
        if (args[0] == AF_NETLINK || args[0] == AF_PACKET) event_str(PCT_EV_FLAG, pid, "network:socket: a netlink or packet socket");
        return 0;
    case CL_NETWORK: flag2(pid, "network:", row->name); return 0;
    case CL_SIGNAL: signal_sent(pid, row, args); return 0;
    case CL_PTRACE: event_str(PCT_EV_FLAG, pid, "ptrace"); return 0;
    case CL_SETLIMIT: {
        /* a file size limit set while it runs: from then on every write into a file stream is
         * flagged, since another thread's write taken before the call may run after it (hunt 23);
         * `ulimit -f` in a shell costs only that shell, its children read the limit they start
         * with. Other limits change nothing a write is checked against. */
        const long target = row->path == NOARG ? 0 : (long)(int)args[row->path];
        /* another process's limits asked or set (prlimit --pid): its state, or a change to it */
        if (another_process(target, pid, tid)) peer_call(pid, row);
        if ((long)args[row->extra] != RLIMIT_FSIZE || (row->cond == CO_EITHER_NONZERO && !args[2])) return 0;
        struct slot *t = target == 0 || target == pid ? s : find((int)target);
        if (t) leader_of(t)->fsize_set = 1;
        return 0;
    }
    case CL_EXEC_KEPT:
        if (row->nr == __NR_prctl && args[0] == PR_SET_SECCOMP) leader_of(s)->restricted = 1;
        else if (sets_exec_kept(row, args)) leader_of(s)->exec_kept = 1;
        return 0;
    case CL_SPAWN: return fork_beside(tid, s, row, args);
    case CL_CREDS: return gives_up_root(tid, s);
    case CL_RESTRICT:
        /* its own calls limited by its own choice are its program's doing; a program exec'd
         * under limits another program chose is not keyed (libmagic's `file` filters itself) */
        leader_of(s)->restricted = 1;
        return 0;
    case CL_PACKET_PIPE: event_str(PCT_EV_FLAG, pid, "packet-mode: it makes a pipe in packet mode (pipe2 O_DIRECT)"); return 0;
    case CL_NONDET: event_str(PCT_EV_NONDET, pid, row->name); return 0;
    case CL_ATTR: /* path: the pid arg (sched_getaffinity's; uname has none) */
        if (row->path != NOARG && another_process((int)args[row->path], pid, tid)) peer_call(pid, row);
        else event_str(PCT_EV_OBSERVED, pid, row->name);
        return 0;
    case CL_PEER:
        if (another_process((int)args[row->path], pid, tid)) peer_call(pid, row);
        return 0;
    case CL_UNMODELLED: flag2(pid, "unmodelled-syscall:", row->name); return 0;
    case CL_SETXATTR: {
        if (!sets_mode_only(tid, args, row->extra)) {
            flag2(pid, "unmodelled-syscall:", row->name);
            return 0;
        }
        /* reported at its exit as a chmod; unlike chmod(2) it keeps the setuid, setgid and sticky
         * bits the file had (hunt 13): what stat says of it first is an input */
        struct pct_syscall probe = *row;
        probe.cls = CL_PROBE;
        probe.extra = NOARG;
        answer_query(&bufs, tid, pid, &probe, args);
        return 1;
    }
    default: return 1;
    }
}

static void on_seccomp(int tid, struct slot *s)
{
    struct __ptrace_syscall_info info;
    int need_exit = 0;
    if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0 &&
        info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
        const unsigned data = info.seccomp.ret_data;
        memcpy(s->args, info.seccomp.args, sizeof s->args);
        if (data < pct_syscall_count) {
            need_exit = seccomp_entry(tid, s, &pct_syscalls[data]);
            if (need_exit == ENTRY_HOLD) { s->pending = -1; return; }
            s->pending = need_exit ? (int16_t)data : -1;
            if (need_exit) s->entry_ns = now_ns();
        } else if (data == PCT_DATA_UNKNOWN) {
            flag_nr(s->tgid, "unknown-syscall:", (long)info.seccomp.nr);
        } else {
            struct slot *l = leader_of(s);
            if (!(l->reported & PF_FOREIGN)) {
                l->reported |= PF_FOREIGN;
                event_str(PCT_EV_FLAG, s->tgid, data == PCT_DATA_X32 ? "abi:x32" : "abi:32-bit");
            }
        }
    }
    ptrace(need_exit ? PTRACE_SYSCALL : PTRACE_CONT, tid, 0, 0);
}

/* ---- process lifecycle ------------------------------------------------------------------- */

/* The name a #! line spells (resolved from the cwd when relative) into out; 0 when path is no
 * script or the name does not fit. */
static int script_interpreter(int pid, const char *path, char *out)
{
    char head[256];
    const ssize_t n = read_file(path, head, sizeof head - 1);
    if (n < 2 || head[0] != '#' || head[1] != '!') return 0;
    head[n] = 0;
    char *name = head + 2;
    while (*name == ' ' || *name == '\t') name++;
    const size_t len = strcspn(name, " \t\n");
    /* a name cut off by the buffer's end is not the interpreter's */
    const int whole = name + len < head + n || n < (ssize_t)sizeof head - 1;
    name[len] = 0;
    return len > 0 && whole && resolve(pid, AT_FDCWD, name, out, PATH_CAP) >= 0;
}

/* The ELF program interpreter (PT_INTERP: the dynamic loader) named in path into out (resolved
 * from the cwd when relative, as the kernel does); 0 for none. */
static int elf_interpreter(int pid, const char *path, char *out)
{
    static char name[PATH_CAP];
    Elf64_Ehdr eh;
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int found = 0;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
        eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum < 256) {
        for (unsigned i = 0; i < eh.e_phnum && !found; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph) break;
            if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz >= PATH_CAP) continue;
            found = pread(fd, name, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz && name[ph.p_filesz - 1] == 0 &&
                    name[0] != 0 && resolve(pid, AT_FDCWD, name, out, PATH_CAP) >= 0;
        }
    }
    close(fd);
    return found;
}

/* For a failed exec: what an exec of path would say now (0, or the errno), the kernel's check. */
static int exec_result(const char *path)
{
    return access(path, X_OK) == 0 ? 0 : errno;
}

/* What the kernel runs besides the program, unseen by seccomp, is run as a program is: by the
 * name it is given (symlinks on the way: update-alternatives' /usr/bin/python3), with its execute
 * bit (hunt 50: `chmod -x` on a #! interpreter was replayed as the script's output). A #! line's
 * interpreter, the kernel's way: a script's again, up to its 4 levels (hunt 52); then the ELF
 * program's loader (PT_INTERP, hunt 52: a program linked to a loader in the tree, removed). For
 * an exec that failed (ok 0), each as it stands now: the failure may have been theirs. */
static void report_interpreter(int pid, const char *exe, int ok)
{
    static char names[2][PATH_CAP];
    const char *at = exe;
    for (int level = 0; level < 5; level++) {
        char *next = names[level & 1];
        if (!script_interpreter(pid, at, next)) break;
        access_event(pid, PCT_OP_EXEC, ok ? 0 : exec_result(next), 0, 0, next, NULL);
        at = next;
    }
    char link[64];
    proc_path(link, sizeof link, pid, "/exe", -1);
    const char *program = at;
    if (ok) {
        if (read_link(link, path_b, PATH_CAP) <= 0) return;
        program = path_b;
        if (at != exe) access_event(pid, PCT_OP_READ, 0, 0, 0, path_b, NULL);
    }
    char *loader = names[at == names[0] ? 1 : 0];
    if (elf_interpreter(pid, program, loader)) access_event(pid, PCT_OP_EXEC, ok ? 0 : exec_result(loader), 0, 0, loader, NULL);
}

static void on_exec(int pid)
{
    unsigned long former = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
    struct slot *s = find(pid);
    /* the filters added to the process stay through the exec, and what they trap with them */
    struct added_looks kept = { 0 };
    if (s) kept = s->looks;
    /* so do its write filter (or its absence) and its place in the line of untrapped processes */
    const uint8_t lazy = s ? s->lazy : (uint8_t)lazy_on, lazy_unseen = s ? s->lazy_unseen : 0;
    const int ppid = s ? s->ppid : 0;
    const uint16_t execs = s ? s->execs : 0;
    if ((int)former != pid) {
        /* exec from a non-leader thread: that thread takes over the leader's pid */
        struct slot *from = find((int)former);
        int16_t pending_path = -1;
        if (from) {
            pending_path = from->pending_path;
            from->pending_path = -1;
            drop(from);
        }
        if ((s = find(pid)) != NULL) drop(s);
        s = find_or_add(pid);
        if (s) s->pending_path = pending_path;
        else if (pending_path >= 0) pending_used[pending_path] = 0;
    }
    if (!s) s = find_or_add(pid);
    if (!s) return;
    s->looks = kept;
    s->lazy = lazy;
    s->lazy_unseen = lazy_unseen;
    s->ppid = ppid;
    s->execs = execs;
    s->tgid = pid;
    s->state |= ST_RUNNING | ST_HAS_PARENT | ST_EXECED;
    s->pending = -1;
    s->reported = 0;
    s->fsize_known = s->fsize_set = 0;

    char link[64];
    const char *exe = s->pending_path >= 0 ? pending_paths[s->pending_path] : NULL;
    if (!exe) {
        proc_path(link, sizeof link, pid, "/exe", -1);
        exe = read_link(link, path_a, PATH_CAP) > 0 ? path_a : "";
    }
    static char cwd[PATH_CAP];
    if (dirfd_path(pid, AT_FDCWD, cwd, sizeof cwd) < 0) cwd[0] = 0;
    proc_path(link, sizeof link, pid, "/cmdline", -1);
    ssize_t argbytes = read_file(link, big, BIG_CAP);
    if (argbytes < 0) argbytes = 0;
    if (argbytes > 0 && big[argbytes - 1] != 0) big[argbytes++ - 1] = 0;
    const char *kinds[3] = { stdio_look(pid, 0, &s->stdin_id), stdio_look(pid, 1, &s->stream_id[0]),
                             stdio_look(pid, 2, &s->stream_id[1]) };
    char ids[3][17];
    for (int i = 0; i < 2; i++) identity_text(s->stream_id[i], ids[i]);
    identity_text(s->stdin_id, ids[2]);
    size_t lens[8] = { strlen(exe) + 1, strlen(cwd) + 1, strlen(kinds[0]) + 1, strlen(kinds[1]) + 1,
                       strlen(kinds[2]) + 1, strlen(ids[0]) + 1, strlen(ids[1]) + 1, strlen(ids[2]) + 1 };
    size_t total = (size_t)argbytes;
    for (int i = 0; i < 8; i++) total += lens[i];
    emit_lock();
    event_begin(PCT_EV_EXEC, 0, pid, (int)former != pid ? (int)former : 0, 0, 0, total);
    put_bytes(exe, lens[0]);
    put_bytes(cwd, lens[1]);
    for (int i = 0; i < 3; i++) put_bytes(kinds[i], lens[2 + i]);
    for (int i = 0; i < 3; i++) put_bytes(ids[i], lens[5 + i]);
    put_bytes(big, (size_t)argbytes);
    emit_unlock();
    /* /dev/null keeps nothing a replay must write: no write there needs its exit stop */
    for (int i = 0; i < 2; i++) if (strcmp(kinds[1 + i], "null") == 0) s->stream_id[i] = 0;
    for (int i = 0; i < 2; i++) s->stream_file[i] = decide_exec && strcmp(kinds[1 + i], "file") == 0;
    s->stdin_pipe = decide_exec && strcmp(kinds[0], "pipe") == 0;
    report_interpreter(pid, exe, 1);
    release_pending_path(s);
    if (lazy_on && (s->lazy || s->lazy_unseen)) begin_range(s);
    if (s->execs < UINT16_MAX) s->execs++;
    if (s->exec_kept) event_str(PCT_EV_FLAG, pid, "unmodelled: it starts with a setting the program before its exec made, which no key holds (a parent-death signal, the subreaper flag, an alarm or interval timer)");
    if (s->restricted) event_str(PCT_EV_FLAG, pid, "unmodelled: it runs under a seccomp filter or Landlock domain a program before it set, which no key holds");
}

static void on_spawn(int tid, int event)
{
    unsigned long child = 0;
    struct slot *parent = find(tid);
    if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) < 0 || !parent) return;
    const int ptgid = parent->tgid;
    int thread = 0;
    if (event == PTRACE_EVENT_CLONE) {
        char task[64];
        char *p = append(task, task + sizeof task, "/proc/");
        p = append_int(p, task + sizeof task, ptgid);
        p = append(p, task + sizeof task, "/task/");
        append_int(p, task + sizeof task, (long)child);
        thread = access(task, F_OK) == 0;
    }
    struct slot *c = find_or_add((int)child);
    if (!c) {
        event_str(PCT_EV_ERROR, ptgid, "too many live threads for the tracer's table");
        return;
    }
    c->tgid = thread ? ptgid : (int)child;
    c->state |= ST_HAS_PARENT;
    attrs_sharer_unseen(ptgid);
    if (!thread) { /* a fork's streams are its parent's, and so is what they should name */
        struct slot *pl = leader_of(parent);
        pct_deferred_forked(ptgid);
        c->stream_id[0] = pl->stream_id[0];
        c->stream_id[1] = pl->stream_id[1];
        c->stream_file[0] = pl->stream_file[0];
        c->stdin_pipe = pl->stdin_pipe;
        c->stream_file[1] = pl->stream_file[1];
        c->stdin_id = pl->stdin_id;
        /* filters are inherited, and with them what they trap */
        c->looks = pl->looks;
        c->restricted = pl->restricted;
        c->lazy = pl->lazy;
        c->lazy_unseen = pl->lazy_unseen;
        c->ppid = ptgid;
    }
    if (thread) event_begin(PCT_EV_THREAD, 0, ptgid, (int)child, 0, 0, 0);
    else event_begin(PCT_EV_SPAWN, event == PTRACE_EVENT_VFORK, ptgid, (int)child, 0, 0, 0);
    if (c->state & ST_STOPPED_NEW) {
        c->state = (uint8_t)((c->state & ~ST_STOPPED_NEW) | ST_RUNNING);
        ptrace(PTRACE_CONT, (int)child, 0, 0);
    }
}

/* A new child's first stop may come before its parent's fork event: hold it until we know whose
 * it is, so that none of its events is reported under the wrong process. */
static void on_first_stop(int tid, struct slot *s)
{
    if (s->state & ST_HAS_PARENT) {
        s->state |= ST_RUNNING;
        ptrace(PTRACE_CONT, tid, 0, 0);
    } else {
        s->state |= ST_STOPPED_NEW;
    }
}

static int root_status = -1;
static int command_done; /* written by the ptrace thread, read by watch_channel's */

static void on_exit_status(int tid, int status)
{
    waiting_remove(tid); /* killed while held */
    struct slot *s = find(tid);
    if (!s) return;
    if (s->tgid == tid) {
        int signaled = WIFSIGNALED(status);
        if (lazy_on) lazy_end(tid);
        attrs_release(tid);
        event_begin(PCT_EV_EXIT, (uint16_t)signaled, tid,
                    signaled ? WTERMSIG(status) : WEXITSTATUS(status), 0, 0, 0);
        if (decide_exec && (s->state & ST_EXECED) && tid != root_pid) note_ended_exec(tid);
        if (tid == root_pid) {
            root_status = status;
            __atomic_store_n(&command_done, 1, __ATOMIC_RELEASE); /* before Node can hear of it */
            event_begin(PCT_EV_DONE, 0, tid, 0, 0, 0, 0);
            flush();
        }
    }
    drop(s);
    if (waiting_count()) ask_waiting_again();
}

/* A PTRACE_EVENT_STOP of a seized tracee is a group-stop only when it carries the stop signal.
 * With SIGTRAP it is the kernel's notice that a SIGCONT arrived (JOBCTL_TRAP_NOTIFY): sent to any
 * seized tracee a SIGCONT reaches, running or stopped, and the tracee must then run on. Listening
 * there instead left it stopped for good: timeout(1) sends SIGCONT to its group after the kill. */
static int is_stop_signal(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_stop(int tid, int status)
{
    const int sig = WSTOPSIG(status), event = status >> 16;
    struct slot *s = find(tid);
    if (!s) s = find_or_add(tid);
    if (!s) { ptrace(PTRACE_CONT, tid, 0, 0); return; }
    if (sig == (SIGTRAP | 0x80)) {
        syscall_exit(tid, s);
        ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    }
    switch (event) {
    case PTRACE_EVENT_SECCOMP: on_seccomp(tid, s); return;
    case PTRACE_EVENT_EXEC:
        on_exec(tid);
        /* a held reader may have waited for this writer's exec (TypeScript knows of it now) */
        if (waiting_count()) ask_waiting_again();
        ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
        on_spawn(tid, event);
        ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    case PTRACE_EVENT_STOP:
        if (!(s->state & ST_RUNNING)) on_first_stop(tid, s);
        else if (is_stop_signal(sig)) ptrace(PTRACE_LISTEN, tid, 0, 0); /* stay stopped until SIGCONT */
        else ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    case 0:
        signal_received(tid, s, sig);
        ptrace(PTRACE_CONT, tid, 0, sig); /* a signal for the tracee: deliver it */
        return;
    default:
        ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    }
}

/* Signals a terminal sends through the kernel (SI_KERNEL, as alarm's SIGALRM is too) */
static int from_terminal(int sig)
{
    return sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU ||
           sig == SIGHUP || sig == SIGWINCH || sig == SIGCONT;
}

/* Signals timers send through the kernel (SI_KERNEL: alarm, setitimer, RLIMIT_CPU's SIGXCPU) */
static int from_timer(int sig)
{
    return sig == SIGALRM || sig == SIGVTALRM || sig == SIGPROF || sig == SIGXCPU;
}

/* Signals the kernel sends for the receiver's own doing, with their own codes: a child's state
 * (CLD_*), a fault (SEGV_*, BUS_*, ILL_*, FPE_*, TRAP_*), a seccomp trap */
static int own_doing(int sig)
{
    return sig == SIGCHLD || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGSYS;
}

/* A signal another process sent (kill, tkill, sigqueue: a cancelled job's SIGTERM passed on by
 * processcache, a sibling's kill), or a terminal's: what its receiver does then is an input, which
 * TypeScript keys by who sent it. Not its own (raise, and SIGPIPE, which the kernel sends as the
 * writer), nor what the kernel sends for its own doing (SIGCHLD, faults). A timer's is flagged. */
static void signal_received(int tid, struct slot *s, int sig)
{
    siginfo_t si;
    if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0) return;
    int sender;
    if (si.si_code == SI_USER || si.si_code == SI_TKILL || si.si_code == SI_QUEUE) sender = si.si_pid;
    else if (si.si_code == SI_KERNEL && from_terminal(sig)) sender = 0;
    else if (si.si_code == SI_TIMER || (si.si_code == SI_KERNEL && from_timer(sig))) sender = -1;
    else if (si.si_code == SI_SIGIO || si.si_code == SI_ASYNCIO || (si.si_code == SI_KERNEL && sig == SIGIO) ||
             (si.si_code > 0 && si.si_code != SI_KERNEL && !own_doing(sig))) sender = -2;
    else return;
    if (sender == s->tgid) return;
    /* one it ignores, or whose default is to be ignored, changes nothing; blocked, it may still be
     * taken. Not SIGWINCH: the terminal was resized, and a later TIOCGWINSZ sees another size than
     * the one keyed at the exec (hunt 30) */
    int set[3];
    const int default_ignored = sig == SIGCHLD || sig == SIGURG;
    if (signal_masks(tid, sig, set) == 0 && !set[0] && (set[1] || (default_ignored && !set[2]))) return;
    /* whether the timer fires before the work is done is timing: `timeout 5 make` that timed out
     * once must not replay 124 to a run that would have finished */
    if (sender == -1) {
        event_str(PCT_EV_FLAG, s->tgid, "timer: a timer's signal came (alarm, setitimer, timer_create: timeout(1) ran out), which is timing");
        return;
    }
    /* O_ASYNC's SIGIO (or the signal F_SETSIG chose), AIO's completion: when it comes is timing */
    if (sender == -2) {
        event_str(PCT_EV_FLAG, s->tgid, "timer: an I/O readiness or completion signal came (O_ASYNC's SIGIO, AIO), whose moment is timing");
        return;
    }
    emit_lock();
    event_begin(PCT_EV_SIGNAL, (uint16_t)sig, s->tgid, (uint32_t)sender, 0, 0, 0);
    emit_unlock();
}

/* ---- starting the command ------------------------------------------------------------------ */

static unsigned char spec_buf[SPEC_CAP];
static char *spec_ptrs[SPEC_PTRS];

struct spec {
    struct pct_spec_header h;
    const uint32_t *groups, *fds;
    const char *exe, *cwd;
    char **argv, **envp;
};

static const char *read_spec(struct spec *sp)
{
    const int channel = emit_channel();
    if (read_exact(channel, &sp->h, sizeof sp->h) < 0) return "no command spec arrived";
    if (sp->h.magic != PCT_SPEC_MAGIC) return "the command spec has the wrong version";
    size_t ids_len = ((size_t)sp->h.ngroups + sp->h.nfds) * 4;
    if (sp->h.ngroups > 65536 || sp->h.nfds > 65536 || ids_len + sp->h.strings_len > SPEC_CAP ||
        (size_t)sp->h.argc + sp->h.envc + 2 > SPEC_PTRS)
        return "the command is too large";
    if (read_exact(channel, spec_buf, ids_len + sp->h.strings_len) < 0)
        return "the command spec was cut short";
    sp->groups = (const uint32_t *)(const void *)spec_buf;
    sp->fds = sp->groups + sp->h.ngroups;
    char *p = (char *)spec_buf + ids_len, *end = p + sp->h.strings_len;
    const char **fixed[2] = { &sp->exe, &sp->cwd };
    const uint32_t total = 2 + sp->h.argc + sp->h.envc;
    for (uint32_t i = 0; i < total; i++) {
        char *nul = memchr(p, 0, (size_t)(end - p));
        if (!nul) return "the command spec is malformed";
        if (i < 2) *fixed[i] = p;
        else spec_ptrs[i - 2 + (i - 2 >= sp->h.argc ? 1 : 0)] = p;
        p = nul + 1;
    }
    spec_ptrs[sp->h.argc] = NULL;
    spec_ptrs[sp->h.argc + 1 + sp->h.envc] = NULL;
    sp->argv = spec_ptrs;
    sp->envp = spec_ptrs + sp->h.argc + 1;
    return NULL;
}

static void die_child(const char *what, int err)
{
    char msg[256];
    char *p = append(msg, msg + sizeof msg, "processcache: ");
    p = append(p, msg + sizeof msg, what);
    p = append(p, msg + sizeof msg, ": ");
    p = append(p, msg + sizeof msg, strerror(err));
    append(p, msg + sizeof msg, "\n");
    ssize_t ignored = write(2, msg, strlen(msg));
    (void)ignored;
    _exit(127);
}

static void reset_signals(void)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The caller's signal state, which Node (and this tracer) reset: the command starts with exactly
 * the signals its caller ignored ignored, every other one at its default, and the caller's mask. */
static void launch_signals(const struct spec *sp)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    for (int sig = 1; sig <= 64; sig++) {
        sa.sa_handler = (sp->h.sig_ignored >> (sig - 1)) & 1 ? SIG_IGN : SIG_DFL;
        sigaction(sig, &sa, NULL); /* fails for SIGKILL, SIGSTOP and libc's own: nothing to do */
    }
    /* the raw call: glibc's sigprocmask would leave out the signals it reserves for itself */
    uint64_t mask = sp->h.sig_blocked;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof mask);
}

/* The caller's fds >= 3 are the command's: Node marked those below 16 close-on-exec at its start. */
static void keep_inherited_fds(const struct spec *sp)
{
    for (uint32_t i = 0; i < sp->h.nfds; i++) fcntl((int)sp->fds[i], F_SETFD, 0);
}

/* Installs the filter: with a notification listener when the kernel offers one (5.5+), which the
 * tracer takes over before the exec; returns the listener's fd or -1. */
static int install_filter(const struct spec *sp)
{
    static struct sock_filter prog[PCT_FILTER_MAX];
    if (!(sp->h.flags & PCT_SPEC_NO_NOTIFY)) {
        struct sock_fprog fprog = { (unsigned short)pct_build_filter(prog, 1, lazy_on), prog };
        long fd = fprog.len ? syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog) : -1;
        if (fd >= 0) return (int)fd;
    }
    struct sock_fprog fprog = { (unsigned short)pct_build_filter(prog, 0, lazy_on), prog };
    if (fprog.len == 0) die_child("seccomp filter", E2BIG);
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0) die_child("seccomp", errno);
    return -1;
}

static void run_child(const struct spec *sp, int go, int ready)
{
    char byte;
    launch_signals(sp);
    keep_inherited_fds(sp);
    if (read_exact(go, &byte, 1) < 0) _exit(127);
    umask((mode_t)sp->h.umask);
    if (chdir(sp->cwd) < 0) die_child(sp->cwd, errno);
    if ((sp->h.flags & PCT_SPEC_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        die_child("no_new_privs", errno);
    int32_t listener = install_filter(sp);
    /* a send, which the filter now traps: the tracer lets this one stop go (let_handshake_go) */
    if (send(ready, &listener, sizeof listener, 0) != sizeof listener) die_child("handshake write", errno);
    /* the listener must outlive this fd, which the exec closes: wait until the tracer has its own */
    if (listener >= 0 && read_exact(go, &byte, 1) < 0) die_child("handshake read", errno);
    close(go);
    close(ready);
    if (sp->h.flags & PCT_SPEC_DROP_PRIVILEGES) {
        if (setgroups(sp->h.ngroups, (const gid_t *)sp->groups) < 0) die_child("setgroups", errno);
        if (setgid(sp->h.gid) < 0) die_child("setgid", errno);
        if (setuid(sp->h.uid) < 0) die_child("setuid", errno);
        /* the uid change left it undumpable until its exec: its /proc entry (fdinfo, which says
         * whether fd 1 is open for reading too) would be root's, out of the user's reach, and
         * the first process never cacheable (hunt 62: `run -- make > log` under sudo) */
        if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) die_child("prctl(PR_SET_DUMPABLE)", errno);
    }
    execve(sp->exe, sp->argv, sp->envp);
    die_child(sp->exe, errno);
}

/* The command could not be started under the tracer: say why, and end it before it runs. */
static void fail_start(pid_t child, const char *what, int err)
{
    char msg[200];
    char *p = append(msg, msg + sizeof msg, what);
    p = append(p, msg + sizeof msg, ": ");
    append(p, msg + sizeof msg, strerror(err));
    event_str(PCT_EV_ERROR, 0, msg);
    flush();
    kill(child, SIGKILL);
}

/* The child's handshake is a send, which its new filter traps (every send is: one into a copy of
 * a socket stdout is output): its seccomp stop, the child's first, is let go before the read.
 * 1: let go; 0: the child ended first (it said why; its status is taken as the main loop's
 * would be); -1: anything else. */
static int let_handshake_go(pid_t child)
{
    int status;
    while (waitpid(child, &status, __WALL) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        on_exit_status(child, status);
        return 0;
    }
    if (!WIFSTOPPED(status) || (status >> 8) != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) return -1;
    return ptrace(PTRACE_CONT, child, 0, 0) == 0 ? 1 : -1;
}

/* Takes the child's notification listener and starts the threads that answer it. Returns 1 when
 * the child has one and waits for word that the tracer holds it. */
static int take_listener(pid_t child, int ready)
{
    int32_t fd = -1;
    const int handshake = let_handshake_go(child);
    if (handshake < 0) fail_start(child, "the command did not reach its handshake with the tracer", EPROTO);
    if (handshake <= 0) return 0;
    if (read_exact(ready, &fd, sizeof fd) < 0 || fd < 0) return 0;
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    int mine = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0) : -1;
    int err = errno;
    if (pidfd >= 0) close(pidfd);
    if (mine >= 0) {
        err = -pct_start_notify_threads(mine);
        if (err == 0) return 1;
    }
    /* the child's filter routes queries to a listener nobody would answer: stop here */
    fail_start(child, "could not take over the seccomp notification listener", err);
    return 0;
}

static void forward_signal(int sig)
{
    if (root_pid > 0) kill(root_pid, sig);
}

static void tracer_signals(void)
{
    reset_signals();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN; /* the terminal sends these to the command itself */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = forward_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    waiting_block_sigchld();
}

/* Node gone before the command ended (killed by SIGKILL, crashed): nobody will answer its exec
 * queries, record it or report its status, so the tracer ends, and PTRACE_O_EXITKILL kills every
 * tracee (replay helpers follow through PR_SET_PDEATHSIG). Detaching instead would leave them
 * under a filter whose traced calls fail with ENOSYS once no tracer is attached. PR_SET_PDEATHSIG
 * on the tracer would miss the sudo route, where its parent is sudo, which outlives Node. Once
 * the command has ended Node closes the channel on purpose: what the command left running keeps
 * its tracer. */
static void *watch_channel(void *arg)
{
    struct pollfd p = { .fd = (int)(intptr_t)arg, .events = POLLRDHUP };
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {}
    if (!__atomic_load_n(&command_done, __ATOMIC_ACQUIRE)) _exit(3);
    return NULL;
}

static void start_channel_watch(int channel)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    if (pthread_create(&t, &attr, watch_channel, (void *)(intptr_t)channel) != 0)
        event_str(PCT_EV_ERROR, 0, "could not watch the channel: the command would outlive a killed processcache");
    pthread_attr_destroy(&attr);
}

/* The next stopped or ended tracee. (Polling briefly before sleeping halves the cost of a stop
 * when a CPU is idle, but steals that CPU from a parallel build: measured slower on lua.) */
static pid_t next_stop(int *status)
{
    flush_if_old();
    /* while an exec or a replay's output is held, its deadline comes first (no stop may come
     * before it) */
    while (waiting_count() || pct_deferred_count()) {
        const uint64_t now = now_ns();
        const int expired = waiting_expired(now);
        if (expired) {
            ask_again(expired, ASK_DEADLINE);
            continue;
        }
        if (pct_release_expired(now)) continue;
        const pid_t tid = waitpid(-1, status, __WALL | WNOHANG);
        if (tid != 0) return tid;
        flush(); /* what the held exec's writers did, before the tracer sleeps */
        waiting_sleep(now, pct_deferred_deadline(now));
    }
    return waitpid(-1, status, __WALL);
}

int pct_report_stderr = -1;

int pct_tracer_main(int channel_fd)
{
    struct spec sp;
    int go[2], ready[2];
    emit_init(channel_fd);
    tracer_signals();
    const char *problem = read_spec(&sp);
    if (problem) { event_str(PCT_EV_ERROR, 0, problem); flush(); return 2; }
    decide_exec = (sp.h.flags & PCT_SPEC_DECIDE_EXEC) != 0;
    /* lazy writes: not with a held exec (pipe_wait_ms), which waits for writes into its pipe, and
     * only where the command can take a filter when its writes must stop (no_new_privs, or root's
     * CAP_SYS_ADMIN: not a user's command run by a root tracer, the sudo route) */
    const int filters_added = (sp.h.flags & PCT_SPEC_NO_NEW_PRIVS) || (!(sp.h.flags & PCT_SPEC_DROP_PRIVILEGES) && lazy_may_add_filters());
    lazy_on = decide_exec && (sp.h.flags & PCT_SPEC_LAZY_WRITES) && sp.h.pipe_wait_ms == 0 && filters_added && lazy_supported();
    caller_pid = (int)sp.h.caller_pid;
    waiting_set_limit(sp.h.pipe_wait_ms);
    if (decide_exec) attrs_init();
    if (pipe2(go, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ready) < 0) {
        event_str(PCT_EV_ERROR, 0, "pipe failed");
        flush();
        return 2;
    }
    pid_t child = pct_raw_fork();
    if (child < 0) { event_str(PCT_EV_ERROR, 0, "fork failed"); flush(); return 2; }
    if (child == 0) {
        close(go[1]);
        close(ready[0]);
        run_child(&sp, go[0], ready[1]);
    }
    close(go[0]);
    close(ready[1]);
    root_pid = child;
    /* only now: glibc's setuid in a child forked from a process with threads waits for every
     * thread to change its credentials, and the child has none of them (the sudo route hung) */
    start_channel_watch(channel_fd);
    /* The tracer may outlive the command (serving processes it left behind): it must not hold the
     * command's stdout open, or whoever reads that pipe would wait for the tracer too. */
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int std = 0; std < 3 && devnull >= 0; std++) dup2(std == 2 && pct_report_stderr >= 0 ? pct_report_stderr : devnull, std);
    if (devnull > 2) close(devnull);
    /* nor any other fd it passed on: a pipe's reader would wait for the tracer's copy to close */
    for (uint32_t i = 0; i < sp.h.nfds; i++) close((int)sp.fds[i]);
    const long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                         PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |
                         PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SEIZE, child, 0, options) < 0) {
        fail_start(child, "ptrace(PTRACE_SEIZE) failed", errno);
        waitpid(child, NULL, 0);
        return 2;
    }
    struct slot *s = find_or_add(child);
    s->state |= ST_RUNNING | ST_HAS_PARENT;
    const uint64_t start_ns = emit_start_ns();
    emit_lock();
    event_begin(PCT_EV_START, 0, child, 0, 0, 0, sizeof start_ns);
    put_bytes(&start_ns, sizeof start_ns);
    emit_unlock();
    if (write(go[1], "g", 1) != 1) kill(child, SIGKILL);
    if (take_listener(child, ready[0]) && write(go[1], "g", 1) != 1) kill(child, SIGKILL);
    close(go[1]);
    close(ready[0]);

    for (;;) {
        int status;
        pid_t tid = next_stop(&status);
        if (tid < 0) {
            if (errno == EINTR) continue;
            break; /* ECHILD: every traced process has ended */
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (!pct_finish_held(tid, status)) {
                pct_forget_held(tid);
                on_exit_status(tid, status);
            }
        }
        else if (WIFSTOPPED(status)) on_stop(tid, status);
    }
    flush();
    return root_status < 0 ? 2 : 0;
}

pid_t pct_raw_fork(void)
{
    return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}
