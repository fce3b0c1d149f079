#ifndef PCT_TRACER_H
#define PCT_TRACER_H
#include <sys/types.h>

/* Runs one traced command: reads the spec from channel, starts the command under seccomp and
 * ptrace, streams events to channel until every traced process has ended, and returns the exit
 * code the tracer process should end with (0 unless the tracer itself failed).
 *
 * It runs in a process forked from Node (or exec'd through sudo): it allocates nothing and calls
 * no stdio, so that a fork of a multithreaded process may run it. */
int pct_tracer_main(int channel);
/* Where fd 2 points once the tracer runs, when not -1 (else /dev/null): the stderr the sanitized
 * tracer program was started with, so that a sanitizer's report reaches processcache, which shows
 * it when the tracer fails, instead of being lost. */
extern int pct_report_stderr;

/* fork() without the atfork handlers: in a process forked from Node, libuv's handler would close
 * and reopen descriptors that by now are the tracer's own. */
pid_t pct_raw_fork(void);

/* The traced processes (thread group ids) alive now, at most cap of them; returns how many there
 * are (more than cap: the list is cut). */
int pct_traced_processes(int *out, int cap);

#endif
