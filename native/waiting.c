/* Readers held at their exec for their pipe's writers (see waiting.h). */
#define _GNU_SOURCE
#include "waiting.h"
#include "emit.h"
#include "paths.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAITING_CAP 64

static struct { int tid, exec_wait; uint64_t stdin, out, err, deadline; } held[WAITING_CAP];
static int count;
static uint64_t limit_ns;

void waiting_set_limit(uint32_t ms) { limit_ns = (uint64_t)ms * 1000000u; }

int waiting_add(int tid, uint32_t ms, uint64_t stdin, uint64_t out, uint64_t err)
{
    const uint64_t for_ns = ms ? (uint64_t)ms * 1000000u : limit_ns;
    if (count >= WAITING_CAP || !for_ns || !stdin) return -1;
    held[count].tid = tid;
    held[count].exec_wait = ms != 0;
    held[count].stdin = stdin;
    held[count].out = out;
    held[count].err = err;
    held[count].deadline = now_ns() + for_ns;
    count++;
    return 0;
}

void waiting_remove(int tid)
{
    for (int i = 0; i < count; i++) {
        if (held[i].tid != tid) continue;
        held[i] = held[--count];
        return;
    }
}

int waiting_count(void) { return count; }

int waiting_at(int i) { return i < count ? held[i].tid : 0; }

int waiting_expired(uint64_t now)
{
    for (int i = 0; i < count; i++) if (held[i].deadline <= now) return held[i].tid;
    return 0;
}

/* Does the pipe hold bytes already, or could count_bytes more fill it? Read through a copy of
 * the writer's own fd (pidfd_getfd: the same open file, and no new reader or writer of it).
 * Unknown counts as yes. */
static int holds_or_fills(int writer, int fd, uint64_t count_bytes)
{
    int pidfd = process_pidfd(writer);
    int copy = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0) : -1;
    if (pidfd >= 0) close(pidfd);
    if (copy < 0) return 1;
    int queued = 0;
    const int size = fcntl(copy, F_GETPIPE_SZ);
    const int known = size > 0 && ioctl(copy, FIONREAD, &queued) == 0;
    close(copy);
    /* two pages of slack: a write that cannot merge into the last page starts a new one */
    const long page = sysconf(_SC_PAGESIZE);
    return !known || queued > 0 || (uint64_t)queued + count_bytes + 2u * (uint64_t)page > (uint64_t)size;
}

int waiting_released_by(int writer, int fd, uint64_t count_bytes)
{
    if (!count) return 0;
    const uint64_t id = fd_identity(writer, fd);
    if (!id) return 0;
    for (int i = 0; i < count; i++) {
        if (held[i].out == id || held[i].err == id) return held[i].tid;
        /* held for its writer's exec: a writer that writes before any exec (a subshell's echo)
         * is the writer itself, and there is no exec to wait for */
        if (held[i].stdin == id && (held[i].exec_wait || holds_or_fills(writer, fd, count_bytes))) return held[i].tid;
    }
    return 0;
}

void waiting_sleep(uint64_t now, uint64_t other_deadline)
{
    uint64_t nearest = other_deadline;
    for (int i = 0; i < count; i++) if (held[i].deadline < nearest) nearest = held[i].deadline;
    if (nearest <= now) return;
    const uint64_t left = nearest - now;
    const struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigtimedwait(&chld, NULL, &ts);
}

void waiting_block_sigchld(void)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, NULL);
}
