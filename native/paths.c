/* Text without stdio, the tracee's memory, and paths made absolute the way the kernel would. */
#define _GNU_SOURCE
#include "paths.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- small text helpers (no stdio here) ---------------------------------------------------- */

char *append(char *dst, const char *end, const char *src)
{
    while (*src && dst < end - 1) *dst++ = *src++;
    *dst = 0;
    return dst;
}

char *append_int(char *dst, const char *end, long v)
{
    char digits[24];
    int n = 0;
    unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
    do { digits[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0 && dst < end - 1) *dst++ = '-';
    while (n > 0 && dst < end - 1) *dst++ = digits[--n];
    *dst = 0;
    return dst;
}

void proc_path(char *buf, size_t cap, int pid, const char *leaf, long fd)
{
    char *p = append(buf, buf + cap, "/proc/");
    p = append_int(p, buf + cap, pid);
    p = append(p, buf + cap, leaf);
    if (fd >= 0) append_int(p, buf + cap, fd);
}

int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- the tracee's memory ------------------------------------------------------------------ */

ssize_t read_mem(int pid, uint64_t addr, void *buf, size_t n)
{
    struct iovec local = { buf, n }, remote = { (void *)(uintptr_t)addr, n };
    return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* A NUL-terminated string, read a page at a time so that it never reads past a mapping. */
int read_str(int pid, uint64_t addr, char *buf, size_t cap)
{
    size_t got = 0;
    if (!addr) return -1;
    while (got < cap - 1) {
        size_t chunk = 4096 - ((addr + got) & 4095);
        if (chunk > cap - 1 - got) chunk = cap - 1 - got;
        ssize_t r = read_mem(pid, addr + got, buf + got, chunk);
        if (r <= 0) return -1;
        void *nul = memchr(buf + got, 0, (size_t)r);
        if (nul) return (int)((char *)nul - buf);
        got += (size_t)r;
    }
    buf[cap - 1] = 0;
    return (int)(cap - 1);
}

/* ---- paths ------------------------------------------------------------------------------- */

/* Folds "//", "/./" and "/../" lexically. A ".." after a symlinked directory would resolve
 * elsewhere in the kernel; DESIGN.md records that limit. */
void normalize(char *path)
{
    char *out = path, *in = path;
    while (*in) {
        while (*in == '/') in++;
        char *seg = in;
        while (*in && *in != '/') in++;
        size_t len = (size_t)(in - seg);
        if (len == 0 || (len == 1 && seg[0] == '.')) continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > path && *--out != '/') {}
            continue;
        }
        *out++ = '/';
        memmove(out, seg, len);
        out += len;
    }
    if (out == path) *out++ = '/';
    *out = 0;
}

int read_link(const char *link, char *buf, size_t cap)
{
    ssize_t n = readlink(link, buf, cap - 1);
    if (n < 0) return -1;
    buf[n] = 0;
    return (int)n;
}

/* The directory a dirfd argument names for tid: its cwd for AT_FDCWD, else the fd's path. */
int dirfd_path(int tid, long dirfd, char *buf, size_t cap)
{
    char link[64];
    if ((int)dirfd == AT_FDCWD) proc_path(link, sizeof link, tid, "/cwd", -1);
    else proc_path(link, sizeof link, tid, "/fd/", (int)dirfd);
    const int n = read_link(link, buf, cap);
    /* a pipe, socket or anonymous inode ("pipe:[12]") names no path: a call relative to it fails */
    return n > 0 && buf[0] != '/' ? -1 : n;
}

/* The length of a "/proc/self/" prefix that names tid's own entries ("/proc/self/",
 * "/proc/thread-self/", "/proc/TID/", each optionally followed by "task/TID/"), else 0. */
static size_t own_proc_prefix(int tid, const char *path)
{
    if (!starts_with(path, "/proc/")) return 0;
    const char *p = path + 6;
    char digits[16];
    append_int(digits, digits + sizeof digits, tid);
    if (starts_with(p, "self/")) p += 5;
    else if (starts_with(p, "thread-self/")) p += 12;
    else if (starts_with(p, digits) && p[strlen(digits)] == '/') p += strlen(digits) + 1;
    else return 0;
    if (starts_with(p, "task/") && starts_with(p + 5, digits) && p[5 + strlen(digits)] == '/') p += 6 + strlen(digits);
    return (size_t)(p - path);
}

