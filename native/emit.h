#ifndef PCT_EMIT_H
#define PCT_EMIT_H
#include "protocol.h"
#include <stddef.h>
#include <stdint.h>

uint64_t now_ns(void);
void emit_init(int channel);
int emit_channel(void);
/* An event written in several parts (event_begin, then put_bytes) holds the lock throughout. */
void emit_lock(void);
void emit_unlock(void);
void event_begin(uint16_t type, uint16_t op, int pid, int value, uint32_t kind, uint32_t aux,
                 size_t payload);
void put_bytes(const void *data, size_t n);
void event_str(uint16_t type, int pid, const char *text);
/* began_ns: for a call that stopped at its entry too, when it did (now_ns()), else 0; sent as the
 * microseconds since then, rounded up */
void access_event(int pid, uint16_t op, int err, uint32_t kind, uint64_t began_ns, const char *path,
                  const char *second);
/* CLOCK_MONOTONIC when the tracer started: event times count from it */
uint64_t emit_start_ns(void);
/* Begins an OUTPUT event of payload bytes, or grows the last one when it is the same process's
 * output into the same stream with nothing sent between, and goes on where the last one ended.
 * pos: where in a file stream the bytes go (taken at the write's entry), or -1; lone: a positioned
 * write grows the last one only when no other process took turns in that file lately. Call under
 * emit_lock. */
void output_begin(uint16_t stream, int pid, size_t payload, int64_t pos, int lone);

void flush(void);
/* Waking Node for every few events would cost the tracees more than the events: send when the
 * buffer fills, at the end, or (this) when what waits is getting old. */
void flush_if_old(void);
/* Reads exactly n bytes (from the channel, a pipe); -1 on end of file or error. */
int read_exact(int fd, void *buf, size_t n);

#endif
