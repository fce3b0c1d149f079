#ifndef PCT_INJECT_H
#define PCT_INJECT_H
#include <linux/filter.h>

/* Adds a seccomp filter to one traced thread, from its seccomp stop at some call: the call becomes
 * seccomp(SECCOMP_SET_MODE_FILTER, TSYNC, prog), with prog written below the thread's stack
 * pointer, and at that call's exit stop the registers go back to what they were at the entry, one
 * instruction earlier, so that the first call is made again (and stops again, under the new
 * filter). Filters only ever add restrictions and children inherit them: this is how the tracer
 * traps more for one process and its descendants only.
 *
 * pct_inject_begin: 0 when the call was turned (resume with PTRACE_SYSCALL); -1 when nothing was
 * changed (no room, unreadable registers). pct_inject_end, at the exit stop of a thread that
 * pct_injecting says is being changed: puts the first call back; returns seccomp's result (0: the
 * filter is in place, -errno: not), or PCT_INJECT_LOST when the registers could not be put back
 * (the thread must then be killed: it would go on with another call's result). */
#define PCT_INJECT_LOST (-4096L)
int pct_inject_begin(int tid, const struct sock_filter *prog, unsigned len);
int pct_injecting(int tid);
long pct_inject_end(int tid);

#endif
