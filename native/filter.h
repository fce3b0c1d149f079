#ifndef PCT_FILTER_H
#define PCT_FILTER_H
#include <linux/filter.h>

#define PCT_FILTER_MAX 2048

#include "syscalls.h"

/* Writes the seccomp program generated from the syscall table into prog; returns its length.
 * With notify, the pure queries go to a seccomp user notification instead of a ptrace stop. With
 * lazy, write and writev run on and the clone calls stop (native/lazy.h). */
unsigned pct_build_filter(struct sock_filter *prog, int notify, int lazy);
/* Does the notify variant send this row's calls (or its reading opens) to the notification? */
int pct_row_notifies(const struct pct_syscall *s);

/* A filter added to one process (native/inject.c) when it copies a file stream onto fd (a shell's
 * `exec 6>&1`): its looks at where that output stands through fd (fstat, lseek, and fstatat or
 * statx with AT_EMPTY_PATH) and its copies of it (dup, fcntl F_DUPFD), which the first filter lets
 * by on fds 3-9, stop in the tracer. Its children inherit it, and the copy. Returns the length, 0 when it does not fit cap. */
#define PCT_LOOK_FILTER_MAX 96
unsigned pct_build_look_filter(struct sock_filter *prog, unsigned cap, int fd);

/* The filter added to a process whose writes must stop (lazy.h): write and writev, as the first
 * filter traps them without lazy. Returns the length, 0 when it does not fit cap. */
#define PCT_WRITE_FILTER_MAX 16
unsigned pct_build_write_filter(struct sock_filter *prog, unsigned cap);

#endif
