/* What a process takes into its exec besides its arguments and environment: the attributes an
 * exec query sends (protocol.h, PCT_EV_EXEC_QUERY) so that a program is not replayed for a process
 * that would have run it under other limits, credentials, signals, namespaces or open files. */
#ifndef PCT_ATTRS_H
#define PCT_ATTRS_H
#include <stddef.h>
#include <stdint.h>

/* Once, in the tracer: its own namespaces, against which a tracee's are compared. */
void attrs_init(void);

/* Appends tid's attributes to out as NUL-terminated "key=value" strings (protocol.h lists the
 * keys); returns the bytes written, or 0 when they did not fit. *umask: the process's umask, or
 * -1 when /proc does not say. pid is the process, tid the thread at its execve's entry stop. */
size_t attrs_collect(int tid, char *out, size_t cap, int *umask);

/* The program of tid's process (pid) runs: hold a duplicate of each file it inherited open for
 * reading (the last attrs_collect's), the same open file and so the same offset. */
void attrs_hold(int tid, int pid);

/* Where a write into pid's stream (1 or 2, a file held since the exec) goes now: the held open
 * file's offset, or its size with O_APPEND; -1 when not held. The write is stopped at its entry:
 * only another process's write can come between (the recording reads the bytes back there).
 * *lone: no other process took a turn writing into that file lately, so that this write lands
 * right after pid's last one there if that one went on (its chunk may grow). */
int64_t attrs_stream_pos(int pid, int stream, int *lone);

/* Does fd of tid (a thread of pid) name the very open file held for pid's stream (1 or 2)? A
 * kcmp, where naming the file through /proc/TID/fd/N walks a path: a write into a file stream
 * asks this first, and most land in the very open file their exec had there. 0 when not held or
 * the kernel has no kcmp: the caller then names the file. */
int attrs_is_held_stream(int pid, int tid, int fd, int stream);

/* pid's file size limit now (RLIMIT_FSIZE, `ulimit -f`) in bytes: UINT64_MAX for none, 0 when it
 * cannot be read. */
uint64_t attrs_fsize_limit(int pid);

/* Where a write through fd (a copy of the tracee's) goes: its offset, or its size with O_APPEND;
 * -1 when unknown. */
int64_t attrs_write_pos(int fd);

/* Is the open file with this identity (paths.c) a traced process's stdout or stderr file? */
int attrs_held_stream(uint64_t identity);
/* How many stdout and stderr files are held (none: no write needs that look) */
int attrs_streams_held(void);

/* Calls visit for each fd pid has open until it returns non-zero; returns that, or -1 when its fds
 * cannot be listed. */
int each_fd(int pid, int (*visit)(int fd, void *ctx), void *ctx);

/* pid ended: report where it left the offset of each file held for it (PCT_EV_FD_END), and let
 * them go. Before its EXIT event. */
void attrs_release(int pid);

/* pid may have moved an offset it shares with a held process's file in a way its read count does
 * not show: it forked or made a thread (theirs go uncounted once they end), spliced (splice and
 * tee count no read), or a replay of it moved its offsets (the tracer's seek). */
void attrs_sharer_unseen(int pid);

/* A replay: read the reply's nseeks struct pct_fd_seek (-1: the channel failed, or too many);
 * then, once the skip is certain, move the offsets of tid's fds (its process: pid) where the
 * recorded run left them. */
int attrs_read_seeks(int channel, uint32_t nseeks);
void attrs_apply_seeks(int tid, int pid);

#endif
