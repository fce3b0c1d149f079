#ifndef PCT_WAITING_H
#define PCT_WAITING_H
#include <stdint.h>

/* Processes held at their exec until the pipe on their stdin is finished: TypeScript answered
 * "wait" because a traced process could still write into it (`echo $x | sed`, whose writer is a
 * subshell that ends at once). Each is asked again when a traced process ends, and for the last
 * time (no more waiting) at its deadline or when a write into its pipe could fill it: a held
 * reader must never keep its writer waiting for long. */

/* How long an exec may be held (the spec's pipe_wait_ms); 0: never. */
void waiting_set_limit(uint32_t ms);

/* Holds tid for ms (0: the limit); stdin, out, err: what its fds 0, 1 and 2 name. Returns 0, or
 * -1 when the table is full (or holding is off). */
int waiting_add(int tid, uint32_t ms, uint64_t stdin, uint64_t out, uint64_t err);
void waiting_remove(int tid);
int waiting_count(void);

/* The i-th held thread (0 <= i < waiting_count()), for asking each again. */
int waiting_at(int i);

/* A held thread whose deadline has passed, or 0. */
int waiting_expired(uint64_t now);

/* A held thread that must go on before writer's write of count bytes into fd, else 0: when the
 * write lands in its pipe after other bytes (untraced, it could have read those and ended), when
 * it could fill the pipe, and when it lands where the reader's own output goes (their order in a
 * log). The reader then starts before the write goes on, but does not catch up with what it would
 * have done by then: holding can change a race's outcome, which is why it is off by default. */
int waiting_released_by(int writer, int fd, uint64_t count);

/* Waits at most until the nearest deadline for a child's state change (SIGCHLD, which the
 * tracer keeps blocked: see waiting_block_sigchld). */
void waiting_sleep(uint64_t now, uint64_t other_deadline);

/* Blocks SIGCHLD in the calling thread, and so in the threads it starts: a stop is then read
 * from the pending set by waiting_sleep, never discarded by a thread that does not wait. */
void waiting_block_sigchld(void);

#endif
