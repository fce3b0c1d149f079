/* What a process takes into its exec besides its arguments and environment: the attributes an
 * exec query sends (protocol.h, PCT_EV_EXEC_QUERY) so that a program is not replayed for a process
 * that would have run it under other limits, credentials, signals, namespaces or open files. */
#ifndef PCT_ATTRS_H
#define PCT_ATTRS_H
#include <stddef.h>

/* Once, in the tracer: its own namespaces, against which a tracee's are compared. */
void attrs_init(void);

/* Appends tid's attributes to out as NUL-terminated "key=value" strings (protocol.h lists the
 * keys); returns the bytes written, or 0 when they did not fit. *umask: the process's umask, or
 * -1 when /proc does not say. pid is the process, tid the thread at its execve's entry stop. */
size_t attrs_collect(int tid, char *out, size_t cap, int *umask);

#endif
