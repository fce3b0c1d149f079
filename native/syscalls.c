#define _GNU_SOURCE
#include "syscalls.h"
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

/* Rows: name, nr, class, dirfd, path, dirfd2, path2, extra, condition, its arg, its value.
 * The hot, conditional rows come first: the filter tests rows in order. */
#define ROW(n, cls, d, p, d2, p2, x, ...) { #n, __NR_##n, cls, d, p, d2, p2, x, __VA_ARGS__ },
/* syscalls newer than the build machine's headers; their numbers are shared by every arch since 424 */
#define ROWN(n, nr, cls, d, p, d2, p2, x, ...) { #n, nr, cls, d, p, d2, p2, x, __VA_ARGS__ },
#define ALWAYS CO_ALWAYS, 0, 0

const struct pct_syscall pct_syscalls[] = {
    ROW(read,       CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(write,      CL_OUTPUT,  NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(newfstatat, CL_PROBE,   0, 1, NOARG, NOARG, 3, CO_STAT_FD, 3, AT_EMPTY_PATH)
    ROW(openat,     CL_OPEN,    0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(statx,      CL_PROBE,   0, 1, NOARG, NOARG, 2, CO_STAT_FD, 2, AT_EMPTY_PATH)
    ROW(readv,      CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(writev,     CL_OUTPUTV, NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(pread64,    CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(pwrite64,   CL_OUTPUT,  NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(preadv,     CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(preadv2,    CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    /* a socket on stdin (a Node parent's child_process) read with recv: a read of stdin too */
    ROW(recvfrom,   CL_STDIN,   0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(recvmsg,    CL_RECVMSG, 0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(recvmmsg,   CL_RECVMMSG, 0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(pwritev,    CL_OUTPUTV, NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(pwritev2,   CL_OUTPUTV, NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(dup,        CL_DUP,     0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(dup3,       CL_DUP,     0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(fcntl,      CL_FCNTL,   0, NOARG, NOARG, NOARG, NOARG, CO_FCNTL, 0, 0)
    ROW(pselect6,   CL_STDIN_WAIT, NOARG, NOARG, NOARG, NOARG, NOARG, CO_BELOW, 0, PCT_LOOKED_FD_MAX + 2)
    ROW(pipe2,      CL_PACKET_PIPE, NOARG, NOARG, NOARG, NOARG, NOARG, CO_FLAG_SET, 1, O_DIRECT)
    ROW(lseek,      CL_SEEK,    NOARG, NOARG, NOARG, NOARG, NOARG, CO_FD_OUT_OR_SAVED, 0, 0)
    ROW(fstat,      CL_STREAM_STAT, NOARG, NOARG, NOARG, NOARG, NOARG, CO_FD_OUT_OR_SAVED, 0, 0)
    ROW(ftruncate,  CL_STREAM_RESIZE, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fallocate,  CL_STREAM_RESIZE, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(faccessat,  CL_PROBE,   0, 1, NOARG, NOARG, NOARG, ALWAYS)
    ROW(faccessat2, CL_PROBE,   0, 1, NOARG, NOARG, 3, ALWAYS)
    ROW(readlinkat, CL_READLINK, 0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(getdents64, CL_GETDENTS, 0, 1, NOARG, NOARG, 1, ALWAYS)
    ROW(execve,     CL_EXEC,    NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(execveat,   CL_EXEC,    0, 1, NOARG, NOARG, 4, ALWAYS)
    ROW(openat2,    CL_OPENAT2, 0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(chdir,      CL_CHDIR,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fchdir,     CL_CHDIR,   0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(renameat,   CL_RENAME,  0, 1, 2, 3, NOARG, ALWAYS)
    ROW(renameat2,  CL_RENAME,  0, 1, 2, 3, 4, ALWAYS)
    ROW(unlinkat,   CL_UNLINK,  0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(mkdirat,    CL_MKDIR,   0, 1, NOARG, NOARG, NOARG, ALWAYS)
    ROW(symlinkat,  CL_SYMLINK, NOARG, 0, 1, 2, NOARG, ALWAYS)
    ROW(linkat,     CL_LINK,    0, 1, 2, 3, 4, ALWAYS)
    ROW(fchmodat,   CL_CHMOD,   0, 1, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(fchmodat2, 452, CL_CHMOD,   0, 1, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fchmod,     CL_CHMOD,   0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(truncate,   CL_TRUNCATE, NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(utimensat,  CL_UTIME,   0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(mknodat,    CL_MKNOD,   0, 1, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sendfile,   CL_XFER,    1, NOARG, 0, NOARG, 2, ALWAYS)
    ROW(splice,     CL_XFER,    0, NOARG, 2, NOARG, 1, ALWAYS)
    ROW(tee,        CL_XFER,    0, NOARG, 1, NOARG, NOARG, ALWAYS)
    ROW(vmsplice,   CL_OUTPUTV, NOARG, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(copy_file_range, CL_XFER, 0, NOARG, 2, NOARG, 1, ALWAYS)
    ROW(connect,    CL_CONNECT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(bind,       CL_NETWORK, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* a connection from whoever holds the listening socket's address, an inherited one too */
    ROW(accept,     CL_NETWORK, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(accept4,    CL_NETWORK, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(socket,     CL_SOCKET,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(ioctl,      CL_IOCTL,   0, NOARG, NOARG, NOARG, NOARG, CO_IOCTL, 1, 0)
    ROW(listen,     CL_NETWORK, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sendto,     CL_SENDTO,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sendmsg,    CL_SENDMSG, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sendmmsg,   CL_SENDMMSG, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(kill,       CL_SIGNAL,  NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(tkill,      CL_SIGNAL,  NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(tgkill,     CL_SIGNAL,  NOARG, 0, NOARG, NOARG, 2, ALWAYS)
    ROW(rt_sigqueueinfo,   CL_SIGNAL, NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(rt_tgsigqueueinfo, CL_SIGNAL, NOARG, 0, NOARG, NOARG, 2, ALWAYS)
    ROW(pidfd_send_signal, CL_SIGNAL, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(wait4,      CL_WAIT,    NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(waitid,     CL_WAIT,    NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(ptrace,     CL_PTRACE,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setrlimit,  CL_SETLIMIT, NOARG, NOARG, NOARG, NOARG, 0, ALWAYS)
    ROW(prlimit64,  CL_SETLIMIT, NOARG, 0, NOARG, NOARG, 1, CO_EITHER_NONZERO, 2, 0)
    ROW(getrandom,  CL_NONDET,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(uname,      CL_ATTR,    NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sched_getaffinity, CL_ATTR, NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    /* about another process by its pid (0: itself, and trapped only then) */
    ROW(sched_setaffinity, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_getscheduler, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_setscheduler, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_getparam, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_setparam, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_getattr, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_setattr, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(sched_rr_get_interval, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(getpgid,    CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(getsid,     CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(pidfd_open, CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, CO_NONZERO, 0, 0)
    ROW(getpriority, CL_PEER, NOARG, 1, NOARG, NOARG, NOARG, CO_NONZERO, 1, 0)
    ROW(setpriority, CL_PEER, NOARG, 1, NOARG, NOARG, NOARG, CO_NONZERO, 1, 0)
    ROW(ioprio_get, CL_PEER, NOARG, 1, NOARG, NOARG, NOARG, CO_NONZERO, 1, 0)
    ROW(ioprio_set, CL_PEER, NOARG, 1, NOARG, NOARG, NOARG, CO_NONZERO, 1, 0)
    ROW(kcmp,       CL_PEER, NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sysinfo,    CL_NONDET,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* free space and inodes of a file system: the system's state of the moment, as sysinfo's */
    ROW(statfs,     CL_NONDET,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fstatfs,    CL_NONDET,  NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* Linux AIO writes and reads through the kernel, in no call the table knows (hunt 66: a write
     * into stdout by io_submit was never replayed) */
    ROW(io_submit,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(io_uring_setup,    CL_DENY, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(io_uring_enter,    CL_DENY, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(io_uring_register, CL_DENY, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(getxattr,   CL_XATTR,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(lgetxattr,  CL_LXATTR,  NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fgetxattr,  CL_XATTR,   0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(listxattr,  CL_XATTR,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(llistxattr, CL_LXATTR,  NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(flistxattr, CL_XATTR,   0, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* changes to the file system or the process's view of it that the memo model cannot replay */
    ROW(mount,      CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(umount2,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(chroot,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(pivot_root, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(unshare,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setns,      CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fchown,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fchownat,   CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setxattr,   CL_SETXATTR, NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(lsetxattr,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fsetxattr,  CL_SETXATTR, 0, NOARG, NOARG, NOARG, 1, ALWAYS)
    ROW(removexattr,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(lremovexattr, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fremovexattr, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(name_to_handle_at, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(open_by_handle_at, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(process_vm_writev, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* a copy of another process's open file: whatever it is, its fd was not inherited */
    ROWN(pidfd_getfd, 438, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* channels to any process that knows a key or a name, outside the command too (hunt 28) */
    ROW(process_vm_readv, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(msgget,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(msgsnd,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(msgrcv,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(msgctl,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(semget,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(semop,      CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(semtimedop, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(semctl,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(shmget,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(shmat,      CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(shmctl,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_open,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_unlink,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_timedsend,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_timedreceive, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_notify,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mq_getsetattr, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* events and state from anywhere: a file changed by whoever (inotify: `inotifywait && echo
     * changed` waits for a change no input holds), keys, the kernel's log, bpf maps, counters */
    /* signals taken without a delivery (no signal-delivery stop tells who sent them) */
    ROW(rt_sigtimedwait, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(rt_sigpending,   CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(signalfd4,       CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(inotify_init1,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(inotify_add_watch, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fanotify_init,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fanotify_mark,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(add_key,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(request_key, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(keyctl,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(syslog,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(bpf,        CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(perf_event_open, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(open_tree,  CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(move_mount, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fsopen,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fsmount,    CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mount_setattr, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(sethostname,   CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setdomainname, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(quotactl,   CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(setxattrat, 463, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* reads, but with a dirfd and AT_ flags of their own (Linux 6.13): not worth a model yet */
    ROWN(getxattrat, 464, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(listxattrat, 465, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(removexattrat, 466, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(open_tree_attr, 467, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROWN(file_setattr, 469, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* a Landlock domain or a seccomp filter limits what it and every program it or its children
     * exec may do: no key holds it (the tracer's own injected filters pass: a call changed at its
     * seccomp stop is checked again, and a trap there is let through) */
    ROWN(landlock_restrict_self, 446, CL_RESTRICT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(seccomp,    CL_RESTRICT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(clone,      CL_SPAWN,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(clone3,     CL_SPAWN,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setuid,     CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setgid,     CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setreuid,   CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setregid,   CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setresuid,  CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setresgid,  CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setfsuid,   CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setfsgid,   CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setgroups,  CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(capset,     CL_CREDS,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(prctl,      CL_EXEC_KEPT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(setitimer,  CL_EXEC_KEPT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
#ifdef __x86_64__
    ROW(alarm,      CL_EXEC_KEPT, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(fork,       CL_SPAWN,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(vfork,      CL_SPAWN,   NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    /* the legacy path-based calls that aarch64 never had */
    ROW(open,       CL_OPEN,    NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(stat,       CL_PROBE,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(lstat,      CL_LPROBE,  NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(access,     CL_PROBE,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(dup2,       CL_DUP,     0, NOARG, NOARG, NOARG, NOARG, CO_FD_STDIO_OR_SAVED, 0, 0)
    ROW(select,     CL_STDIN_WAIT, NOARG, NOARG, NOARG, NOARG, NOARG, CO_BELOW, 0, PCT_LOOKED_FD_MAX + 2)
    ROW(creat,      CL_OPEN,    NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(readlink,   CL_READLINK, NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(getdents,   CL_GETDENTS, 0, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(rename,     CL_RENAME,  NOARG, 0, NOARG, 1, NOARG, ALWAYS)
    ROW(unlink,     CL_UNLINK,  NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(mkdir,      CL_MKDIR,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(rmdir,      CL_RMDIR,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(symlink,    CL_SYMLINK, NOARG, 0, NOARG, 1, NOARG, ALWAYS)
    ROW(link,       CL_LINK,    NOARG, 0, NOARG, 1, NOARG, ALWAYS)
    ROW(chmod,      CL_CHMOD,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(utime,      CL_UTIME,   NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(utimes,     CL_UTIME,   NOARG, 0, NOARG, NOARG, 1, ALWAYS)
    ROW(futimesat,  CL_UTIME,   0, 1, NOARG, NOARG, 2, ALWAYS)
    ROW(mknod,      CL_MKNOD,   NOARG, 0, NOARG, NOARG, NOARG, ALWAYS)
    ROW(inotify_init, CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(signalfd,   CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(chown,      CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
    ROW(lchown,     CL_UNMODELLED, NOARG, NOARG, NOARG, NOARG, NOARG, ALWAYS)
#endif
};

const unsigned pct_syscall_count = sizeof pct_syscalls / sizeof pct_syscalls[0];

/* The most frequent calls the table does not trap, let through before its rows are walked: every
 * row the filter tests costs each of them a comparison */
const int pct_untrapped_hot[] = {
    __NR_mmap, __NR_munmap, __NR_mprotect, __NR_brk, __NR_close, __NR_futex, __NR_rt_sigprocmask,
    __NR_rt_sigaction, __NR_madvise, __NR_getpid, __NR_gettid, __NR_sched_yield, __NR_ppoll,
#ifdef __x86_64__
    __NR_poll,
#endif
};
const unsigned pct_untrapped_hot_count = sizeof pct_untrapped_hot / sizeof pct_untrapped_hot[0];

const uint32_t pct_ioctl_trapped[] = {
    TIOCGWINSZ, /* a terminal's size: what ls, tput and gcc's diagnostics fit their lines to */
    TIOCSWINSZ, TIOCSTI, TIOCSCTTY, TIOCNOTTY, TIOCCONS, TIOCSETD, TCFLSH, TCXONC,
    TCSETS, TCSETSW, TCSETSF, TCSETA, TCSETAW, TCSETAF, /* a terminal changed: a replay would not */
    (uint32_t)FS_IOC_GETFLAGS, (uint32_t)FS_IOC_SETFLAGS, (uint32_t)FS_IOC_FSGETXATTR, (uint32_t)FS_IOC_FSSETXATTR,
};
const unsigned pct_ioctl_trapped_count = sizeof pct_ioctl_trapped / sizeof pct_ioctl_trapped[0];
