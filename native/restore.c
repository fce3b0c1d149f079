/* Writing a restore's outputs through directory fds, for src/memo/safe-fs.ts. Entries may come
 * from a remote cache, so every path in one is hostile: a directory is reached from an allowed
 * root one component at a time, never through a symlink and never up, and every write after that
 * is relative to the directory's fd, which a later rename or symlink swap cannot redirect (a
 * path string resolved again at each write could be: a swap during a 3000-file restore put temp
 * files outside the root). Node's fs has no *at calls. Every function returns -errno on failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCT_API __attribute__((visibility("default")))

/* what pct_kind_at reports; src/memo/safe-fs.ts has the same numbers */
enum { KIND_ABSENT = 0, KIND_DIR = 1, KIND_FILE = 2, KIND_SYMLINK = 3, KIND_OTHER = 4 };

/* pct_put_* and pct_remove return this when they removed a directory: fds open on it or below
 * now name a deleted directory, and the caller must forget them */
#define REMOVED_DIR 1

static int fail(void) { return -errno; }

/* O_PATH: reaching a directory needs search permission only, as a path walk does */
static int open_dir(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno != ENOTDIR) return fd < 0 ? fail() : fd;
    /* ENOTDIR also stands for a symlink, which says more */
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) return -ELOOP;
    return -ENOTDIR;
}

PCT_API int pct_dir_open(const char *path)
{
    int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    return fd < 0 ? fail() : fd;
}

/* Opens the directory rel ("a/b/c") beneath dirfd, making missing ones when create is set.
 * Refuses ".", ".." and empty components. On failure *failed_end is the length of rel's prefix
 * that names the component which failed. (openat2's RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS would
 * do it in one call, but not on kernels before 5.6, and some container seccomp profiles answer
 * EPERM rather than ENOSYS; the caller keeps each directory's fd for the restore, so the walk
 * runs once per directory.) */
PCT_API int pct_dir_walk(int dirfd, const char *rel, int create, int *failed_end)
{
    int cur = dirfd;
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        *failed_end = (int)(p - rel + (ptrdiff_t)len);
        int err = 0;
        char name[NAME_MAX + 1];
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) err = -EINVAL;
        else if (len > NAME_MAX) err = -ENAMETOOLONG;
        int next = -1;
        if (!err) {
            memcpy(name, p, len);
            name[len] = 0;
            next = open_dir(cur, name);
            if (next == -ENOENT && create) {
                /* EEXIST: somebody made it meanwhile, which the open then judges */
                if (mkdirat(cur, name, 0777) == 0 || errno == EEXIST) next = open_dir(cur, name);
                else next = -errno;
            }
            if (next < 0) err = next;
        }
        if (cur != dirfd) close(cur);
        if (err) return err;
        cur = next;
        if (!slash) return cur;
        p = slash + 1;
    }
}

static int kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) return KIND_DIR;
    if (S_ISREG(mode)) return KIND_FILE;
    if (S_ISLNK(mode)) return KIND_SYMLINK;
    return KIND_OTHER;
}

PCT_API int pct_kind_at(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) return kind_of(st.st_mode);
    return errno == ENOENT ? KIND_ABSENT : fail();
}

/* fchmod refuses an O_PATH fd; its /proc link reaches the same inode, never a path */
static int chmod_opath(int fd, mode_t mode)
{
    char link[32];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    return chmod(link, mode) < 0 ? fail() : 0;
}

/* Removes name: a directory only if it is empty (anything in it is somebody's data). */
PCT_API int pct_remove(int dirfd, const char *name)
{
    int kind = pct_kind_at(dirfd, name);
    if (kind <= KIND_ABSENT) return kind;
    /* a swap in between fails with EISDIR or ENOTDIR, and nothing else goes */
    if (unlinkat(dirfd, name, kind == KIND_DIR ? AT_REMOVEDIR : 0) < 0) return fail();
    return kind == KIND_DIR ? REMOVED_DIR : 0;
}