/*
 * /proc/self/cwd, root and fd/N, and /dev/fd/N, are links to the tracee's own directories: a path
 * through one (`cat /proc/self/cwd/f`, `exec 3<d; cat /dev/fd/3/f`) is rewritten through the
 * link's target, read now. Left as spelled, it is resolved in processcache's own process, where it
 * names another file (hunt 31: an input keyed on the wrong file, and a crash). The link alone
 * stays (/dev/fd/3 is the open file, flagged when opened by path; /proc/self/cwd is keyed as the
 * cwd), and so does a target that is no path ("pipe:[12]", " (deleted)").
 */
static void through_own_links(int tid, char *path, size_t cap)
{
    /* every path a traced call names passes here: most leave at once, without a copy */
    if (!starts_with(path, "/proc/") && !starts_with(path, "/dev/fd/")) return;
    char spelled[PATH_CAP];
    if (starts_with(path, "/dev/fd/")) {
        if (strlen(path) + 8 >= sizeof spelled) return;
        append(append(spelled, spelled + sizeof spelled, "/proc/self/fd/"), spelled + sizeof spelled, path + 8);
    } else {
        if (strlen(path) >= sizeof spelled) return;
        memcpy(spelled, path, strlen(path) + 1);
    }
    size_t at = own_proc_prefix(tid, spelled);
    if (!at) return;
    const char *entry = spelled + at, *rest;
    char link[64];
    if (starts_with(entry, "cwd/")) {
        proc_path(link, sizeof link, tid, "/cwd", -1);
        rest = entry + 3;
    } else if (starts_with(entry, "root/")) {
        proc_path(link, sizeof link, tid, "/root", -1);
        rest = entry + 4;
    } else if (starts_with(entry, "fd/")) {
        char *end;
        long fd = strtol(entry + 3, &end, 10);
        if (end == entry + 3 || *end != '/' || fd < 0 || fd > INT32_MAX) return;
        proc_path(link, sizeof link, tid, "/fd/", fd);
        rest = end;
    } else {
        return;
    }
    char target[PATH_CAP];
    int n = read_link(link, target, sizeof target);
    if (n <= 0 || target[0] != '/' || strstr(target, " (deleted)")) return;
    if ((size_t)n + strlen(rest) >= cap) return;
    append(append(path, path + cap, target), path + cap, rest);
    normalize(path);
}

/* Makes rel absolute against dirfd; an empty rel names the dirfd itself (AT_EMPTY_PATH). */
int resolve(int tid, long dirfd, const char *rel, char *out, size_t cap)
{
    if (rel[0] == '/') {
        size_t n = strlen(rel);
        if (n >= cap) return -1;
        memcpy(out, rel, n + 1);
    } else {
        if (dirfd_path(tid, dirfd, out, cap) < 0) return -1;
        if (rel[0]) {
            char *end = out + strlen(out);
            end = append(end, out + cap, "/");
            append(end, out + cap, rel);
        }
    }
    normalize(out);
    through_own_links(tid, out, cap);
    return 0;
}

/* Reads the path argument of a row (dirfd arg and path arg indexes) and resolves it into out. */
int arg_path(struct pct_bufs *b, int tid, const uint64_t *args, int dirfd_arg, int path_arg, char *out)
{
    long dirfd = dirfd_arg == NOARG ? AT_FDCWD : (long)(int)args[dirfd_arg];
    if (path_arg == NOARG) {
        b->raw[0] = 0;
    } else if (read_str(tid, args[path_arg], b->raw, sizeof b->raw) < 0) {
        return -1;
    }
    return resolve(tid, dirfd, b->raw, out, PATH_CAP);
}

/* The open file an fd names, as one number: device and inode, which this mix keeps apart for
 * inodes below 2^40 and devices below 2^24. */
static uint64_t identity_of(const struct stat *st)
{
    return ((uint64_t)st->st_dev << 40) ^ (uint64_t)st->st_ino ^ 1;
}

const char *stdio_look(int pid, int fd, uint64_t *identity)
{
    char link[64];
    struct stat st;
    proc_path(link, sizeof link, pid, "/fd/", fd);
    if (identity) *identity = 0;
    if (stat(link, &st) < 0) return errno == ENOENT ? "closed" : "other";
    if (identity) *identity = identity_of(&st);
    switch (st.st_mode & S_IFMT) {
    case S_IFIFO: return "pipe";
    case S_IFSOCK: return "socket";
    case S_IFREG: return "file";
    case S_IFDIR: return "dir";
    case S_IFCHR: {
        unsigned maj = major(st.st_rdev), min = minor(st.st_rdev);
        if (maj == 1 && min == 3) return "null";
        if (maj == 4 || maj == 5 || (maj >= 136 && maj <= 143)) return "tty";
        return "char";
    }
    default: return "other";
    }
}

