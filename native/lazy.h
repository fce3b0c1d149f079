/* Writes that do not stop (docs/design-notes.md, "No stop per write"). A process whose stdout and
 * stderr are regular files or /dev/null runs with write and writev untrapped: what its subtree
 * wrote into those files is read back from them at its end, between the offsets its open files
 * had at its exec and have then (a range). Every process whose writes must be seen one by one
 * (a pipe or terminal stream, a copy of another process's stream, a thread) gets a filter added
 * that traps them, and keeps it, as its children do.
 *
 * A range is the subtree's own only when no process outside it wrote there unseen meanwhile. The
 * untrapped processes alive at any time form one line of descent: an untrapped process that forks
 * while another untrapped process that is not its ancestor lives gets the filter first (the
 * tracer's clone stop). So the only unseen writers beside a range's subtree are its untrapped
 * ancestors, whose write counts (/proc/PID/task/PID/io, syscw) are taken at its exec and compared
 * at its end; trapped writers are seen as before. */
#ifndef PCT_LAZY_H
#define PCT_LAZY_H
#include <stdint.h>
#include <sys/types.h>

/* Set once before the command starts: the first filter lets write and writev by */
extern int lazy_on;

/* Does this kernel count each thread's writes (task I/O accounting)? Without it no range can be
 * told to be a subtree's own, and every write is trapped as before. */
int lazy_supported(void);

/* May the tracer's children add a seccomp filter without no_new_privs (CAP_SYS_ADMIN)? */
int lazy_may_add_filters(void);

/* At the execve entry of an untrapped process: must it trap its writes before its program runs?
 * Its fd 0 a terminal or socket, fds 1 or 2 anything but a regular file or /dev/null, both on one
 * file through two open files, or a copy of another process's stream on fds 3 and up. */
int lazy_needs_trap(int pid);

/* At the command's first exec: could a process outside the trace write unseen into a range of
 * the command's stdout or stderr file? One (other than the tracer and the processes that started
 * it, up to caller) holds it open for writing: a background job of the shell that started
 * processcache, another run sharing a log. Or it is open with O_APPEND, where an append by path
 * from outside would land inside a range. */
int lazy_outside_writer(int pid, int caller);

/* The exec of an untrapped process, its process's exec'th (0: its first): take where its file
 * streams stand. ancestors: its untrapped ancestors (n of them, or -1 when they cannot be told),
 * whose write counts are taken; unseen: why its range cannot be its own already, or NULL. */
void lazy_begin(int pid, int exec, const int *ancestors, int n, const char *unseen);

/* pid ended: send the range of each of its programs that began with lazy_begin (OUTPUT events,
 * op PCT_OUT_RANGE + the fd, value: which exec), or why there is none (PCT_OUT_UNSEEN). A
 * program's range ends with its process, not at its next exec: the programs its process exec'd
 * after it are of its subtree. Before its EXIT event. */
void lazy_end(int pid);

/* A traced process changed a file otherwise than by writing through a range's open file (it
 * opened it for writing or to truncate it, truncated or extended it): every live range of that
 * file (device, inode) is refused, its bytes no longer only what its subtree wrote (hunt 66). */
void lazy_file_changed(dev_t dev, ino_t ino, const char *how);

/* The same for a change by an in-kernel copy (splice, sendfile, copy_file_range) into the file:
 * the ranges of the copier's own process and its ancestors (keep, n of them) hold it as theirs;
 * splice counts no write (hunt 68). */
void lazy_file_copied_into(dev_t dev, ino_t ino, const int *keep, int n);

/* fd of traced process pid moved its offset (lseek): a live range on that very open file is
 * refused, its end offset no longer where its writes ended. */
void lazy_offset_moved(int pid, int fd);

/* How many ranges are open: none, and no change to a file concerns them */
int lazy_ranges_open(void);

#endif
