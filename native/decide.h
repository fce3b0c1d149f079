#ifndef PCT_DECIDE_H
#define PCT_DECIDE_H
#include "syscalls.h"

enum pct_exec_outcome {
    PCT_EXEC_RUNS = 0,    /* the program runs */
    PCT_EXEC_SKIPPED = 1, /* the call is now exit_group(code): resume the process */
    PCT_EXEC_HELD = 2,    /* skipped, but leave it stopped: pct_finish_held resumes it */
    PCT_EXEC_WAIT = 3     /* not decided yet: hold it and ask again (waiting.h) */
};

/* At an execve's entry stop: asks TypeScript whether to run the program. When it says skip, the
 * recorded output is written to the process's own fds and the call becomes exit_group(code).
 * last: asked again after waits, and waiting is no answer any more. */
enum pct_exec_outcome pct_decide_exec(int tid, int pid, const char *exe, const struct pct_syscall *row,
                                      const uint64_t *args, int last);

/* helper: a process that ended. When it is a replay helper, ends the process it held and returns 1. */
int pct_finish_held(int helper, int status);

/* tid: a traced thread that ended. When it was held for a replay, the helper writing it stops. */
void pct_forget_held(int tid);

/* Deferred replays (defer_ms): their number, when they are next to be looked at (the nearest
 * deadline, or sooner for a watched shell; UINT64_MAX: none), and those past their deadline or
 * whose watched shell went on let write (PCT_EV_DEFER_END each); returns how many. */
int pct_deferred_count(void);
/* The last PCT_EXEC_WAIT's own limit (the reply's defer_ms), 0: the spec's pipe_wait_ms. */
uint32_t pct_wait_ms(void);
uint64_t pct_deferred_deadline(uint64_t now);
int pct_release_expired(uint64_t now);
/* pid forked: a shell watched for a deferred replay's pipe may have made its reader (the child has
 * the read end); from here the reader's exec or read lets it go, or the shell's own read of the
 * pipe (its wait no longer does), or the deadline. */
void pct_deferred_forked(int pid);

/* A process reads the pipe (fd_identity) that a deferred replay writes into: a reader that runs
 * no program (a subshell's `while read`), whose bytes are then let go at once. */
void pct_release_read(uint64_t pipe);

#endif