const char *stdio_look_at_exec(int pid, int fd, uint64_t *identity)
{
    char path[64], info[512];
    proc_path(path, sizeof path, pid, "/fdinfo/", fd);
    const ssize_t n = read_file(path, info, sizeof info - 1);
    const char *flags = n > 0 ? (info[n] = 0, strstr(info, "flags:")) : NULL;
    if (flags && (strtol(flags + 6, NULL, 8) & O_CLOEXEC)) {
        if (identity) *identity = 0;
        return "closed";
    }
    return stdio_look(pid, fd, identity);
}

uint64_t fd_identity(int pid, int fd)
{
    uint64_t identity;
    stdio_look(pid, fd, &identity);
    return identity;
}

static char *append_hex(char *dst, const char *end, uint64_t v)
{
    char digits[16];
    int n = 0;
    do { digits[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    while (n > 0 && dst < end - 1) *dst++ = digits[--n];
    *dst = 0;
    return dst;
}

void stat_text(const struct stat *st, char out[STAT_TEXT_CAP])
{
    const uint64_t fields[] = {
        st->st_mode, (uint64_t)st->st_size, (uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec,
        (uint64_t)st->st_ctim.tv_sec, (uint64_t)st->st_ctim.tv_nsec, st->st_ino, st->st_dev,
        st->st_nlink, st->st_uid, st->st_gid,
    };
    char *p = out, *end = out + STAT_TEXT_CAP;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (i) p = append(p, end, ":");
        p = append_hex(p, end, fields[i]);
    }
}

void identity_text(uint64_t identity, char out[17])
{
    snprintf(out, 17, "%llx", (unsigned long long)identity);
}

int ctty_of(int tid)
{
    char path[64], text[1024];
    proc_path(path, sizeof path, tid, "/stat", -1);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    const ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = 0;
    /* "pid (comm) state ppid pgrp session tty_nr ...": comm may hold anything, even ')' */
    const char *after = strrchr(text, ')');
    int tty_nr = -1;
    if (!after || sscanf(after + 1, " %*c %*d %*d %*d %d", &tty_nr) != 1) return -1;
    return tty_nr;
}

/* A pidfd for tid's process: pidfd_open takes only a process's own id, and a thread that execs is
 * not its process's leader until the exec is done (hunt 35: a skip from a thread replayed nothing).
 * The fd table a pidfd_getfd reads is the process's. -1 when it is gone. */
int process_pidfd(int tid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
    if (pidfd >= 0 || errno != EINVAL) return pidfd;
    const long tgid = status_number(tid, "Tgid");
    return tgid > 0 ? (int)syscall(SYS_pidfd_open, (int)tgid, 0) : -1;
}

long long thread_io_count(int pid, const char *field)
{
    char path[64], io[512], key[16];
    if (status_number(pid, "Threads") != 1) return -1;
    proc_path(path, sizeof path, pid, "/task/", pid);
    append(path + strlen(path), path + sizeof path, "/io");
    const ssize_t n = read_file(path, io, sizeof io - 1);
    if (n <= 0) return -1;
    io[n] = 0;
    append(append(key, key + sizeof key, field), key + sizeof key, ":");
    const char *at = strstr(io, key);
    return at ? strtoll(at + strlen(key), NULL, 10) : -1;
}

long status_number(int tid, const char *field)
{
    char path[64], text[4096], key[40];
    proc_path(path, sizeof path, tid, "/status", -1);
    const ssize_t n = read_file(path, text, sizeof text - 1);
    if (n <= 0) return -1;
    text[n] = 0;
    append(append(append(key, key + sizeof key, "\n"), key + sizeof key, field), key + sizeof key, ":");
    const char *at = strstr(text, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Up to cap bytes of a file (a /proc one), or -1 when it cannot be opened. */
ssize_t read_file(const char *path, void *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t got = 0;
    while (got < cap) {
        ssize_t r = read(fd, (char *)buf + got, cap - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    return (ssize_t)got;
}

int signal_masks(int tid, int sig, int set[3])
{
    char path[64], buf[2048];
    proc_path(path, sizeof path, tid, "/status", -1);
    const ssize_t n = read_file(path, buf, sizeof buf - 1);
    if (n <= 0) return -1;
    buf[n] = 0;
    const char *keys[3] = { "\nSigBlk:", "\nSigIgn:", "\nSigCgt:" };
    for (int k = 0; k < 3; k++) {
        const char *at = strstr(buf, keys[k]);
        if (!at) return -1;
        set[k] = (int)((strtoull(at + strlen(keys[k]), NULL, 16) >> (sig - 1)) & 1);
    }
    return 0;
}
