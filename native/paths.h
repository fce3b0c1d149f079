#ifndef PCT_PATHS_H
#define PCT_PATHS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PATH_CAP 8192

/* Scratch paths for one thread of the tracer: a, b for results, raw for what the tracee passed. */
struct pct_bufs {
    char a[PATH_CAP], b[PATH_CAP], raw[PATH_CAP];
};

char *append(char *dst, const char *end, const char *src);
char *append_int(char *dst, const char *end, long v);
void proc_path(char *buf, size_t cap, int pid, const char *leaf, long fd);
int starts_with(const char *s, const char *prefix);
ssize_t read_mem(int pid, uint64_t addr, void *buf, size_t n);
int read_str(int pid, uint64_t addr, char *buf, size_t cap);
void normalize(char *path);
int read_link(const char *link, char *buf, size_t cap);
ssize_t read_file(const char *path, void *buf, size_t cap);

/* A pidfd for the process tid belongs to (tid may be a thread that is about to exec), or -1. */
int process_pidfd(int tid);

/* A number field of /proc/TID/status ("Tgid", "Seccomp_filters"), or -1 when it has none. */
long status_number(int tid, const char *field);
/* A count of pid's own thread (/proc/PID/task/PID/io: "syscr", "syscw"), or -1; -1 too for a
 * process with other threads, whose counts are not in it (nor its ended threads', nor those of
 * the children it reaped: they go to the process's total, not the thread's) */
long long thread_io_count(int pid, const char *field);
int dirfd_path(int tid, long dirfd, char *buf, size_t cap);
int resolve(int tid, long dirfd, const char *rel, char *out, size_t cap);
int arg_path(struct pct_bufs *b, int tid, const uint64_t *args, int dirfd_arg, int path_arg, char *out);
/* What fd of pid is ("pipe", "tty", "null", ...: the kind of a standard stream decides how a
 * program writes to it), and, when identity is not NULL, which open file it names (0: none). */
const char *stdio_look(int pid, int fd, uint64_t *identity);
/* stdio_look for what the program an execve is about to run gets: "closed" (identity 0) for an fd
 * that closes on exec (hunt 50: fd 1 with FD_CLOEXEC was taken for the stdout file it named). */
const char *stdio_look_at_exec(int pid, int fd, uint64_t *identity);
/* Whether sig is blocked, ignored and caught in tid (/proc/TID/status's SigBlk, SigIgn, SigCgt),
 * into set[3]; -1 when they cannot be read. */
int signal_masks(int tid, int sig, int set[3]);
/* The open file fd of pid names (device and inode), or 0 when the fd is closed. */
uint64_t fd_identity(int pid, int fd);
/* What a stat says that a program can act on, as the event stream carries it: lower-case hex
 * fields "mode:size:mtime_s:mtime_ns:ctime_s:ctime_ns:ino:dev:nlink:uid:gid". Probes, reads and in-place writes
 * send it, so that TypeScript knows what the process saw at that instant (not at its exit). */
#define STAT_TEXT_CAP 224
struct stat;
void stat_text(const struct stat *st, char out[STAT_TEXT_CAP]);

/* An identity as the event stream carries it: lower-case hex. */
void identity_text(uint64_t identity, char out[17]);

/* The process's controlling terminal (tty_nr of /proc/TID/stat), 0 for none, -1 unknown. */
int ctty_of(int tid);

#endif
