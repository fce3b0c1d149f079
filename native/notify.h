#ifndef PCT_NOTIFY_H
#define PCT_NOTIFY_H

/* Answers the queries that the filter sends to seccomp user notifications, on threads of their
 * own: a notification costs the tracee less than a ptrace stop, and the threads serve several
 * tracees at once while the ptrace thread handles the rest. Takes ownership of listener. */
int pct_start_notify_threads(int listener);

#endif
