#ifndef PCT_FILTER_H
#define PCT_FILTER_H
#include <linux/filter.h>

#define PCT_FILTER_MAX 2048

/* Writes the seccomp program generated from the syscall table into prog; returns its length. */
unsigned pct_build_filter(struct sock_filter *prog);

#endif