/* Renames tmp over name; an empty directory standing there goes first. Removes tmp on failure. */
static int replace_with(int dirfd, const char *tmp, const char *name)
{
    int r = 0;
    if (renameat(dirfd, tmp, dirfd, name) < 0) {
        r = -errno;
        if (r == -EISDIR && pct_kind_at(dirfd, name) == KIND_DIR) {
            r = unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -errno : REMOVED_DIR;
            if (r == REMOVED_DIR && renameat(dirfd, tmp, dirfd, name) < 0) r = -errno;
        }
    }
    if (r < 0) unlinkat(dirfd, tmp, 0);
    /* rename(2) of a name onto another link of the same file does nothing and leaves both: a
     * hard link restored where it already stood left its temporary name behind */
    struct stat t, n;
    if (r >= 0 && fstatat(dirfd, tmp, &t, AT_SYMLINK_NOFOLLOW) == 0 && fstatat(dirfd, name, &n, AT_SYMLINK_NOFOLLOW) == 0 &&
        t.st_dev == n.st_dev && t.st_ino == n.st_ino)
        unlinkat(dirfd, tmp, 0);
    return r;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail();
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes data to a new file tmp, sets its mode (exactly: open() applies the umask, and the
 * special bits need a chmod anyway) and renames it over name. */
PCT_API int pct_put_file(int dirfd, const char *name, const char *tmp, const uint8_t *data, size_t len, int mode)
{
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return fail();
    int r = write_all(fd, data, len);
    if (r == 0 && fchmod(fd, (mode_t)mode) < 0) r = -errno;
    if (close(fd) < 0 && r == 0) r = -errno;
    if (r < 0) {
        unlinkat(dirfd, tmp, 0);
        return r;
    }
    return replace_with(dirfd, tmp, name);
}

static int same_bytes(int fd, const uint8_t *data, size_t len)
{
    uint8_t buf[65536];
    size_t at = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n == 0 && at == len;
        if ((size_t)n > len - at || memcmp(buf, data + at, (size_t)n) != 0) return 0;
        at += (size_t)n;
    }
}

/* When name is a regular file holding exactly data, sets its mode in place and its times to now
 * (a chmod's output: replacing the file would break its other hard links) and returns 1; 0 when
 * it holds something else or is no regular file, or, lone_only, has other names (a new file
 * the run made: replaced, it ends with one name as the run's did). */
PCT_API int pct_chmod_if_same(int dirfd, const char *name, const uint8_t *data, size_t len, int mode, int lone_only)
{
    struct stat st;
    /* looked at first: opening a device or a FIFO could block or act */
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) return 0;
    if (lone_only && st.st_nlink > 1) return 0;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat now;
    int r = 0;
    if (fstat(fd, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev && !(lone_only && now.st_nlink > 1) &&
        same_bytes(fd, data, len)) {
        r = fchmod(fd, (mode_t)mode) < 0 || futimens(fd, NULL) < 0 ? -errno : 1;
    }
    close(fd);
    return r;
}

PCT_API int pct_put_symlink(int dirfd, const char *name, const char *tmp, const char *target)
{
    if (symlinkat(target, dirfd, tmp) < 0) return fail();
    return replace_with(dirfd, tmp, name);
}

/* A hard link at name to the regular file from_name in from_dir, made as tmp and renamed. */
PCT_API int pct_put_link(int from_dir, const char *from_name, int dirfd, const char *name, const char *tmp)
{
    /* flags 0: a symlink standing at from_name is linked itself, never followed */
    if (linkat(from_dir, from_name, dirfd, tmp, 0) < 0) return fail();
    /* judged on the new link, which names what was linked whatever happened to from_name since */
    if (pct_kind_at(dirfd, tmp) != KIND_FILE) {
        unlinkat(dirfd, tmp, 0);
        return -EINVAL;
    }
    return replace_with(dirfd, tmp, name);
}

/* Makes name a directory with mode: one already there keeps its contents; anything else there
 * is removed first. Its mode is set through an fd on the directory itself. */
PCT_API int pct_put_dir(int dirfd, const char *name, int mode)
{
    int kind = pct_kind_at(dirfd, name);
    if (kind < 0) return kind;
    if (kind != KIND_DIR) {
        if (kind != KIND_ABSENT && unlinkat(dirfd, name, 0) < 0) return fail();
        /* private until its mode is set */
        if (mkdirat(dirfd, name, 0700) < 0) return fail();
    }
    int fd = open_dir(dirfd, name);
    if (fd < 0) return fd;
    int r = chmod_opath(fd, (mode_t)mode);
    close(fd);
    return r;
}

/* Sets name's access and modification times to ms since the epoch; a symlink is not followed. */
PCT_API int pct_set_time(int dirfd, const char *name, double ms)
{
    long long whole = (long long)(ms / 1000);
    long nsec = (long)((ms - (double)whole * 1000) * 1e6);
    if (nsec < 0) nsec = 0;
    if (nsec > 999999999) nsec = 999999999;
    struct timespec ts[2] = { { (time_t)whole, nsec }, { (time_t)whole, nsec } };
    return utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0 ? fail() : 0;
}
