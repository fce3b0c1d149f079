#define _GNU_SOURCE
#include "notify.h"
#include "filter.h"
#include "paths.h"
#include "query.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>

#define NOTIFY_THREADS 2

/* Linux 6.6: wake the notifying thread and the supervisor on the waker's CPU, a hand-off
 * instead of a cross-CPU wakeup (newer than the build machine's headers) */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif
#define ROW_BY_NR_CAP 512

static int listener = -1;
static int16_t row_by_nr[ROW_BY_NR_CAP];
static struct pct_bufs thread_bufs[NOTIFY_THREADS];

static void answer(struct pct_bufs *b, const struct seccomp_notif *req)
{
    if (req->data.nr < 0 || req->data.nr >= ROW_BY_NR_CAP) return;
    const int row = row_by_nr[req->data.nr];
    if (row < 0) return;
    /* req->pid is the thread; TypeScript maps threads to their process (PCT_EV_THREAD) */
    const int tid = (int)req->pid;
    answer_query(b, tid, tid, &pct_syscalls[row], (const uint64_t *)req->data.args);
}

static void *serve(void *arg)
{
    struct pct_bufs *b = arg;
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;
    for (;;) {
        memset(&req, 0, sizeof req);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR || errno == ENOENT) continue;
            return NULL; /* the listener is gone: every filtered process has ended */
        }
        answer(b, &req);
        memset(&resp, 0, sizeof resp);
        resp.id = req.id;
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; /* the kernel now runs the call itself */
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died meanwhile */
    }
}

int pct_start_notify_threads(int fd)
{
    listener = fd;
    ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP); /* best effort */
    for (unsigned i = 0; i < ROW_BY_NR_CAP; i++) row_by_nr[i] = -1;
    for (unsigned i = 0; i < pct_syscall_count; i++) {
        const struct pct_syscall *s = &pct_syscalls[i];
        if (pct_row_notifies(s) && s->nr >= 0 && s->nr < ROW_BY_NR_CAP) row_by_nr[s->nr] = (int16_t)i;
    }
    for (int i = 0; i < NOTIFY_THREADS; i++) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        int err = pthread_create(&t, &attr, serve, &thread_bufs[i]);
        pthread_attr_destroy(&attr);
        if (err) return i > 0 ? 0 : -err;
    }
    return 0;
}
