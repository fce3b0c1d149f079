/* The byte stream between the tracer process and TypeScript (src/trace/protocol.ts mirrors it).
 *
 * TypeScript -> tracer, once: a spec record (pct_spec_header, then the groups as u32, the fds the
 * command inherits beyond 0-2 as u32, then the NUL-terminated strings: exe, cwd, argv[argc],
 * envp[envc]).
 * tracer -> TypeScript: event records, each a pct_event_header followed by a payload of
 * (len - sizeof header) bytes. All integers are host-endian: both ends run on one machine. */
#ifndef PCT_PROTOCOL_H
#define PCT_PROTOCOL_H
#include <stdint.h>

#define PCT_SPEC_MAGIC 0x70637433u /* "pct3": with pipe_wait_ms */
#define PCT_SPEC_DROP_PRIVILEGES 1u /* privileged tracer: run the command as uid/gid/groups */
#define PCT_SPEC_NO_NEW_PRIVS 2u    /* unprivileged tracer: seccomp needs no_new_privs */
#define PCT_SPEC_NO_NOTIFY 4u       /* every trapped call through ptrace, none by user notification */
#define PCT_SPEC_DECIDE_EXEC 8u     /* ask TypeScript at every execve whether to run or skip it */
#define PCT_SPEC_LAZY_WRITES 16u    /* (with DECIDE_EXEC) writes into file streams are read back, not trapped (lazy.h) */

struct pct_spec_header {
    uint32_t magic;
    uint32_t flags;
    uint32_t uid, gid, umask;
    uint32_t ngroups, argc, envc;
    uint32_t strings_len; /* bytes of NUL-terminated strings after the groups and fds */
    uint32_t nfds;        /* the caller's fds >= 3, ascending: the command inherits them as they are */
    uint64_t sig_ignored; /* bit N-1 set: the command starts with signal N ignored, else default */
    uint64_t sig_blocked; /* bit N-1 set: the command starts with signal N blocked */
    uint32_t pipe_wait_ms; /* how long an exec may be held for its pipe's writers (waiting.h); 0: never */
    uint32_t caller_pid;  /* the process that started the tracer (Node): its stdout and stderr are the command's */
};

/* At most this many fds go to a tracer started through sudo, 0-2 included (SCM_MAX_FD). */
#define PCT_PASS_FDS_MAX 253

struct pct_event_header {
    uint32_t len;  /* whole record, header included */
    uint16_t type; /* enum pct_event */
    uint16_t op;   /* enum pct_op for ACCESS; fd for OUTPUT; 1 = signal for EXIT; thread for SPAWN */
    int32_t pid;   /* the process (thread group id); a thread id for ACCESS from a notification */
    int32_t value; /* errno (0 = success) for ACCESS; code or signal for EXIT; child for SPAWN */
    uint64_t time_ns; /* CLOCK_MONOTONIC since the tracer started */
    uint32_t kind; /* ACCESS probe and read: file type (S_IFMT >> 12), 0 unknown; DUP: the old
                      fd; CREATE, WRITE: PCT_OPEN_* bits */
    uint32_t aux;  /* DUP: the new fd; a change (create, write, rename...): microseconds since its
                      entry stop, rounded up, so that it began at time_ns - aux * 1000 or later */
};

/* PCT_EV_OUTPUT's op for a write into another process's file stream (the bytes move its offset) */
#define PCT_OUT_FOREIGN 3
/* PCT_EV_OUTPUT's op, plus the fd (1 or 2), for what an execution whose writes were not trapped
 * left in its stream file (native/lazy.h): value 1, the position in kind (low 32 bits) and aux
 * (high); the payload is the file's bytes from there to where its open file's offset ended */
#define PCT_OUT_RANGE 4
/* PCT_EV_OUTPUT's op when such an execution's range cannot be told to be its own: payload why */
#define PCT_OUT_UNSEEN 7

