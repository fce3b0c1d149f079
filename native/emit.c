/* The event stream to TypeScript: one buffer, written by the ptrace thread and the notification
 * threads under one lock, so that each event goes out whole and in the order it happened. */
#define _GNU_SOURCE
#include "emit.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OUT_CAP (256 * 1024)
#define FLUSH_AGE_NS 50000000ull

static int channel = -1;
static int channel_dead;
static uint64_t start_ns, last_flush_ns;
static unsigned char outbuf[OUT_CAP];
static size_t outlen;
/* where the last event's header starts in outbuf, or NO_EVENT once it was sent */
#define NO_EVENT ((size_t)-1)
static size_t last_event = NO_EVENT;
/* where in outbuf the payload of the last write merged into the last event begins (NO_EVENT when
 * it holds one write), and the position that write was to go to */
static size_t last_merged = NO_EVENT;
static int64_t last_merged_pos;
static pthread_mutex_t out_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void emit_init(int fd)
{
    channel = fd;
    start_ns = last_flush_ns = now_ns();
}

int emit_channel(void) { return channel; }

uint64_t emit_start_ns(void) { return start_ns; }

void emit_lock(void) { pthread_mutex_lock(&out_lock); }
void emit_unlock(void) { pthread_mutex_unlock(&out_lock); }

static void send_all(const void *data, size_t n)
{
    const char *p = data;
    while (n > 0 && !channel_dead) {
        ssize_t w = send(channel, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        /* TypeScript went away (the command returned and Node exited): keep tracing silently,
         * since processes left under the filter must keep a tracer */
        if (w <= 0) { channel_dead = 1; return; }
        p += w;
        n -= (size_t)w;
    }
}

void flush(void)
{
    emit_lock();
    send_all(outbuf, outlen);
    outlen = 0;
    last_event = last_merged = NO_EVENT;
    last_flush_ns = now_ns();
    emit_unlock();
}

void flush_if_old(void)
{
    emit_lock();
    int old = outlen && now_ns() - last_flush_ns > FLUSH_AGE_NS;
    emit_unlock();
    if (old) flush();
}

void put_bytes(const void *data, size_t n)
{
    emit_lock();
    if (outlen + n > OUT_CAP) flush();
    if (n > OUT_CAP) {
        send_all(data, n);
    } else {
        memcpy(outbuf + outlen, data, n);
        outlen += n;
    }
    emit_unlock();
}

void event_begin(uint16_t type, uint16_t op, int pid, int value, uint32_t kind, uint32_t aux,
                 size_t payload)
{
    struct pct_event_header h = {
        .len = (uint32_t)(sizeof h + payload), .type = type, .op = op, .pid = pid,
        .value = value, .time_ns = now_ns() - start_ns, .kind = kind, .aux = aux,
    };
    emit_lock();
    if (outlen + sizeof h > OUT_CAP) flush();
    last_event = outlen;
    last_merged = NO_EVENT;
    put_bytes(&h, sizeof h);
    emit_unlock();
}

/* Takes the last write merged into the last event out into an event of its own: another
 * process's write was just taken at the very position that write was to go to, so it had not run
 * yet, and the kernel may run the other one first (the first turn of two writers, before
 * attrs.c's lone_writer stops merging). Merged, the pieces would not be found together. */
static void split_last_merged(void)
{
    struct pct_event_header h;
    memcpy(&h, outbuf + last_event, sizeof h);
    const size_t tail = outlen - last_merged;
    if (outlen + sizeof h > sizeof outbuf) return; /* left merged: the recording refuses it */
    memmove(outbuf + last_merged + sizeof h, outbuf + last_merged, tail);
    h.len -= (uint32_t)tail;
    memcpy(outbuf + last_event, &h, sizeof h);
    h.len = (uint32_t)(sizeof h + tail);
    h.kind = (uint32_t)last_merged_pos;
    h.aux = (uint32_t)((uint64_t)last_merged_pos >> 32);
    memcpy(outbuf + last_merged, &h, sizeof h);
    outlen += sizeof h;
}

void output_begin(uint16_t stream, int pid, size_t payload, int64_t pos, int lone)
{
    emit_lock();
    struct pct_event_header h = { 0 };
    const int whole = last_event != NO_EVENT && (memcpy(&h, outbuf + last_event, sizeof h), last_event + h.len == outlen);
    /* the same process's bytes into the same stream, nothing between: one chunk (Python's
     * unbuffered lines would otherwise cost TypeScript an event each), when it goes on where the
     * last one ended (a write that failed leaves a gap: a chunk of its own) and no other process
     * took turns writing there lately (whose write, taken earlier, may land between the two) */
    const uint64_t last_end = ((uint64_t)h.aux << 32 | h.kind) + (h.len - sizeof h);
    if (whole && h.type == PCT_EV_OUTPUT && h.op == stream && h.pid == pid && (uint64_t)h.len + payload <= UINT32_MAX &&
        (pos < 0 ? h.value == 0 : h.value == 1 && lone && last_end == (uint64_t)pos)) {
        if (pos >= 0) {
            last_merged = outlen;
            last_merged_pos = pos;
        }
        h.len += (uint32_t)payload;
        memcpy(outbuf + last_event, &h, sizeof h);
    } else {
        /* the other process's stream may be another file, or fd 2 of the same: a needless split
         * costs an event, nothing else */
        if (whole && pos >= 0 && last_merged != NO_EVENT && h.type == PCT_EV_OUTPUT && h.pid != pid && last_merged_pos == pos)
            split_last_merged();
        if (pos < 0)
            event_begin(PCT_EV_OUTPUT, stream, pid, 0, 0, 0, payload);
        else
            event_begin(PCT_EV_OUTPUT, stream, pid, 1, (uint32_t)pos, (uint32_t)((uint64_t)pos >> 32), payload);
    }
    emit_unlock();
}

void event_str(uint16_t type, int pid, const char *text)
{
    size_t n = strlen(text) + 1;
    emit_lock();
    event_begin(type, 0, pid, 0, 0, 0, n);
    put_bytes(text, n);
    emit_unlock();
}

void access_event(int pid, uint16_t op, int err, uint32_t kind, uint64_t began_ns, const char *path,
                  const char *second)
{
    size_t a = path ? strlen(path) + 1 : 0, b = second ? strlen(second) + 1 : 0;
    emit_lock();
    /* measured before event_begin stamps the event, so that time_ns - aux * 1000 <= began_ns */
    const uint64_t waited = began_ns ? (now_ns() - began_ns) / 1000u + 1u : 0;
    const uint32_t aux = waited > UINT32_MAX ? UINT32_MAX : (uint32_t)waited;
    event_begin(PCT_EV_ACCESS, op, pid, err, kind, aux, a + b);
    if (a) put_bytes(path, a);
    if (b) put_bytes(second, b);
    emit_unlock();
}

int read_exact(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}
