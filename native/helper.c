/* pctrace: the tracer as a program, for when it must run as root through sudo while the command
 * runs as the invoking user. Usage: pctrace --connect SOCKET */
#define _GNU_SOURCE
#include "protocol.h"
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* Moves fd to the lowest free number above floor, close-on-exec; returns it or -1. */
static int move_above(int fd, int floor)
{
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, floor + 1);
    close(fd);
    return moved;
}

/* Receives the command's fds (0-2 and the inherited ones; their numbers are the data) and puts each
 * at its number. *sock moves above them all first, and so does every received fd, which the
 * kernel placed at the lowest free numbers, perhaps another's target. */
static int receive_fds(int *sock)
{
    int targets[PCT_PASS_FDS_MAX], fds[PCT_PASS_FDS_MAX];
    char cbuf[CMSG_SPACE(sizeof fds)];
    struct iovec iov = { targets, sizeof targets };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = sizeof cbuf };
    ssize_t got = recvmsg(*sock, &msg, MSG_CMSG_CLOEXEC);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (got < 3 * (ssize_t)sizeof(int) || got % sizeof(int) || (msg.msg_flags & MSG_CTRUNC) || !c ||
        c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN((size_t)got))
        return -1;
    const int n = (int)(got / (ssize_t)sizeof(int));
    memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
    int top = 2;
    for (int i = 0; i < n; i++) top = targets[i] > top ? targets[i] : top;
    if ((*sock = move_above(*sock, top)) < 0) return -1;
    for (int i = 0; i < n; i++)
        if ((fds[i] = move_above(fds[i], top)) < 0) return -1;
    for (int i = 0; i < n; i++) {
        if (dup2(fds[i], targets[i]) < 0) return -1;
        close(fds[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--connect") != 0) {
        fprintf(stderr, "usage: pctrace --connect SOCKET (started by processcache)\n");
        return 2;
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(argv[2]) >= sizeof addr.sun_path) {
        fprintf(stderr, "pctrace: socket path too long\n");
        return 2;
    }
    strcpy(addr.sun_path, argv[2]);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "pctrace: cannot connect to %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    /* as the forked tracer does: the command inherits only what processcache sends it (sudo closes
     * the rest; started without it, as by the tests, whatever its starter left open would reach
     * the command). Closed before the fds arrive, which land at their own numbers. */
    if (sock > 3) syscall(SYS_close_range, 3, (unsigned)sock - 1, 0);
    syscall(SYS_close_range, (unsigned)sock + 1, ~0u, 0);
#ifdef __SANITIZE_ADDRESS__
    /* The sanitized build (the test suite's) keeps the stderr processcache gave it, far above the
     * command's fds (they land at their own numbers), for its reports: see pct_report_stderr */
    pct_report_stderr = fcntl(2, F_DUPFD_CLOEXEC, 4096);
#endif
    if (receive_fds(&sock) < 0) {
        fprintf(stderr, "pctrace: did not receive the command's file descriptors\n");
        return 2;
    }
    return pct_tracer_main(sock);
}