enum pct_event {
    PCT_EV_START = 1,  /* pid: the root process; payload: CLOCK_MONOTONIC ns when the tracer
                          started (uint64), from which every event's time_ns counts */
    PCT_EV_EXEC = 2,   /* value: former tid (exec from a thread) or 0; payload: exe, cwd,
                          stdio kind of fd 0,1,2, which open file fds 1,2,0 name (hex identity),
                          then argv strings (all NUL-terminated) */
    PCT_EV_SPAWN = 3,  /* pid forked value; op 1 when it shares the parent's memory (vfork) */
    PCT_EV_EXIT = 4,   /* op 0 exited with code value, op 1 killed by signal value */
    PCT_EV_ACCESS = 5, /* op, value = errno; payload: path [, second path or names...]. PROBE,
                          READ and WRITE (an open without O_TRUNC of a file that was there): the
                          second string is what stat said then (stat_text in paths.h), and so
                          for TRUNCATE by an open; LIST:
                          each name after its d_type letter (f d l p s c b, ? unknown) */
    PCT_EV_FLAG = 6,   /* payload: reason; unsafe to replay */
    PCT_EV_NONDET = 7, /* payload: source of run-to-run variation */
    PCT_EV_OUTPUT = 8, /* op = the stream (1 or 2) the bytes landed in, whichever fd carried them:
                          the open file fd 1 or 2 named at the exec; payload: the bytes written.
                          op PCT_OUT_FOREIGN: a write into a file that is another traced process's
                          stream, not the writer's; payload: its identity (8 bytes), the bytes */
    PCT_EV_ERROR = 9,  /* payload: message; the tracer could not do its job */
    PCT_EV_WARN = 10,  /* payload: message for the user */
    PCT_EV_DONE = 11,  /* the root process ended (EXIT already sent); others may live on */
    PCT_EV_THREAD = 12, /* pid started thread value: events from the notification threads carry
                          the thread's id, which belongs to pid's process */
    PCT_EV_EXEC_QUERY = 13, /* (PCT_SPEC_DECIDE_EXEC) pid is about to execve; value: the thread;
                              op: its umask (PCT_UMASK_UNKNOWN when /proc does not say);
                              kind: argc, aux: envc; payload: exe, cwd, the kinds of
                              fds 0-2, the identities of fds 1, 2, 0, argv, envp, then the
                              process's attributes as "key=value" strings (below; none
                              when they did not fit). The tracer waits for a
                              pct_exec_reply before anything else of its own. */
    PCT_EV_OBSERVED = 14,  /* payload: the syscall that read a process attribute (uname,
                              sched_getaffinity): its value at the exec joins the entry */
    PCT_EV_FD_END = 15,    /* pid ended (its EXIT follows); op: an fd it inherited open for
                              reading or writing only on a regular file; payload: the offset
                              (int64) it left that open file at, then the file's size (int64),
                              PCT_FD_CHANGED when its ctime moved (a write inside it), then 1
                              (int64) when another process sharing that open file may have moved
                              the offset meanwhile, else 0 */
    PCT_EV_REAPED = 16,    /* (PCT_SPEC_DECIDE_EXEC) pid's wait returned value, a process that
                              ran a program and ended (its EXIT came before): pid waits at
                              the wait's exit stop for a pct_exec_reply (its fields unused) */
    PCT_EV_EXEC_QUERY_LAST = 17, /* an EXEC_QUERY asked again after PCT_REPLY_WAIT, for the last
                              time (its deadline passed, or a write could fill its pipe): the
                              reply must run or skip it */
    PCT_EV_DEFER_END = 18, /* pid (the thread that exec'd): a skipped process whose replay was
                              deferred (defer_ms) reached its deadline, or a process read
                              its pipe; its output goes out now. op: PCT_DEFER_* */
    PCT_EV_STDIN_DATA = 19, /* value: the thread; op PCT_STDIN_READ: what a read of a pipe on
                              stdin took (the payload; empty: its end), op PCT_STDIN_UNSEEN:
                              it read there in a way whose bytes are not taken (readv, splice) */
    PCT_EV_SIGNAL = 20,    /* pid received signal op, sent by process value (kill, tkill,
                              sigqueue), or by a terminal (value 0: the kernel's SIGINT, SIGHUP...) */
    PCT_EV_SIGNAL_SENT = 21 /* pid sends signal op (0: none, a probe) to traced process value; one
                              event per process of a group it signals (kill(0), kill(-pgrp)); kind
                              1: no process has pid value (it ended: ESRCH) */
};

enum pct_stdin_op { PCT_STDIN_READ = 0, PCT_STDIN_UNSEEN = 1 };

/* FD_END's size when the file changed in place while the process ran (its ctime moved) */
#define PCT_FD_CHANGED (-2)

/* The attributes of an exec query, each "key=value" (a key missing or "?": unknown), read at the
 * execve's entry stop, so as the new program will have them (cloexec fds aside):
 *   uid, gid      the Uid: and Gid: lines of /proc/TID/status: "real effective saved fs"
 *   groups        its Groups: line, space-separated (may be empty)
 *   sigign, sigblk  its SigIgn: and SigBlk: lines (hex masks): ignored and blocked signals
 *                 stay so across an exec
 *   affinity      its Cpus_allowed_list: line ("0-1")
 *   rlimits       every RLIMIT_* in order, "soft:hard" joined by ",", "inf" for unlimited
 *   ns            the namespaces (uts mnt user pid ipc net) that are not the tracer's, as
 *                 /proc/TID/ns/X reads ("uts:[4026532281]"), space-separated; empty normally
 *   uname         sysname|nodename|release|version|machine|domainname as the process would see
 *                 them (the tracer joins its UTS namespace for the call when it is another)
 *   ctty          whether it has a controlling terminal: "yes" or "no"
 *   fd            one per fd >= 3 without close-on-exec, and fd 0 when it is a regular file:
 *                 "N kind mode pos identity path": kind
 *                 as for fds 0-2, mode r, w or rw, pos the offset (fdinfo), identity as for
 *                 fds 1-2, path what /proc/TID/fd/N reads ("pipe:[123]", "/x (deleted)") */

