/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one header shared by the kernel programs (contxray.bpf.c) and user space.
 * Plain C only: fixed-width types, no pointers, explicit padding, so the Java view
 * (io.contxray.bpf.Layout) can be checked against it by LayoutTest.
 */
#ifndef CONTXRAY_H
#define CONTXRAY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Containers recorded at once; a slot indexes the per-container counter tables. */
#define CX_MAX_SLOTS 256
/* Syscall numbers below this are counted; larger ones go to out_of_range. */
#define CX_NR_SYSCALLS 512
/* Cgroups (containers and their child cgroups) in the filter map. */
#define CX_MAX_CGROUPS 4096

/* Phase of a syscall relative to the runtime installing the container's seccomp filter:
 * BEFORE: the task had no seccomp filter yet (runtime set-up, or an unconfined container);
 * FILTERED: the task already runs under a seccomp filter, so a profile must allow it. */
#define CX_PHASE_BEFORE 0
#define CX_PHASE_FILTERED 1
#define CX_PHASES 2

/* Value of the recorded_cgroups map (key: __u64 cgroup v2 id). */
struct cx_cgroup_entry {
	__u32 slot;
	__u32 flags; /* CX_CGROUP_* */
};
#define CX_CGROUP_ROOT 0x1  /* the container's own cgroup, removed by user space */
#define CX_CGROUP_CHILD 0x2 /* a child cgroup added by the kernel on cgroup_mkdir */

/* cgroup_filter: a direct-mapped array in front of recorded_cgroups, indexed by the low
 * CX_FILTER_BITS bits of the cgroup id, so that a syscall finds its slot without the hash
 * lookup's function call (+37 ns measured where returns are mitigated). A bucket (__u64)
 * is 0 (no recorded cgroup maps here), (id & ~CX_FILTER_LOW_MASK) | (slot + 1) for exactly one
 * recorded cgroup, or has all low bits set (CX_FILTER_SHARED): more than one may map here, ask
 * recorded_cgroups. Written only with atomics, by the filter_update program and cgroup_mkdir. */
#define CX_FILTER_BITS 16
#define CX_FILTER_SIZE (1 << CX_FILTER_BITS)
#define CX_FILTER_LOW_MASK (CX_FILTER_SIZE - 1)
#define CX_FILTER_SHARED CX_FILTER_LOW_MASK

/* Context of the filter_update program, which user space runs with BPF_PROG_TEST_RUN. */
struct cx_filter_update {
	__u64 cgroup_id;
	__u32 slot;
	__u32 op; /* CX_FILTER_* */
};
#define CX_FILTER_ADD 1
#define CX_FILTER_REMOVE 2

/* Value of the per-CPU syscall_counts array; key = slot * CX_PHASES + phase. */
struct cx_syscall_counts {
	__u64 native[CX_NR_SYSCALLS]; /* the task's own ABI (x86_64, aarch64) */
	__u64 compat[CX_NR_SYSCALLS]; /* 32-bit compat entries (x86 int 0x80 / ia32) */
	__u64 out_of_range;           /* numbers >= CX_NR_SYSCALLS that are not x32 calls (see x32_counts) */
};

/* x32 ABI calls (x86_64 only) carry this bit in their number; x32 numbers stop at 547. Value of
 * the per-CPU x32_counts array, same key as syscall_counts; filled only on the out-of-range path. */
#define CX_X32_BIT 0x40000000
#define CX_NR_X32 548
struct cx_x32_counts {
	__u64 calls[CX_NR_X32];
};

/* Kernel functions that check capabilities without auditing them (CAP_OPT_NOAUDIT), told apart
 * by their address range in the check's kernel stack; the first CX_CAP_STACK_DEPTH frames are
 * looked at (the tracepoint's own frames, cap_capable, security_capable, then the caller). */
#define CX_NOAUDIT_CALLERS 4
#define CX_CAP_STACK_DEPTH 8

/* Settings written into .rodata before load (const volatile in the program). */
struct cx_settings {
	__u32 max_slots;
	__u32 pad;
	/* [start, end) of each no-audit caller, from /proc/kallsyms; unused entries and a kernel
	 * whose symbols could not be read are 0: then no check is taken for a no-audit one. */
	__u64 noaudit_start[CX_NOAUDIT_CALLERS];
	__u64 noaudit_end[CX_NOAUDIT_CALLERS];
};

