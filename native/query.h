#ifndef PCT_QUERY_H
#define PCT_QUERY_H
#include "paths.h"
#include "syscalls.h"

int is_tty_path(const char *path);
/* The open flags of an open-class call (from the open_how struct for openat2). */
long open_flags(int tid, const struct pct_syscall *row, const uint64_t *args);
/* Is this open-class call a pure read (no write, create, truncate or anonymous file)? */
int opens_for_reading(long flags);
/* Answers a query (stat, access, readlink, opening for reading) for tid, reporting it under pid.
 * Returns 0 when the call's arguments name no path (a bad pointer or fd): the kernel fails it, and
 * there is nothing to report. */
int answer_query(struct pct_bufs *b, int tid, int pid, const struct pct_syscall *row, const uint64_t *args);

#endif
