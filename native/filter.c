#define _GNU_SOURCE
#include "filter.h"
#include "syscalls.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define PCT_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PCT_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "processcache traces x86_64 and aarch64 only"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the filter reads the low word of each argument first"
#endif

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

struct emitter { struct sock_filter *prog; unsigned n, cap; };

/* open flags that make an open more than a read (O_TMPFILE includes O_DIRECTORY: use its own bit) */
#define PCT_OPEN_CHANGES (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | __O_TMPFILE)

int pct_row_notifies(const struct pct_syscall *s)
{
    return s->cls == CL_PROBE || s->cls == CL_LPROBE || s->cls == CL_READLINK ||
           (s->cls == CL_OPEN && s->extra != NOARG);
}

static void put(struct emitter *e, unsigned short code, unsigned k, unsigned char jt, unsigned char jf)
{
    if (e->n < e->cap) e->prog[e->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static void ret(struct emitter *e, unsigned value) { put(e, BPF_RET | BPF_K, value, 0, 0); }
static void load(struct emitter *e, unsigned off) { put(e, BPF_LD | BPF_W | BPF_ABS, off, 0, 0); }

/* The fd in the accumulator is 1, 2, or from PCT_SAVED_FD_MIN to PCT_LOOKED_FD_MAX: returns
 * trace; else allow. */
static void looked_fd(struct emitter *e, unsigned trace)
{
    put(e, BPF_JMP | BPF_JEQ | BPF_K, 1, 3, 0);
    put(e, BPF_JMP | BPF_JEQ | BPF_K, 2, 2, 0);
    put(e, BPF_JMP | BPF_JGE | BPF_K, PCT_SAVED_FD_MIN, 0, 2);
    put(e, BPF_JMP | BPF_JGT | BPF_K, PCT_LOOKED_FD_MAX, 1, 0);
    ret(e, trace);
    ret(e, SECCOMP_RET_ALLOW);
}

/* Returns trace when argument arg (both words) is not 0; else goes on to what follows. */
static void trace_if_nonzero(struct emitter *e, int arg, unsigned trace)
{
    load(e, ARG_LO(arg));
    put(e, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
    ret(e, trace);
    load(e, ARG_HI(arg));
    put(e, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
    ret(e, trace);
}

/* The instructions that decide one row's call; every path ends in a return, since the
 * accumulator no longer holds the syscall number. */
/* write and writev: with lazy, the first filter lets them by (a filter added traps them) */
static int lazy_write(const struct pct_syscall *s) { return s->nr == __NR_write || s->nr == __NR_writev; }

static void emit_row(struct emitter *e, const struct pct_syscall *s, unsigned index, int notify, int lazy)
{
    const unsigned allow = SECCOMP_RET_ALLOW;
    if (lazy ? lazy_write(s) : s->cls == CL_SPAWN || s->cls == CL_CREDS) {
        ret(e, allow);
        return;
    }
    const unsigned trace = notify && pct_row_notifies(s) ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE | index;
    if (notify && s->cls == CL_OPEN && s->extra != NOARG) {
        /* reading opens go to the notification threads, the rest to the ptrace stop */
        load(e, ARG_LO(s->extra));
        put(e, BPF_JMP | BPF_JSET | BPF_K, PCT_OPEN_CHANGES, 0, 1);
        ret(e, SECCOMP_RET_TRACE | index);
        ret(e, SECCOMP_RET_USER_NOTIF);
        return;
    }
    switch (s->cond) {
    case CO_ALWAYS:
        ret(e, s->cls == CL_DENY ? (SECCOMP_RET_ERRNO | ENOSYS) : trace);
        break;
    case CO_FD_STDIN_OR_SAVED:
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
        put(e, BPF_JMP | BPF_JGE | BPF_K, PCT_SAVED_FD_MIN, 0, 1);
        ret(e, trace);
        ret(e, allow);
        break;
    case CO_FD_STDIO_OR_SAVED:
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JGT | BPF_K, 2, 0, 1);                /* 0-2: trace */
        put(e, BPF_JMP | BPF_JGE | BPF_K, PCT_SAVED_FD_MIN, 0, 1); /* 3-9: allow */
        ret(e, trace);
        ret(e, allow);
        break;
    case CO_FD_OUT:
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0);
        put(e, BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1);
        ret(e, trace);
        ret(e, allow);
        break;
    case CO_FD_OUT_OR_SAVED:
        load(e, ARG_LO(s->cond_arg));
        looked_fd(e, trace);
        break;
    case CO_STAT_FD:
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JSET | BPF_K, AT_EMPTY_PATH, 1, 0);
        ret(e, trace);
        load(e, ARG_LO(0));
        looked_fd(e, SECCOMP_RET_TRACE | index); /* the ptrace stop, not the notification */
        break;
    case CO_NONZERO:
        trace_if_nonzero(e, s->cond_arg, trace);
        ret(e, allow);
        break;
    case CO_IOCTL:
        load(e, ARG_LO(s->cond_arg));
        for (unsigned i = 0; i < pct_ioctl_trapped_count; i++) {
            /* jump to the trace below: past the remaining comparisons and the allow */
            put(e, BPF_JMP | BPF_JEQ | BPF_K, pct_ioctl_trapped[i], (unsigned char)(pct_ioctl_trapped_count - i), 0);
        }
        ret(e, allow);
        ret(e, trace);
        break;
    case CO_EITHER_NONZERO:
        trace_if_nonzero(e, s->cond_arg, trace);
        trace_if_nonzero(e, (int)s->cond_val, trace);
        ret(e, allow);
        break;
    case CO_FLAG_CLEAR: case CO_FLAG_SET: {
        const int set = s->cond == CO_FLAG_SET;
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JSET | BPF_K, s->cond_val, 0, 1);
        ret(e, set ? trace : allow);
        ret(e, set ? allow : trace);
        break;
    }
    case CO_BELOW:
        load(e, ARG_LO(s->cond_arg));
        put(e, BPF_JMP | BPF_JGE | BPF_K, s->cond_val, 1, 0);
        ret(e, trace);
        ret(e, allow);
        break;
    case CO_FCNTL:
        load(e, ARG_LO(0));
        put(e, BPF_JMP | BPF_JGT | BPF_K, 2, 1, 0);                /* 0-2: trace */
        ret(e, trace);
        put(e, BPF_JMP | BPF_JGE | BPF_K, PCT_SAVED_FD_MIN, 0, 1); /* 10 and up: trace */
        ret(e, trace);
        load(e, ARG_LO(1));
        put(e, BPF_JMP | BPF_JEQ | BPF_K, F_SETPIPE_SZ, 4, 0);
        put(e, BPF_JMP | BPF_JEQ | BPF_K, F_SETFL, 0, 2);
        load(e, ARG_LO(2));
        put(e, BPF_JMP | BPF_JSET | BPF_K, O_DIRECT, 1, 0);
        ret(e, allow);
        ret(e, trace);
        break;
    }
}

