/* One table classifies every syscall the tracer cares about (syscalls.c). The seccomp filter is
 * generated from it and the tracer dispatches on the class, so adding a syscall is one row. */
#ifndef PCT_SYSCALLS_H
#define PCT_SYSCALLS_H
#include <stdint.h>

enum pct_class {
    CL_OPEN,      /* dirfd, path, extra = flags arg (-1: creat) */
    CL_OPENAT2,   /* dirfd, path, extra = struct open_how arg */
    CL_PROBE,     /* stat family and access: dirfd, path, extra = the arg with AT_SYMLINK_NOFOLLOW */
    CL_LPROBE,    /* lstat: dirfd, path; never follows the last link */
    CL_READLINK,  /* dirfd, path (the tracer reads the link itself) */
    CL_GETDENTS,  /* dirfd = the listed fd, extra = buffer arg; path = 1 for linux_dirent64 */
    CL_EXEC,      /* dirfd, path, extra = flags arg */
    CL_CHDIR,     /* path, or dirfd for fchdir */
    CL_RENAME,    /* dirfd, path -> dirfd2, path2 */
    CL_UNLINK,    /* dirfd, path, extra = flags arg (AT_REMOVEDIR) */
    CL_MKDIR, CL_RMDIR, CL_TRUNCATE, CL_MKNOD,
    CL_CHMOD,     /* dirfd, path; or dirfd alone for fchmod */
    CL_UTIME,     /* dirfd, path (NULL path: the fd itself); extra = the times arg (NULL: now) */
    CL_SYMLINK,   /* dirfd2, path2 = the link; path = the target text (not resolved) */
    CL_LINK,      /* dirfd, path -> dirfd2, path2; extra = flags arg (AT_EMPTY_PATH) */
    CL_XATTR,     /* reads extended attributes (getxattr, listxattr): path, or dirfd alone for the f* calls */
    CL_LXATTR,    /* the same without following a final symlink (lgetxattr, llistxattr) */
    CL_SETXATTR,  /* sets an extended attribute: path, or dirfd alone for fsetxattr; extra = the
                     name arg. A minimal POSIX ACL (owner, group, other: coreutils' install and cp)
                     is only a mode, a chmod; any other is unmodelled (a restore would not carry it) */
    CL_STDIN,     /* a read from fd 0 or a saved fd: of stdin when it names the exec's fd 0 */
    CL_STDIN_WAIT, /* select and pselect6 of fds below 16 (nfds arg 0; bash's `read -t` on fd 0, or
                      -u 5 or 10): a wait that lets a deferred replay into one of them go, as a
                      read does */
    CL_OUTPUT,    /* write of extra = count bytes from path = buffer arg to the fd in arg 0, any fd:
                     what lands in the open file fd 1 or 2 named at the exec is that stream's, through
                     whichever fd (`>&2`, a saved fd 10, a program's own dup of fd 1) */
    CL_OUTPUTV,   /* the same through an iovec array in arg 1, count in arg 2 (vmsplice too) */
    CL_DUP,       /* dup/dup2/dup3 of fd 0-2 or a saved fd (arg 0): reported when it copies stdin */
    CL_FCNTL,     /* fcntl F_DUPFD* of the same */
    CL_SEEK,      /* lseek of fd 1, 2 or a saved fd: a replay appends its output where the writes
                     were; lseek(fd, 0, SEEK_CUR) of a file stream reads its offset (observed) */
    CL_STREAM_STAT, /* fstat of fd 1, 2 or a saved fd (and newfstatat and statx with AT_EMPTY_PATH,
                     sent here by CO_STAT_FD): the size of a file stream is where its output starts */
    CL_STREAM_RESIZE, /* ftruncate and fallocate: of a file stream, a change no replay makes */
    CL_XFER,      /* in-kernel copies: dirfd = the input fd arg, dirfd2 = the output fd arg, extra =
                     the input offset pointer arg (NULL: the input fd's own offset) */
    CL_CONNECT,   /* sockaddr in arg 1, length in arg 2 */
    CL_SENDTO,    /* fd in arg 0, destination in arg 4 */
    CL_SENDMSG,   /* msghdr in arg 1: open files passed (SCM_RIGHTS) are flagged */
    CL_SENDMMSG,  /* mmsghdr array in arg 1, count in arg 2 */
    CL_RECVMSG,   /* msghdr in arg 1, on any fd: control data received (open files, credentials)
                     is flagged at the exit; on fd 0 or a saved copy of it, a read of stdin too */
    CL_RECVMMSG,  /* mmsghdr array in arg 1, count in arg 2: the same, flagged at the entry */
    CL_SOCKET,    /* socket(domain in arg 0): a netlink or packet socket reads the kernel's state */
    CL_PEER,      /* a call about another process, by pid (path = the pid arg; 0: itself): its
                     state or a change to it, which no input holds (taskset -p, chrt -p) */
    CL_IOCTL,     /* ioctl(fd, request in arg 1) of the requests pct_ioctl_trapped lists: a
                     terminal's size read (observed), a terminal changed, inode flags */
    CL_NETWORK,   /* always unsafe: the flag is "network:<name>" */
    CL_SIGNAL,    /* path = the target pid or thread arg (-1: a pidfd, never resolved), extra = the signal's */
    CL_WAIT,      /* wait4/waitid: its exit stop orders what the parent does next after the child's
                     exit event, which the notification threads could otherwise overtake */
    CL_PTRACE, CL_NONDET, CL_UNMODELLED,
    CL_ATTR,      /* reads a process attribute (CPU affinity, uname) that only some programs look at
                     (path: the pid arg, when it has one: another process's is CL_PEER's case):
                     reported (PCT_EV_OBSERVED), and its value at the exec joins the entry */
    CL_DENY,      /* fails with ENOSYS in the filter itself: never reaches the tracer */
    CL_PACKET_PIPE, /* pipe2 with O_DIRECT: a pipe whose writes are read one by one (flagged) */
    CL_SETLIMIT,  /* setrlimit, prlimit64 with a new limit (path = its pid arg, 0: itself; extra = the
                     resource arg): a file size limit set while a process runs flags its writes
                     into a file stream */
    CL_EXEC_KEPT, /* sets what its next program starts with and no key holds (prctl's parent-death
                     signal and subreaper, alarm, setitimer): the programs it execs are flagged */
    CL_SPAWN,     /* clone, clone3, fork, vfork: stop only where writes are not trapped (lazy.h), so
                     that a process that forks beside an untrapped one, or starts a thread, traps
                     its writes first */
    CL_CREDS,     /* setuid and its kin, capset: stop only where writes are not trapped, so that a
                     process that gives up root traps its writes while it still may add a filter
                     (without no_new_privs, seccomp(2) needs CAP_SYS_ADMIN) */
    CL_RESTRICT   /* limits what it and its children may do (seccomp, landlock_restrict_self;
                     prctl PR_SET_SECCOMP is CL_EXEC_KEPT's): the programs they exec are flagged */
};

