#ifndef PCT_DECIDE_H
#define PCT_DECIDE_H
#include "syscalls.h"

/* At an execve's entry stop: asks TypeScript whether to run the program. When it says skip, the
 * recorded output is written to the process's own fds and the call becomes exit_group(code).
 * Returns 1 when the exec was turned into an exit. */
int pct_decide_exec(int tid, int pid, const char *exe, const struct pct_syscall *row, const uint64_t *args);

#endif
