/* A file's extended attributes (ACLs, capabilities, user.*) as one byte string, for
 * src/fingerprint/xattrs.ts: a program that reads them (getfacl, `ls -l`'s "+", cp -a) depends on
 * them, and Node's fs cannot read them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#define PCT_API __attribute__((visibility("default")))
#define NAMES_CAP 65536 /* the kernel's own bound on a listxattr answer (XATTR_LIST_MAX) */
#define COUNT_CAP 4096

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes each attribute, in name order, as its name, a NUL, its length (4 bytes, host order) and
 * its value. Returns the bytes used, -ERANGE when cap is too small, or -errno: ENOENT or ENOTDIR
 * when there is no file; a file system without extended attributes gives none (0). */
PCT_API long pct_xattrs(const char *path, int nofollow, char *buf, long cap)
{
    static char names[NAMES_CAP];
    static const char *sorted[COUNT_CAP];
    ssize_t n = nofollow ? llistxattr(path, names, sizeof names) : listxattr(path, names, sizeof names);
    if (n < 0) return errno == ENOTSUP ? 0 : -errno;
    size_t count = 0;
    for (char *p = names; p < names + n; p += strlen(p) + 1) {
        if (count == COUNT_CAP) return -E2BIG;
        sorted[count++] = p;
    }
    qsort(sorted, count, sizeof *sorted, by_name);
    long used = 0;
    for (size_t i = 0; i < count; i++) {
        const long len = (long)strlen(sorted[i]) + 1;
        if (used + len + 4 > cap) return -ERANGE;
        memcpy(buf + used, sorted[i], (size_t)len);
        char *value = buf + used + len + 4;
        const size_t room = (size_t)(cap - used - len - 4);
        ssize_t v = nofollow ? lgetxattr(path, sorted[i], value, room) : getxattr(path, sorted[i], value, room);
        if (v < 0 && errno == ENODATA) continue; /* removed since the listing */
        if (v < 0) return -errno;
        const uint32_t vlen = (uint32_t)v;
        memcpy(buf + used + len, &vlen, 4);
        used += len + 4 + v;
    }
    return used;
}