enum pct_cond {
    CO_ALWAYS,     /* trap every call */
    CO_FD_STDIN_OR_SAVED, /* trap when arg cond_arg is fd 0, or PCT_SAVED_FD_MIN or above: where
                             the shells keep a copy of fd 0 around a redirection (`read -u 10`) */
    CO_FD_STDIO_OR_SAVED, /* ... is fd 0, 1 or 2, or PCT_SAVED_FD_MIN or above (a copy of stdin
                             there moved below it is a copy whose reads are not seen) */
    CO_FD_OUT,     /* ... is fd 1 or 2 */
    CO_FD_OUT_OR_SAVED, /* ... is fd 1 or 2, or from PCT_SAVED_FD_MIN to PCT_LOOKED_FD_MAX */
    CO_STAT_FD,    /* the stat calls: a path (arg cond_arg without AT_EMPTY_PATH) goes to the probe as
                      always; an fd (AT_EMPTY_PATH) as in CO_FD_OUT_OR_SAVED goes to the ptrace stop
                      (the CL_PROBE handler tells an fd from a path there) */
    CO_NONZERO,    /* ... is not 0 (a pointer given) */
    CO_EITHER_NONZERO, /* ... or arg cond_val is not 0 (prlimit: a new limit, or another pid) */
    CO_IOCTL,      /* arg 1 is one of pct_ioctl_trapped */
    CO_FLAG_CLEAR, /* ... has none of the bits in cond_val */
    CO_FLAG_SET,   /* ... has one of the bits in cond_val */
    CO_BELOW,      /* ... is below cond_val (unsigned) */
    CO_FCNTL       /* fcntl: fd 0-2 or PCT_SAVED_FD_MIN and above (dups of the streams), or on any fd
                      what changes an open file or pipe others share in a way a replay cannot:
                      F_SETFL with O_DIRECT (packet mode), F_SETPIPE_SZ */
};

#define NOARG (-1)

/* The shells save fds at 10 and above (F_DUPFD 10): reads there are trapped like reads of fd 0, so
 * that a copy of stdin there is no blind spot. A copy below it is (TypeScript refuses those). */
#define PCT_SAVED_FD_MIN 10
/* fstat and lseek are trapped on fds 1, 2 and the shells' saved range up to here only: above it
 * are the files a program with many fds reads (node opens them at 17 and up, and fstats each),
 * and a copy of a stream made there is flagged at the dup instead */
#define PCT_LOOKED_FD_MAX 15

struct pct_syscall {
    const char *name;
    int nr;
    uint8_t cls;
    int8_t dirfd, path, dirfd2, path2, extra;
    uint8_t cond, cond_arg;
    uint32_t cond_val;
};

extern const struct pct_syscall pct_syscalls[];
extern const unsigned pct_syscall_count;
/* Calls no row traps, tested first by the filter (pct_build_filter) */
extern const int pct_untrapped_hot[];
extern const unsigned pct_untrapped_hot_count;
/* The ioctl requests that stop (CO_IOCTL): the rest (isatty's TCGETS, libuv's FIONBIO) run on */
extern const uint32_t pct_ioctl_trapped[];
extern const unsigned pct_ioctl_trapped_count;

/* Syscall numbers at or above this are newer than the table and trapped as unknown. */
#define PCT_FIRST_UNKNOWN_NR 470

/* SECCOMP_RET_DATA values outside the table's index range */
#define PCT_DATA_UNKNOWN 0xffff
#define PCT_DATA_FOREIGN_ABI 0xfffe
#define PCT_DATA_X32 0xfffd

#endif