enum pct_op {
    PCT_OP_READ = 1, PCT_OP_WRITE, PCT_OP_CREATE, PCT_OP_TRUNCATE, PCT_OP_PROBE, PCT_OP_LIST,
    PCT_OP_READLINK, PCT_OP_EXEC, PCT_OP_CHDIR, PCT_OP_RENAME, PCT_OP_DELETE, PCT_OP_MKDIR,
    PCT_OP_RMDIR, PCT_OP_SYMLINK, PCT_OP_LINK, PCT_OP_CHMOD, PCT_OP_UTIME, PCT_OP_MKNOD,
    PCT_OP_STDIN, PCT_OP_DUP, PCT_OP_XATTR
};

/* The kind of a CREATE or WRITE access: how it opened the file. */
#define PCT_OPEN_TRUNCATES 1u /* O_TRUNC without O_EXCL: an existing file would have ended the same */
#define PCT_OPEN_EXCL 2u      /* O_EXCL: fails on any name there, a dangling symlink too */
#define PCT_OPEN_APPENDS 4u   /* O_APPEND: every write goes after what the file held */
#define PCT_TRUNCATE_CALL 8u  /* TRUNCATE by truncate(2), not an open: the file keeps a prefix */
#define PCT_RENAME_NOREPLACE 16u /* RENAME by renameat2 with RENAME_NOREPLACE: it succeeds only where no name stood */
/* A RENAME's kind, bits 8-15: what stood at the destination at the call's entry (a plain rename
 * replaces a file or an empty directory, and fails on others: what it did depended on that) */
#define PCT_RENAME_DEST_SHIFT 8
enum pct_rename_dest {
    PCT_DEST_UNKNOWN = 0, PCT_DEST_ABSENT, PCT_DEST_FILE, PCT_DEST_SYMLINK, PCT_DEST_OTHER,
    PCT_DEST_EMPTY_DIR, PCT_DEST_FULL_DIR
};

/* A LIST's kind: the directory was not read from its start (the next getdents of one listing) */
#define PCT_LIST_GOES_ON 1u

/* A PROBE's kind beside the type: the stat did not follow a final symlink (lstat) */
#define PCT_PROBE_NOFOLLOW 0x100u
/* ... and the probe was access(2) or faccessat(2): its answer is a permission check's, by the
 * caller's real ids (the tracer's stat reports what stands there, not what the check said) */
#define PCT_PROBE_ACCESS 0x200u

/* TypeScript -> tracer, after each PCT_EV_EXEC_QUERY: run the program, or skip it: first move
 * the offsets of nseeks fds it inherited open for reading (struct pct_fd_seek each, which come
 * first), write nchunks chunks (struct pct_output_chunk, then its bytes) to the process's own fds,
 * then end the process with exit_code instead of the exec. */
struct pct_exec_reply {
    uint32_t magic; /* PCT_REPLY_MAGIC */
    uint32_t skip;  /* 0 run, 1 skip, PCT_REPLY_WAIT: hold it; the tracer asks again (EXEC_QUERY
                       when a traced process ends, EXEC_QUERY_LAST at the deadline) */
    int32_t exit_code;
    uint32_t nchunks;
    uint32_t nseeks;
    uint32_t defer_ms;      /* skip: the output waits up to this long for a release (a reader of
                               its pipe whose exec may be keyed on it); 0: written at once.
                               PCT_REPLY_WAIT: held up to this long (0: the spec's pipe_wait_ms),
                               asked again at each exec too */
    int32_t release_tid;    /* a skipped thread whose output was deferred, or 0: released now, */
    uint32_t release_write; /* its output written (1) or dropped, read by a reader replayed (0) */
    int32_t defer_watch;    /* skip, deferred: a shell ancestor that alone holds the pipe's read
                               end (its reader is not forked yet), or 0. Its read of the pipe
                               (a command substitution) or a wait for a child lets it go. */
};

struct pct_fd_seek {
    uint32_t fd;
    uint32_t pad;
    uint64_t pos;
};
#define PCT_REPLY_MAGIC 0x70637445u /* "pctE": with defer_ms, release and defer_watch */
#define PCT_REPLY_WAIT 2u
/* a PCT_EV_DEFER_END's op: why the output went out */
#define PCT_DEFER_READ 0u     /* a process read or waited on its pipe */
#define PCT_DEFER_DEADLINE 1u /* its deadline passed */
#define PCT_DEFER_WATCHED 2u  /* the shell watched (defer_watch) read it or waited for a child */
#define PCT_UMASK_UNKNOWN 0xffffu

struct pct_output_chunk {
    uint32_t fd;
    uint32_t len;
};

#endif