/* The table's first rows are the calls trapped most often (read, write, stat, open); after them,
 * the calls most often made that no row traps are let through before the rest of the rows */
#define PCT_HOT_ROWS 16
static void allow_untrapped_hot(struct emitter *e)
{
    for (unsigned i = 0; i < pct_untrapped_hot_count; i++) {
        int in_table = 0;
        for (unsigned j = 0; j < pct_syscall_count; j++) in_table |= pct_syscalls[j].nr == pct_untrapped_hot[i];
        if (in_table) continue; /* a row decides it */
        put(e, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)pct_untrapped_hot[i], 0, 1);
        ret(e, SECCOMP_RET_ALLOW);
    }
}

unsigned pct_build_filter(struct sock_filter *prog, int notify, int lazy)
{
    struct emitter e = { prog, 0, PCT_FILTER_MAX };
    /* a 32-bit process (int 0x80) or the x32 ABI: trapped, so the tracer flags it */
    load(&e, offsetof(struct seccomp_data, arch));
    put(&e, BPF_JMP | BPF_JEQ | BPF_K, PCT_AUDIT_ARCH, 1, 0);
    ret(&e, SECCOMP_RET_TRACE | PCT_DATA_FOREIGN_ABI);
    load(&e, offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
    put(&e, BPF_JMP | BPF_JSET | BPF_K, 0x40000000u, 0, 1);
    ret(&e, SECCOMP_RET_TRACE | PCT_DATA_X32);
#endif
    put(&e, BPF_JMP | BPF_JGE | BPF_K, PCT_FIRST_UNKNOWN_NR, 0, 1);
    ret(&e, SECCOMP_RET_TRACE | PCT_DATA_UNKNOWN);
    for (unsigned i = 0; i < pct_syscall_count; i++) {
        if (i == PCT_HOT_ROWS) allow_untrapped_hot(&e);
        unsigned at = e.n;
        put(&e, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)pct_syscalls[i].nr, 0, 0);
        emit_row(&e, &pct_syscalls[i], i, notify, lazy);
        if (e.n < PCT_FILTER_MAX) prog[at].jf = (unsigned char)(e.n - at - 1);
    }
    ret(&e, SECCOMP_RET_ALLOW);
    return e.n < PCT_FILTER_MAX ? e.n : 0;
}