/* ---- Process events: BPF ring buffer `events`, read by user space ---- */

/* Ring buffer size in bytes (a power of two, a multiple of the page size). */
#define CX_EVENTS_SIZE (8 * 1024 * 1024)
/* Bounds of the strings copied into exec events. */
#define CX_COMM_LEN 16
#define CX_FILENAME_LEN 256
#define CX_ARGS_LEN 512

/* cx_event_header.type; also the second index of the event_drops counters. */
#define CX_EVENT_EXEC 1
#define CX_EVENT_FORK 2
#define CX_EVENT_EXIT 3
#define CX_EVENT_TYPES 4 /* 0 is unused */

/* cx_exec_event.flags */
#define CX_EXEC_ARGS_TRUNCATED 0x1     /* mm's argument area was longer than CX_ARGS_LEN */
#define CX_EXEC_FILENAME_TRUNCATED 0x2 /* filename filled the buffer: may have been cut */

/* Starts every event. ts_ns: bpf_ktime_get_boot_ns() (CLOCK_BOOTTIME). pid is the thread group
 * id (what user space calls the pid), tid the thread's own id. */
struct cx_event_header {
	__u32 type; /* CX_EVENT_* */
	__u32 slot;
	__u64 ts_ns;
	__u32 pid;
	__u32 tid;
};

/* sched_process_exec: after a successful execve, in the new program. */
struct cx_exec_event {
	struct cx_event_header hdr;
	__u32 ppid;     /* real_parent's tgid */
	__u32 uid;      /* real uid and gid, as seen by the host */
	__u32 gid;
	__u32 argc;     /* the full argument count (bprm->argc), even when args is truncated */
	__u32 args_len; /* bytes valid in args: NUL-separated arguments */
	__u32 flags;    /* CX_EXEC_* */
	char comm[CX_COMM_LEN];
	char filename[CX_FILENAME_LEN]; /* as passed to execve (bprm->filename), NUL-terminated */
	char args[CX_ARGS_LEN];
};

/* sched_process_fork of a new process (threads are not reported). hdr.pid/tid: the parent. */
struct cx_fork_event {
	struct cx_event_header hdr;
	__u32 child_pid;
	__u32 pad;
	char comm[CX_COMM_LEN];
};

/* sched_process_exit of a thread group leader. exit_code: task->exit_code, a wait(2) status
 * ((code << 8) | signal). */
struct cx_exit_event {
	struct cx_event_header hdr;
	__u32 exit_code;
	__u32 pad;
	char comm[CX_COMM_LEN];
};

/* TCP state changes of a recorded container's sockets (tracepoint inet_sock_set_state),
 * filtered by the socket's cgroup: an accepted connection becomes ESTABLISHED in softirq
 * context, where the current task is anyone. Drops are counted in net_drops (per slot). */
#define CX_EVENT_NET 5
#define CX_NET_CONNECT 1 /* CLOSE -> SYN_SENT: connect() */
#define CX_NET_LISTEN 2  /* CLOSE -> LISTEN: listen() */
#define CX_NET_ACCEPT 3  /* SYN_RECV -> ESTABLISHED: a connection the listener accepts */

/* hdr.pid/tid are the current task's: meaningful for CONNECT and LISTEN only. Ports in host
 * order; addresses in network order, IPv4 in the first 4 bytes. */
struct cx_net_event {
	struct cx_event_header hdr;
	__u32 kind;   /* CX_NET_* */
	__u16 family; /* AF_INET, AF_INET6 */
	__u16 lport;  /* local port */
	__u16 rport;  /* remote port */
	__u16 pad;
	__u8 laddr[16];
	__u8 raddr[16];
	char comm[CX_COMM_LEN];
	__u32 pad2;
};

/* Key of the per-CPU event_drops array: events the ring buffer had no room for. */
#define CX_DROPS_KEY(slot, type) ((slot) * CX_EVENT_TYPES + (type))

/* Drops of the event types added after event_drops' size was fixed by its pin (file,
 * capability, and room for more): per-CPU type_drops, key CX_TYPE_DROPS_KEY(slot, type). */
#define CX_DROP_TYPES 16
#define CX_TYPE_DROPS_KEY(slot, type) ((slot) * CX_DROP_TYPES + (type))

