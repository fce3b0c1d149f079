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

/* Forks a tracer process. Returns its pid and stores in *channel the socket to read events from
 * and write the spec to; returns -errno on failure. */
PCT_API int pct_fork_tracer(int *channel)
{
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
        /* Node's own descriptors are not the command's business */
        close(sv[0]);
        int fd = sv[1] == 3 ? 3 : dup3(sv[1], 3, O_CLOEXEC);
        if (fd != 3) _exit(2);
        syscall(SYS_close_range, 4, ~0u, 0);
        /* Node marks its stdio close-on-exec at startup; the command must inherit it */
        for (int std = 0; std < 3; std++) fcntl(std, F_SETFD, 0);
        _exit(pct_tracer_main(3));
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

/* Accepts the tracer's connection within timeout_ms and hands it this process's fds 0-2, which
 * the command must inherit exactly (sudo would otherwise put its own in between). */
PCT_API int pct_accept_tracer(int listener, int timeout_ms)
{
    struct pollfd p = { .fd = listener, .events = POLLIN };
    int r;
    do { r = poll(&p, 1, timeout_ms); } while (r < 0 && errno == EINTR);
    if (r == 0) return -ETIMEDOUT;
    if (r < 0) return -errno;
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return -errno;
    int fds[3] = { 0, 1, 2 };
    char cbuf[CMSG_SPACE(sizeof fds)];
    memset(cbuf, 0, sizeof cbuf);
    char byte = 's';
    struct iovec iov = { &byte, 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    if (sendmsg(fd, &msg, MSG_NOSIGNAL) != 1) {
        int err = errno;
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
