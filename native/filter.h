#ifndef PCT_FILTER_H
#define PCT_FILTER_H
#include <linux/filter.h>

#define PCT_FILTER_MAX 2048

#include "syscalls.h"

/* Writes the seccomp program generated from the syscall table into prog; returns its length.
 * With notify, the pure queries go to a seccomp user notification instead of a ptrace stop. */
unsigned pct_build_filter(struct sock_filter *prog, int notify);
/* Does the notify variant send this row's calls (or its reading opens) to the notification? */
int pct_row_notifies(const struct pct_syscall *s);

#endif