/* The row of the table named name, or -1. */
static int row_named(const char *name)
{
    for (unsigned i = 0; i < pct_syscall_count; i++) {
        if (strcmp(pct_syscalls[i].name, name) == 0) return (int)i;
    }
    return -1;
}

unsigned pct_build_look_filter(struct sock_filter *prog, unsigned cap, int fd)
{
    /* the looks, and the copies of the copy (which the first filter lets by from fds 3-9) */
    static const char *const calls[] = { "fstat", "lseek", "newfstatat", "statx", "dup", "dup2", "dup3", "fcntl" };
    struct sock_filter buf[PCT_LOOK_FILTER_MAX];
    struct emitter e = { buf, 0, PCT_LOOK_FILTER_MAX };
    load(&e, offsetof(struct seccomp_data, arch));
    put(&e, BPF_JMP | BPF_JEQ | BPF_K, PCT_AUDIT_ARCH, 1, 0);
    ret(&e, SECCOMP_RET_ALLOW); /* another ABI: the first filter decides */
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        const int index = row_named(calls[i]);
        if (index < 0) continue; /* not on this arch (dup2 on aarch64) */
        const struct pct_syscall *row = &pct_syscalls[index];
        load(&e, offsetof(struct seccomp_data, nr));
        const unsigned at = e.n;
        put(&e, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)row->nr, 0, 0);
        if (row->cond == CO_STAT_FD) { /* by fd only with AT_EMPTY_PATH: a path goes on as before */
            load(&e, ARG_LO(row->cond_arg));
            put(&e, BPF_JMP | BPF_JSET | BPF_K, AT_EMPTY_PATH, 1, 0);
            ret(&e, SECCOMP_RET_ALLOW);
        } else if (row->cls == CL_FCNTL) { /* its copies only */
            load(&e, ARG_LO(1));
            put(&e, BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD, 2, 0);
            put(&e, BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD_CLOEXEC, 1, 0);
            ret(&e, SECCOMP_RET_ALLOW);
        }
        load(&e, ARG_LO(0));
        put(&e, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)fd, 0, 1);
        ret(&e, SECCOMP_RET_TRACE | (unsigned)index);
        ret(&e, SECCOMP_RET_ALLOW);
        buf[at].jf = (unsigned char)(e.n - at - 1);
    }
    ret(&e, SECCOMP_RET_ALLOW);
    if (e.n > cap || e.n >= PCT_LOOK_FILTER_MAX) return 0;
    memcpy(prog, buf, e.n * sizeof *buf);
    return e.n;
}

unsigned pct_build_write_filter(struct sock_filter *prog, unsigned cap)
{
    struct sock_filter buf[PCT_WRITE_FILTER_MAX];
    struct emitter e = { buf, 0, PCT_WRITE_FILTER_MAX };
    const int write_row = row_named("write"), writev_row = row_named("writev");
    if (write_row < 0 || writev_row < 0) return 0;
    load(&e, offsetof(struct seccomp_data, arch));
    put(&e, BPF_JMP | BPF_JEQ | BPF_K, PCT_AUDIT_ARCH, 1, 0);
    ret(&e, SECCOMP_RET_ALLOW); /* another ABI: the first filter decides */
    load(&e, offsetof(struct seccomp_data, nr));
    put(&e, BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 0, 1);
    ret(&e, SECCOMP_RET_TRACE | (unsigned)write_row);
    put(&e, BPF_JMP | BPF_JEQ | BPF_K, __NR_writev, 0, 1);
    ret(&e, SECCOMP_RET_TRACE | (unsigned)writev_row);
    ret(&e, SECCOMP_RET_ALLOW);
    if (e.n > cap || e.n >= PCT_WRITE_FILTER_MAX) return 0;
    memcpy(prog, buf, e.n * sizeof *buf);
    return e.n;
}
