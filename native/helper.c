/* pctrace: the tracer as a program, for when it must run as root through sudo while the command
 * runs as the invoking user. Usage: pctrace --connect SOCKET */
#define _GNU_SOURCE
#include "tracer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int receive_stdio(int sock)
{
    int fds[3];
    char cbuf[CMSG_SPACE(sizeof fds)], byte;
    struct iovec iov = { &byte, 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = sizeof cbuf };
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof fds)) return -1;
    memcpy(fds, CMSG_DATA(c), sizeof fds);
    for (int i = 0; i < 3; i++) {
        if (dup2(fds[i], i) < 0) return -1;
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
    if (receive_stdio(sock) < 0) {
        fprintf(stderr, "pctrace: did not receive the command's standard streams\n");
        return 2;
    }
    /* as the forked tracer does: the command inherits fds 0-2 only (sudo closes the rest; started
     * without it, as by the tests, whatever its starter left open would reach the command) */
    if (sock > 3) syscall(SYS_close_range, 3, (unsigned)sock - 1, 0);
    syscall(SYS_close_range, (unsigned)sock + 1, ~0u, 0);
    return pct_tracer_main(sock);
}
