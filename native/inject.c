#define _GNU_SOURCE
#include "inject.h"
#include "paths.h"
#include <elf.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>

/* Threads between the two stops: few at once (a shell's `exec 6>&1` is one call) */
#define INJECTING_CAP 32
/* below the stack pointer: past x86_64's red zone (128 bytes), which the interrupted function may use */
#define BELOW_SP 256

/* what the program held where the filter was written: put back at the exit (a coroutine's small
 * stack may have live data below its stack pointer: hunt 15) */
#define SAVED_CAP 2048
static struct { int tid; int filters; struct user_regs_struct regs; uint64_t at; size_t len; unsigned char saved[SAVED_CAP]; } injecting[INJECTING_CAP];

/* How many seccomp filters the thread has (/proc/TID/status, Linux 5.9+), or -1: a program's own
 * filter may answer seccomp(2) with a made-up success, which only this count tells (hunt 14). */
static int filter_count(int tid)
{
    return (int)status_number(tid, "Seccomp_filters");
}

static int regs_get(int tid, struct user_regs_struct *r)
{
    struct iovec iov = { r, sizeof *r };
    return ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}

static int regs_set(int tid, struct user_regs_struct *r)
{
    struct iovec iov = { r, sizeof *r };
    return ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}

#if defined(__x86_64__)
#define SP(r) ((r).rsp)
#define SYSCALL_INSN 2 /* syscall */
static int turn(int tid, struct user_regs_struct r, uint64_t prog)
{
    r.orig_rax = __NR_seccomp;
    r.rdi = SECCOMP_SET_MODE_FILTER;
    r.rsi = SECCOMP_FILTER_FLAG_TSYNC;
    r.rdx = prog;
    return regs_set(tid, &r);
}
static int put_back(int tid, struct user_regs_struct r)
{
    r.rax = r.orig_rax; /* the call's number, as the syscall instruction takes it */
    r.rip -= SYSCALL_INSN;
    return regs_set(tid, &r);
}
static long result_of(const struct user_regs_struct *r) { return (long)r->rax; }
#elif defined(__aarch64__)
#define SP(r) ((r).sp)
#define SYSCALL_INSN 4 /* svc #0 */
static int turn(int tid, struct user_regs_struct r, uint64_t prog)
{
    r.regs[0] = SECCOMP_SET_MODE_FILTER;
    r.regs[1] = SECCOMP_FILTER_FLAG_TSYNC;
    r.regs[2] = prog;
    if (regs_set(tid, &r) < 0) return -1;
    int nr = __NR_seccomp;
    struct iovec sys = { &nr, sizeof nr };
    return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sys) < 0 ? -1 : 0;
}
static int put_back(int tid, struct user_regs_struct r)
{
    r.pc -= SYSCALL_INSN; /* x8 still holds the call's number, x0 its first argument */
    return regs_set(tid, &r);
}
static long result_of(const struct user_regs_struct *r) { return (long)r->regs[0]; }
#endif

static int slot_of(int tid)
{
    for (int i = 0; i < INJECTING_CAP; i++) if (injecting[i].tid == tid) return i;
    return -1;
}

int pct_injecting(int tid)
{
    return tid != 0 && slot_of(tid) >= 0;
}

int pct_inject_begin(int tid, const struct sock_filter *prog, unsigned len)
{
    const int i = slot_of(0);
    if (i < 0 || len == 0) return -1;
    struct user_regs_struct r;
    if (regs_get(tid, &r) < 0) return -1;
    /* the program, then the struct sock_fprog that points at it, 16-byte aligned */
    const size_t code = len * sizeof *prog;
    const uint64_t at = (SP(r) - BELOW_SP - code - sizeof(struct sock_fprog)) & ~(uint64_t)15;
    struct sock_fprog fprog = { (unsigned short)len, (struct sock_filter *)(uintptr_t)at };
    struct iovec local[2] = { { (void *)prog, code }, { &fprog, sizeof fprog } };
    struct iovec remote = { (void *)(uintptr_t)at, code + sizeof fprog };
    if (code + sizeof fprog > SAVED_CAP) return -1;
    struct iovec keep = { injecting[i].saved, code + sizeof fprog };
    if (process_vm_readv(tid, &keep, 1, &remote, 1, 0) != (ssize_t)(code + sizeof fprog)) return -1;
    if (process_vm_writev(tid, local, 2, &remote, 1, 0) != (ssize_t)(code + sizeof fprog)) return -1;
    if (turn(tid, r, at + code) < 0) {
        struct iovec back = { injecting[i].saved, code + sizeof fprog };
        process_vm_writev(tid, &back, 1, &remote, 1, 0);
        regs_set(tid, &r);
        return -1;
    }
    injecting[i].tid = tid;
    injecting[i].at = at;
    injecting[i].len = code + sizeof fprog;
    injecting[i].filters = filter_count(tid);
    injecting[i].regs = r;
    return 0;
}

long pct_inject_end(int tid)
{
    const int i = slot_of(tid);
    if (i < 0) return -1;
    injecting[i].tid = 0;
    struct user_regs_struct now;
    long result = regs_get(tid, &now) < 0 ? -1 : result_of(&now);
    struct iovec back = { injecting[i].saved, injecting[i].len }, where = { (void *)(uintptr_t)injecting[i].at, injecting[i].len };
    if (process_vm_writev(tid, &back, 1, &where, 1, 0) != (ssize_t)injecting[i].len) return PCT_INJECT_LOST;
    if (put_back(tid, injecting[i].regs) < 0) return PCT_INJECT_LOST;
    const int before = injecting[i].filters, after = filter_count(tid);
    if (result == 0 && before >= 0 && after >= 0 && after != before + 1) result = -1; /* not added, whatever it said */
    return result;
}
