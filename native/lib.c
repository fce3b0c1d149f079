/* The library TypeScript loads through koffi. It starts tracers; it never traces in Node's own
 * process: ptrace belongs to the thread that attached, waitpid(-1) would reap Node's children,
 * and a crash in C must not take Node down. */
#define _GNU_SOURCE
#include "protocol.h"
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCT_API __attribute__((visibility("default")))

PCT_API int pct_abi_version(void) { return PCT_SPEC_MAGIC; }

/* Closes every fd from 3 up but those in keep (ascending). */
static void close_all_but(const int *keep, int nkeep)
{
    unsigned from = 3;
    for (int i = 0; i < nkeep; i++) {
        if (keep[i] < (int)from) continue;
        if ((unsigned)keep[i] > from) syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
        from = (unsigned)keep[i] + 1;
    }
    syscall(SYS_close_range, from, ~0u, 0);
}

static int ascending(const int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] < 3 || (i > 0 && fds[i] <= fds[i - 1])) return 0;
    return 1;
}

/* Forks a tracer process. Returns its pid and stores in *channel the socket to read events from
 * and write the spec to; returns -errno on failure. inherit (ascending, >= 3) are the caller's
 * fds the command inherits; everything else of Node's stays behind. */
PCT_API int pct_fork_tracer(int *channel, const int *inherit, int ninherit)
{
    if (ninherit < 0 || ninherit > 65536 || !ascending(inherit, ninherit)) return -EINVAL;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return -errno;
    pid_t pid = pct_raw_fork();
    if (pid < 0) {
        int err = errno;
        close(sv[0]);
        close(sv[1]);
        return -err;
    }
    if (pid == 0) {
        close(sv[0]);
        /* above the inherited fds, so that the tracer's own never take one of their numbers */
        const int above = ninherit ? inherit[ninherit - 1] + 1 : 3;
        int fd = fcntl(sv[1], F_DUPFD_CLOEXEC, above);
        if (fd < 0) _exit(2);
        close(sv[1]);
        /* Node's own descriptors are not the command's business */
        int keep[ninherit + 1];
        memcpy(keep, inherit, sizeof(int) * (size_t)ninherit);
        keep[ninherit] = fd;
        close_all_but(keep, ninherit + 1);
        /* Node marks its stdio close-on-exec at startup; the command must inherit it */
        for (int std = 0; std < 3; std++) fcntl(std, F_SETFD, 0);
        _exit(pct_tracer_main(fd));
    }
    close(sv[1]);
    *channel = sv[0];
    return pid;
}

/* Listens on a unix socket path for a privileged tracer started through sudo. */
PCT_API int pct_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) return -ENAMETOOLONG;
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 1) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

/* Accepts the tracer's connection within timeout_ms and hands it this process's fds 0-2 and the
 * inherited ones, with their numbers as the data, which the command must inherit exactly (sudo
 * would otherwise put its own in between, and closes the rest). */
PCT_API int pct_accept_tracer(int listener, int timeout_ms, const int *inherit, int ninherit)
{
    if (ninherit < 0 || ninherit > PCT_PASS_FDS_MAX - 3 || !ascending(inherit, ninherit)) return -EINVAL;
    struct pollfd p = { .fd = listener, .events = POLLIN };
    int r;
    do { r = poll(&p, 1, timeout_ms); } while (r < 0 && errno == EINTR);
    if (r == 0) return -ETIMEDOUT;
    if (r < 0) return -errno;
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return -errno;
    int fds[PCT_PASS_FDS_MAX] = { 0, 1, 2 };
    const int n = 3 + ninherit;
    memcpy(fds + 3, inherit, sizeof(int) * (size_t)ninherit);
    char cbuf[CMSG_SPACE(sizeof fds)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { fds, sizeof(int) * (size_t)n };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
    ssize_t sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (sent != (ssize_t)iov.iov_len) {
        int err = sent < 0 ? errno : EIO;
        close(fd);
        return -err;
    }
    return fd;
}

PCT_API int pct_close(int fd) { return close(fd) < 0 ? -errno : 0; }

/* Reaps a forked tracer; returns its wait status, -1 while it still runs (nohang), or -errno. */
PCT_API int pct_reap(int pid, int nohang)
{
    int status;
    pid_t r;
    do { r = waitpid(pid, &status, nohang ? WNOHANG : 0); } while (r < 0 && errno == EINTR);
    if (r == 0) return -1;
    if (r < 0) return -errno;
    return status;
}