/* ---- File events: per-syscall tracepoints syscalls/sys_exit_*, where the result is known and
 * the path argument's page is resident (at sys_enter it may not be, and a BPF read cannot fault) */
#define CX_EVENT_FILE 6
#define CX_PATH_LEN 256
/* The directory a relative path was resolved against, walked up from the dirfd's or cwd's dentry:
 * the names leaf first, each NUL-terminated, at most CX_DIR_DEPTH of them. */
#define CX_DIR_LEN 512
#define CX_DIR_DEPTH 32
#define CX_NAME_LEN 256 /* NAME_MAX + 1 */

/* cx_file_event.op */
#define CX_FILE_OPEN 1
#define CX_FILE_UNLINK 2
#define CX_FILE_RMDIR 3
#define CX_FILE_RENAME 4
#define CX_FILE_MKDIR 5
#define CX_FILE_CHMOD 6
#define CX_FILE_CHOWN 7
#define CX_FILE_TRUNCATE 8
#define CX_FILE_LINK 9     /* a hard link: path is the existing file, new_path the link */
#define CX_FILE_SYMLINK 10 /* path is the new link, new_path its content (never resolved) */

/* cx_file_event.info */
#define CX_FILE_PATH_TRUNCATED 0x1 /* path filled its buffer and may have been cut */
#define CX_FILE_DIR 0x2            /* path is relative and dir holds its directory */
#define CX_FILE_DIR_TRUNCATED 0x4  /* the walk stopped before the root: dir is only the last names */
#define CX_FILE_DIR_UNKNOWN 0x8    /* path is relative and its directory could not be read */
#define CX_FILE_NEW_PATH 0x10      /* new_path holds rename's or link's target, or a symlink's content */
#define CX_FILE_NEW_DIR_OTHER 0x20 /* rename's relative target is relative to another dirfd: unresolved */

/* A record is cut after path (path_len bytes) when it has neither dir nor new_path, and after dir
 * when it has no new_path: most opens take ~100 bytes of the ring buffer instead of ~1 KiB. */
struct cx_file_event {
	struct cx_event_header hdr;
	__s64 result;   /* the syscall's return value: fd, 0, or -errno */
	__u64 key;      /* this access's repeat_counts hash, or 0 when it is not counted there */
	__u32 op;       /* CX_FILE_* */
	__u32 flags;    /* open flags (O_*); the mode of chmod and mkdir; 0 otherwise */
	__u32 info;     /* CX_FILE_* bits above */
	__u32 path_len; /* bytes of path including its NUL */
	__u32 dir_len;  /* bytes used in dir */
	__u32 pad;
	char comm[CX_COMM_LEN];
	char path[CX_PATH_LEN];
	char dir[CX_DIR_LEN];
	char new_path[CX_PATH_LEN];
};

/* repeat_counts: the same access repeated (a file's op, flags, success or errno, path, directory,
 * new path; a socket's destination and outcome) is counted in the kernel, and only its first time
 * becomes an event, carrying the key's hash: a container opening the same files in a loop costs a
 * hash update, not a ring buffer record. When the map is full, accesses are sent one event each
 * (key 0): slower, nothing lost. */
#define CX_MAX_REPEAT_KEYS 65536
struct cx_repeat_key {
	__u32 slot;
	__u32 type; /* CX_EVENT_FILE, CX_EVENT_SOCK */
	__u64 hash; /* FNV-1a 64 of the access; never 0 */
};

/* ---- Socket destinations: connect() of unix and non-TCP sockets, and sends with an address
 * (sendto, sendmsg), from syscalls/sys_exit_*. TCP connections come from inet_sock_set_state. */
#define CX_EVENT_SOCK 8
#define CX_SOCK_CONNECT 1
#define CX_SOCK_SEND 2
#define CX_UNIX_PATH_LEN 108

struct cx_sock_event {
	struct cx_event_header hdr;
	__s64 result;     /* the syscall's return value (bytes sent, 0, or -errno) */
	__u64 key;        /* repeat_counts hash, or 0 */
	__u32 kind;       /* CX_SOCK_* */
	__u16 family;     /* AF_UNIX, AF_INET, AF_INET6 */
	__u16 port;       /* host order */
	__u16 type;       /* the socket's type: SOCK_DGRAM, SOCK_STREAM, SOCK_RAW, ... */
	__u16 protocol;   /* the socket's protocol: IPPROTO_UDP, IPPROTO_ICMP, ... */
	__u32 path_len;   /* AF_UNIX: bytes of path given (an abstract name starts with a NUL) */
	__u8 addr[16];    /* network order; IPv4 in the first 4 bytes */
	char comm[CX_COMM_LEN];
	char path[CX_UNIX_PATH_LEN]; /* AF_UNIX: sun_path, not necessarily NUL-terminated */
	__u32 pad;
};

/* ---- Capability checks: tracepoint capability:cap_capable (Linux 6.14+) ---- */
#define CX_EVENT_CAP 7
/* Capability numbers below this are counted (CAP_LAST_CAP is 40 in Linux 6.x). */
#define CX_CAPS 64
/* cx_cap_counts.count[cap][outcome]: outcome = (noaudit << 2) | (granted << 1) | runtime.
 * runtime: the check came from the runtime's own init (runc's "runc:[N:...]" processes) before
 * the workload runs. noaudit (never with runtime): the kernel asked without auditing (see
 * cx_settings), to decide something quietly, e.g. memory overcommit's CAP_SYS_ADMIN on every
 * mmap; such checks send no event. */
#define CX_CAP_OUTCOMES 8
#define CX_CAP_NOAUDIT 0x4
#define CX_CAP_GRANTED 0x2
#define CX_CAP_RUNTIME 0x1

/* Value of the cap_counts array, one per slot. Atomic increments: a check's count going from 0
 * to 1 also sends a cx_cap_event, so each (capability, outcome) is seen once as an event. */
struct cx_cap_counts {
	__u64 count[CX_CAPS][CX_CAP_OUTCOMES];
};

struct cx_cap_event {
	struct cx_event_header hdr;
	__u32 cap;
	__u32 outcome; /* CX_CAP_GRANTED | CX_CAP_RUNTIME bits (never CX_CAP_NOAUDIT) */
	char comm[CX_COMM_LEN];
};

/* ---- Argument values: the first argument of the syscalls whose profile rule may be narrowed to
 * the values a container used (socket's address family, personality's persona, the namespace bits
 * of clone's flags: CX_CLONE_NS_MASK only, so that threads and forks make one value). sys_enter counts
 * them per (slot, phase, syscall, value) in the hash map arg_counts, after the slot lookup, for
 * recorded containers only. x86_64 numbers, native calls only: 32-bit code reaches socket through
 * socketcall(2), whose arguments are in user memory, or i386's own numbers; its calls are not
 * recorded here and get no argument filter. The value is the whole register, as seccomp compares it. */
#define CX_NR_SOCKET 41
#define CX_NR_PERSONALITY 135
#define CX_NR_CLONE 56
/* CLONE_NEWNS..CLONE_NEWNET and CLONE_NEWCGROUP: the bits Docker's default profile allows clone
 * only without (SCMP_CMP_MASKED_EQ on argument 0, unless CAP_SYS_ADMIN) */
#define CX_CLONE_NS_MASK 0x7E020000ULL
/* The calls that change a task's ids, x86_64 numbers CX_NR_SETUID (setuid, 105) to CX_NR_SETFSGID
 * (setfsgid, 123), those in CX_SET_ID_CALLS (bit n: number CX_NR_SETUID + n): setuid, setgid,
 * setreuid, setregid, setgroups, setresuid, setresgid, setfsuid, setfsgid. Their first argument is
 * counted too, but only for the workload: the runtime's own init (runc's "runc:[N:...]") sets the
 * container's ids after the seccomp filter when no_new_privileges is off, and capability inference
 * must not take that for the workload's (CAP_SETUID, CAP_SETGID). */
#define CX_NR_SETUID 105
#define CX_NR_SETFSGID 123
#define CX_SET_ID_CALLS 0x65b03
#define CX_MAX_ARG_KEYS 4096
struct cx_arg_key {
	__u32 slot;
	__u16 nr;    /* CX_NR_SOCKET, CX_NR_PERSONALITY, CX_NR_CLONE, a CX_SET_ID_CALLS number */
	__u16 phase; /* CX_PHASE_* */
	__u64 value; /* the first argument (clone's: & CX_CLONE_NS_MASK) */
};
/* Calls whose value found arg_counts full are counted in type_drops under this type (no event has
 * it): a slot whose count is not zero has values missing. */
#define CX_DROP_ARGS 15

#endif /* CONTXRAY_H */
