// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * contxray kernel side: count the syscalls of recorded containers (cgroup v2 ids) per
 * syscall number, per ABI and per seccomp phase, in per-CPU counters read by user space, and
 * the values of the first argument of socket, personality and clone (arg_counts).
 * Everything a syscall from an unrecorded task costs is one hash lookup.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "contxray.h"

/* Not in vmlinux.h (they are #defines in the kernel). */
#define SECCOMP_MODE_FILTER 2
#define TS_COMPAT 0x0002 /* x86: thread_info.status bit set while in an ia32 syscall */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Written by user space before load; the only .rodata variable, so it sits at offset 0.
 * Zero by default: an object loaded without settings counts nothing (and tests notice). */
const volatile struct cx_settings settings = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CX_MAX_CGROUPS);
	__type(key, __u64);
	__type(value, struct cx_cgroup_entry);
} recorded_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS * CX_PHASES);
	__type(key, __u32);
	__type(value, struct cx_syscall_counts);
} syscall_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS * CX_PHASES);
	__type(key, __u32);
	__type(value, struct cx_x32_counts);
} x32_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CX_FILTER_SIZE);
	__type(key, __u32);
	__type(value, __u64);
} cgroup_filter SEC(".maps");

static __always_inline __u64 filter_value(__u64 cgid, __u32 slot)
{
	return (cgid & ~(__u64)CX_FILTER_LOW_MASK) | (slot + 1);
}

/* An empty bucket takes the cgroup; a bucket of another cgroup becomes shared. Lock-free, since
 * user space (filter_update) and cgroup_mkdir may write the same bucket at once; setting the low
 * bits is always safe: it only sends readers to the hash map. */
static __always_inline void filter_add(__u64 cgid, __u32 slot)
{
	__u32 key = cgid & CX_FILTER_LOW_MASK;
	__u64 want = filter_value(cgid, slot);
	__u64 *bucket, old;

	bucket = bpf_map_lookup_elem(&cgroup_filter, &key);
	if (!bucket)
		return;
	old = __sync_val_compare_and_swap(bucket, 0, want);
	if (old == 0 || old == want)
		return;
	__sync_fetch_and_or(bucket, CX_FILTER_SHARED);
}

/* Empties the bucket if it holds exactly this cgroup. A shared bucket stays shared: it costs a
 * hash lookup for the cgroups that map to it, and never a missed one. */
static __always_inline void filter_remove(__u64 cgid, __u32 slot)
{
	__u32 key = cgid & CX_FILTER_LOW_MASK;
	__u64 *bucket;

	bucket = bpf_map_lookup_elem(&cgroup_filter, &key);
	if (!bucket)
		return;
	__sync_val_compare_and_swap(bucket, filter_value(cgid, slot), 0);
}

static __always_inline int checked_slot(__u32 slot)
{
	if (slot >= settings.max_slots || slot >= CX_MAX_SLOTS)
		return -1;
	return slot;
}

/* The slot recording this cgroup, or -1. Every syscall on the host comes here: the common
 * answer (nothing recorded maps to this bucket) costs one inlined array load. */
static __always_inline int slot_of(__u64 cgid)
{
	__u32 key = cgid & CX_FILTER_LOW_MASK;
	struct cx_cgroup_entry *entry;
	__u64 *bucket, v;

	bucket = bpf_map_lookup_elem(&cgroup_filter, &key);
	if (!bucket)
		return -1;
	v = *bucket;
	if (!v)
		return -1;
	if ((v & CX_FILTER_LOW_MASK) != CX_FILTER_SHARED) {
		if ((v ^ cgid) & ~(__u64)CX_FILTER_LOW_MASK)
			return -1; /* another cgroup's bucket */
		return checked_slot((v & CX_FILTER_LOW_MASK) - 1);
	}
	entry = bpf_map_lookup_elem(&recorded_cgroups, &cgid);
	if (!entry)
		return -1;
	return checked_slot(entry->slot);
}

/* User space adds and removes its cgroups here (BPF_PROG_TEST_RUN), so that all writes to
 * cgroup_filter are atomic. */
SEC("syscall")
int filter_update(struct cx_filter_update *ctx)
{
	if (ctx->op == CX_FILTER_ADD)
		filter_add(ctx->cgroup_id, ctx->slot);
	else if (ctx->op == CX_FILTER_REMOVE)
		filter_remove(ctx->cgroup_id, ctx->slot);
	return 0;
}

/* An x32 ABI call (a native task, bit 30 set, a number x32 has): counted per number. Reached only
 * for numbers past the native table, so ordinary calls pay nothing for it. */
static __always_inline bool count_x32(__u32 key, long id, bool compat)
{
	struct cx_x32_counts *x32;
	unsigned long nr = (unsigned long)id & ~(unsigned long)CX_X32_BIT;

	if (compat || !(id & CX_X32_BIT) || nr >= CX_NR_X32)
		return false;
	x32 = bpf_map_lookup_elem(&x32_counts, &key);
	if (!x32)
		return false;
	x32->calls[nr]++;
	return true;
}

/* Shared by both sys_enter variants; slot is a checked slot_of() result. */
static __always_inline void count_syscall(int slot, long id, bool filtered, bool compat)
{
	struct cx_syscall_counts *counts;
	__u32 key;

	key = slot * CX_PHASES + (filtered ? CX_PHASE_FILTERED : CX_PHASE_BEFORE);
	counts = bpf_map_lookup_elem(&syscall_counts, &key);
	if (!counts)
		return;
	/* Per-CPU value: no other CPU writes it, so a plain increment is enough. The
	 * unsigned compare also sends negative ids (-1 from ptrace tricks) to out_of_range. */
	if ((unsigned long)id >= CX_NR_SYSCALLS) {
		if (!count_x32(key, id, compat))
			counts->out_of_range++;
	} else if (compat)
		counts->compat[id]++;
	else
		counts->native[id]++;
}

/* Values of the first argument of socket, personality, clone and the set-id calls, per slot and phase
 * (see contxray.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CX_MAX_ARG_KEYS);
	__type(key, struct cx_arg_key);
	__type(value, __u64);
} arg_counts SEC(".maps");

static __always_inline void count_drop(__u32 slot, __u32 type);

/* Rare: only socket, personality, clone and the workload's set-id calls of recorded containers come
 * here. A full map is counted (CX_DROP_ARGS), so user space knows the values it has are not all. */
static __always_inline void count_arg(int slot, long id, bool filtered, __u64 value)
{
	struct cx_arg_key k = {.slot = slot, .nr = id, .phase = filtered ? CX_PHASE_FILTERED : CX_PHASE_BEFORE,
			       .value = value};
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&arg_counts, &k);
	if (!n && bpf_map_update_elem(&arg_counts, &k, &one, BPF_NOEXIST) == 0)
		return;
	if (!n)
		n = bpf_map_lookup_elem(&arg_counts, &k); /* another CPU inserted it meanwhile */
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		count_drop(slot, CX_DROP_ARGS);
}

/* runc's init processes rename themselves "runc:[0:PARENT]", "runc:[1:CHILD]", "runc:[2:INIT]":
 * what they do sets up the container and is not the workload's. */
static __always_inline bool comm_is_runtime(const char *c)
{
	return c[0] == 'r' && c[1] == 'u' && c[2] == 'n' && c[3] == 'c' && c[4] == ':' && c[5] == '[';
}

/* An id-changing call of the workload (CX_SET_ID_CALLS); the runtime's own are not counted. */
static __always_inline bool workload_set_id_call(long id)
{
	char comm[CX_COMM_LEN];

	if (!((CX_SET_ID_CALLS >> (id - CX_NR_SETUID)) & 1))
		return false;
	bpf_get_current_comm(comm, sizeof(comm));
	return !comm_is_runtime(comm);
}

/* What a recorded syscall pays for arg_counts: four compares, the rest only for socket,
 * personality, clone and the numbers around the set-id calls. The empty asm statements keep them
 * plain branches: clang folds `a || b` and the compat test into ten branch-free instructions otherwise. */
#define COUNT_ARG(slot, id, filtered, compat, read_arg)				\
	do {									\
		__u64 value;							\
		if ((id) != CX_NR_SOCKET) {					\
			asm volatile("");					\
			if ((id) != CX_NR_PERSONALITY) {			\
				asm volatile("");				\
				if ((id) != CX_NR_CLONE) {			\
					asm volatile("");			\
					if ((unsigned long)((id) - CX_NR_SETUID) > \
					    CX_NR_SETFSGID - CX_NR_SETUID)	\
						break;				\
					if (!workload_set_id_call(id))		\
						break;				\
				}						\
			}							\
		}								\
		asm volatile("");						\
		if (compat)							\
			break;							\
		value = read_arg;						\
		if ((id) == CX_NR_CLONE)					\
			value &= CX_CLONE_NS_MASK;				\
		count_arg(slot, id, filtered, value);				\
	} while (0)

static __always_inline bool task_is_compat(struct task_struct *task)
{
	/* x86 only; on other architectures (or if the field is renamed) everything is native. */
	if (!bpf_core_field_exists(task->thread_info.status))
		return false;
	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
}

static __always_inline bool task_is_filtered(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->seccomp))
		return false;
	return BPF_CORE_READ(task, seccomp.mode) == SECCOMP_MODE_FILTER;
}

/* The same tests as task_is_filtered/task_is_compat, on a trusted BTF pointer: plain loads
 * (CO-RE relocated) instead of a bpf_probe_read_kernel call each, on every recorded syscall. */
static __always_inline bool btf_task_is_compat(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->thread_info.status))
		return false;
	return task->thread_info.status & TS_COMPAT;
}

static __always_inline bool btf_task_is_filtered(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->seccomp))
		return false;
	return task->seccomp.mode == SECCOMP_MODE_FILTER;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	int slot;

	/* Filter first: every syscall on the host passes here. The id is what
	 * bpf_get_current_cgroup_id() returns (the default hierarchy's cgroup), read with plain
	 * loads: bpf_get_current_cgroup_id() alone measured +60 ns where returns are mitigated. */
	slot = slot_of(task->cgroups->dfl_cgrp->kn->id);
	if (slot < 0)
		return 0;
	count_syscall(slot, id, btf_task_is_filtered(task), btf_task_is_compat(task));
	/* The task's fields are read again, and regs through the task rather than ctx, on the rare
	 * path only: keeping them would cost every recorded syscall a spill. */
	COUNT_ARG(slot, id, btf_task_is_filtered(task), btf_task_is_compat(task),
		  PT_REGS_PARM1_SYSCALL((struct pt_regs *)bpf_task_pt_regs(task)));
	return 0;
}

/* Fallback for kernels where tp_btf cannot be attached: the same counting, with the task
 * read through bpf_get_current_task() and probe reads. */
SEC("raw_tracepoint/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	int slot = slot_of(bpf_get_current_cgroup_id());
	struct task_struct *task;
	long id;

	if (slot < 0)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	id = (long)ctx->args[1];
	count_syscall(slot, id, task_is_filtered(task), task_is_compat(task));
	COUNT_ARG(slot, id, task_is_filtered(task), task_is_compat(task),
		  PT_REGS_PARM1_CORE_SYSCALL((struct pt_regs *)ctx->args[0]));
	return 0;
}

/* A child cgroup of a recorded cgroup belongs to the same container (systemd inside a
 * container, runc's nested cgroups): record it under the parent's slot. */
static __always_inline void track_mkdir(struct cgroup *cgrp)
{
	struct cx_cgroup_entry *parent_entry;
	struct cx_cgroup_entry child_entry = {};
	__u64 parent_id, id;

	/* Only the default (v2) hierarchy has the ids bpf_get_current_cgroup_id() returns. */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return;
	parent_id = BPF_CORE_READ(cgrp, self.parent, cgroup, kn, id);
	parent_entry = bpf_map_lookup_elem(&recorded_cgroups, &parent_id);
	if (!parent_entry)
		return;
	id = BPF_CORE_READ(cgrp, kn, id);
	child_entry.slot = parent_entry->slot;
	child_entry.flags = CX_CGROUP_CHILD;
	/* BPF_NOEXIST: never turn a user-space ROOT entry into a CHILD one. The hash entry
	 * first: a reader sent to the hash by a shared bucket must find it. */
	if (bpf_map_update_elem(&recorded_cgroups, &id, &child_entry, BPF_NOEXIST) == 0)
		filter_add(id, child_entry.slot);
}

static __always_inline void track_rmdir(struct cgroup *cgrp)
{
	struct cx_cgroup_entry *entry;
	__u64 id;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return;
	id = BPF_CORE_READ(cgrp, kn, id);
	entry = bpf_map_lookup_elem(&recorded_cgroups, &id);
	/* ROOT entries belong to user space, which removes them when the recording stops. */
	if (!entry || !(entry->flags & CX_CGROUP_CHILD))
		return;
	filter_remove(id, entry->slot);
	bpf_map_delete_elem(&recorded_cgroups, &id);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(cgroup_mkdir_btf, struct cgroup *cgrp, const char *path)
{
	track_mkdir(cgrp);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(cgroup_rmdir_btf, struct cgroup *cgrp, const char *path)
{
	track_rmdir(cgrp);
	return 0;
}

SEC("raw_tracepoint/cgroup_mkdir")
int cgroup_mkdir_raw(struct bpf_raw_tracepoint_args *ctx)
{
	track_mkdir((struct cgroup *)ctx->args[0]);
	return 0;
}

SEC("raw_tracepoint/cgroup_rmdir")
int cgroup_rmdir_raw(struct bpf_raw_tracepoint_args *ctx)
{
	track_rmdir((struct cgroup *)ctx->args[0]);
	return 0;
}

/* ---- Process events (exec, fork, exit) into the `events` ring buffer ---- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CX_EVENTS_SIZE);
} events SEC(".maps");

/* Per-CPU count of events the ring buffer had no room for; key CX_DROPS_KEY(slot, type). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS * CX_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} event_drops SEC(".maps");

/* Per-CPU count of net events the ring buffer had no room for, per slot (CX_EVENT_NET is beyond
 * event_drops' CX_EVENT_TYPES, whose size a pinned map fixes). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} net_drops SEC(".maps");

/* Per-CPU drops of the event types added later (file, capability); key CX_TYPE_DROPS_KEY. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS * CX_DROP_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} type_drops SEC(".maps");

/* The slot of the current task's cgroup, or -1 when it is not recorded. */
static __always_inline int current_slot(void)
{
	return slot_of(bpf_get_current_cgroup_id());
}

/* Nothing is dropped silently: a full ring buffer is counted per slot and event type. */
static __always_inline void count_drop(__u32 slot, __u32 type)
{
	__u32 key;
	__u64 *n;

	if (type == CX_EVENT_NET) {
		key = slot;
		n = bpf_map_lookup_elem(&net_drops, &key);
	} else if (type >= CX_EVENT_TYPES) {
		key = CX_TYPE_DROPS_KEY(slot, type);
		n = bpf_map_lookup_elem(&type_drops, &key);
	} else {
		key = CX_DROPS_KEY(slot, type);
		n = bpf_map_lookup_elem(&event_drops, &key);
	}
	if (!n)
		return;
	(*n)++;
}

static __always_inline void fill_header(struct cx_event_header *h, __u32 type, __u32 slot)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	h->type = type;
	h->slot = slot;
	h->ts_ns = bpf_ktime_get_boot_ns();
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
}

/* Wake the consumer once per batch: when a record of `size` bytes takes the data waiting in the
 * ring buffer across CX_WAKEUP_BYTES. The kernel's default wakes it for every record while it
 * keeps up, and at a few hundred thousand events a second those wake-ups (an irq_work and a
 * cross-CPU wake each) cost the recorded task more than building the events. The consumer's poll
 * timeout (EventPump) delivers a batch that stays below the threshold, and one whose wake-up two
 * CPUs raced past. `waiting` is read after the record was reserved (submit) or before (output). */
#define CX_WAKEUP_BYTES (CX_EVENTS_SIZE / 32)

static __always_inline __u64 wakeup_flag(__u64 waiting_before, __u64 size)
{
	return waiting_before < CX_WAKEUP_BYTES && waiting_before + size >= CX_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
											       : BPF_RB_NO_WAKEUP;
}

static __always_inline void submit_event(void *e, __u64 size)
{
	__u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, wakeup_flag(waiting > size ? waiting - size : 0, size));
}

/* bpf_ringbuf_output with the batch wake-up of submit_event. */
static __always_inline long output_event(void *e, __u64 size)
{
	return bpf_ringbuf_output(&events, e, size, wakeup_flag(bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA), size));
}

/* Room for one event of `size` bytes with its header filled, or NULL (the drop counted). */
static __always_inline void *reserve_event(__u64 size, __u32 type, __u32 slot)
{
	struct cx_event_header *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_drop(slot, type);
		return NULL;
	}
	fill_header(h, type, slot);
	return h;
}

/* Reads go through BPF_CORE_READ so that the tp_btf and raw_tracepoint variants share them. */
static __always_inline void emit_exec(__u32 slot, struct task_struct *task, struct linux_binprm *bprm)
{
	struct cx_exec_event *e;
	unsigned long arg_start, arg_end, len;
	__u64 uid_gid;
	long n;

	e = reserve_event(sizeof(*e), CX_EVENT_EXEC, slot);
	if (!e)
		return;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	uid_gid = bpf_get_current_uid_gid();
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->argc = BPF_CORE_READ(bprm, argc);
	e->flags = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	if (n < 0)
		e->filename[0] = 0;
	else if (n >= CX_FILENAME_LEN)
		e->flags |= CX_EXEC_FILENAME_TRUNCATED;

	/* The new program's arguments: NUL-separated strings in its own memory, just written by execve. */
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	if (len > CX_ARGS_LEN) {
		len = CX_ARGS_LEN;
		e->flags |= CX_EXEC_ARGS_TRUNCATED;
	}
	if (bpf_probe_read_user(e->args, len, (void *)arg_start) < 0)
		len = 0;
	e->args_len = len;
	submit_event(e, sizeof(*e));
}

static __always_inline void emit_fork(__u32 slot, struct task_struct *child)
{
	struct cx_fork_event *e;

	e = reserve_event(sizeof(*e), CX_EVENT_FORK, slot);
	if (!e)
		return;
	e->child_pid = BPF_CORE_READ(child, tgid);
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	submit_event(e, sizeof(*e));
}

static __always_inline void emit_exit(__u32 slot, struct task_struct *task)
{
	struct cx_exit_event *e;

	e = reserve_event(sizeof(*e), CX_EVENT_EXIT, slot);
	if (!e)
		return;
	e->exit_code = BPF_CORE_READ(task, exit_code);
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	submit_event(e, sizeof(*e));
}

/* A new process's first task, or a process's leader (threads have pid != tgid). */
static __always_inline bool is_group_leader(struct task_struct *task)
{
	return BPF_CORE_READ(task, pid) == BPF_CORE_READ(task, tgid);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	int slot = current_slot();

	if (slot < 0)
		return 0;
	emit_exec(slot, p, bprm);
	return 0;
}

/* Runs in the parent, whose cgroup the child starts in. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork_btf, struct task_struct *parent, struct task_struct *child)
{
	int slot = current_slot();

	if (slot < 0)
		return 0;
	if (!is_group_leader(child))
		return 0; /* a new thread */
	emit_fork(slot, child);
	return 0;
}

/* Newer kernels pass a second argument (group_dead); only the task is read. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit_btf, struct task_struct *p)
{
	int slot = current_slot();

	if (slot < 0)
		return 0;
	if (!is_group_leader(p))
		return 0;
	emit_exit(slot, p);
	return 0;
}

SEC("raw_tracepoint/sched_process_exec")
int sched_exec_raw(struct bpf_raw_tracepoint_args *ctx)
{
	int slot = current_slot();

	if (slot < 0)
		return 0;
	emit_exec(slot, (struct task_struct *)ctx->args[0], (struct linux_binprm *)ctx->args[2]);
	return 0;
}

SEC("raw_tracepoint/sched_process_fork")
int sched_fork_raw(struct bpf_raw_tracepoint_args *ctx)
{
	int slot = current_slot();
	struct task_struct *child = (struct task_struct *)ctx->args[1];

	if (slot < 0)
		return 0;
	if (!is_group_leader(child))
		return 0;
	emit_fork(slot, child);
	return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int sched_exit_raw(struct bpf_raw_tracepoint_args *ctx)
{
	int slot = current_slot();
	struct task_struct *p = (struct task_struct *)ctx->args[0];

	if (slot < 0)
		return 0;
	if (!is_group_leader(p))
		return 0;
	emit_exit(slot, p);
	return 0;
}

/* ---- TCP connections (tracepoint inet_sock_set_state) into the same ring buffer ---- */

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

static __always_inline __u32 net_kind(int oldstate, int newstate)
{
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		return CX_NET_CONNECT;
	if (oldstate == TCP_CLOSE && newstate == TCP_LISTEN)
		return CX_NET_LISTEN;
	if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		return CX_NET_ACCEPT;
	return 0;
}

/* Reads go through BPF_CORE_READ so that the tp_btf and raw_tracepoint variants share them. */
static __always_inline void emit_net(const struct sock *sk, int oldstate, int newstate)
{
	__u32 kind = net_kind(oldstate, newstate);
	struct cx_net_event *e;
	__u16 family;
	int slot;

	if (!kind)
		return;
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return;
	slot = slot_of(BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id));
	if (slot < 0)
		return;
	e = reserve_event(sizeof(*e), CX_EVENT_NET, slot);
	if (!e)
		return;
	e->kind = kind;
	e->family = family;
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->pad = 0;
	__builtin_memset(e->laddr, 0, sizeof(e->laddr));
	__builtin_memset(e->raddr, 0, sizeof(e->raddr));
	if (family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)e->laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)e->raddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO((struct in6_addr *)e->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)e->raddr, sk, __sk_common.skc_v6_daddr);
	}
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->pad2 = 0;
	submit_event(e, sizeof(*e));
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(inet_state_btf, const struct sock *sk, const int oldstate, const int newstate)
{
	emit_net(sk, oldstate, newstate);
	return 0;
}

SEC("raw_tracepoint/inet_sock_set_state")
int inet_state_raw(struct bpf_raw_tracepoint_args *ctx)
{
	emit_net((const struct sock *)ctx->args[0], (int)ctx->args[1], (int)ctx->args[2]);
	return 0;
}

/* ---- File events: one small program per syscall, on its syscalls/sys_exit_* tracepoint ---- */

#define AT_FDCWD -100
#define AT_REMOVEDIR 0x200
#define CX_CREAT_FLAGS 01101 /* creat(): O_CREAT | O_WRONLY | O_TRUNC */
#define NO_ARG -1

/* One event is built here (it does not fit the 512-byte stack) and copied into the ring buffer
 * cut to the bytes it uses. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cx_file_event);
} file_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CX_MAX_REPEAT_KEYS);
	__type(key, struct cx_repeat_key);
	__type(value, __u64);
} repeat_counts SEC(".maps");

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static __always_inline __u64 fnv_u32(__u64 h, __u32 v)
{
	int i;

	for (i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= FNV_PRIME;
	}
	return h;
}

/* The first len bytes of buf (at most max), folded into h. */
static __always_inline __u64 fnv_bytes(__u64 h, const char *buf, __u32 len, __u32 max)
{
	__u32 i;

	for (i = 0; i < max; i++) {
		if (i >= len)
			break;
		h ^= (__u8)buf[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* A NUL-terminated string of at most max bytes, folded into h. */
static __always_inline __u64 fnv_str(__u64 h, const char *buf, __u32 max)
{
	__u32 i;

	for (i = 0; i < max; i++) {
		if (!buf[i])
			break;
		h ^= (__u8)buf[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* What makes two accesses the same for repeat_counts: everything in the event but who and when,
 * with a success counted alike whatever fd it returned. */
static __noinline __u64 access_hash(struct cx_file_event *e)
{
	__u64 h = FNV_OFFSET;

	h = fnv_u32(h, e->op);
	h = fnv_u32(h, e->flags);
	h = fnv_u32(h, e->result < 0 ? (__u32)e->result : 0);
	h = fnv_u32(h, e->info);
	h = fnv_bytes(h, e->path, e->path_len, CX_PATH_LEN);
	if (e->info & CX_FILE_DIR)
		h = fnv_bytes(h, e->dir, e->dir_len, CX_DIR_LEN);
	if (e->info & CX_FILE_NEW_PATH)
		h = fnv_str(h, e->new_path, CX_PATH_LEN);
	return h ? h : 1;
}

/* True when this access (slot, type, hash) was seen before and is now only counted. Otherwise
 * *key is the new entry's hash (0 when repeat_counts is full) and the event must be sent. */
static __always_inline bool count_repeat(__u32 slot, __u32 type, __u64 hash, __u64 *key)
{
	struct cx_repeat_key k = {.slot = slot, .type = type, .hash = hash};
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&repeat_counts, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return true;
	}
	if (bpf_map_update_elem(&repeat_counts, &k, &one, BPF_NOEXIST) == 0) {
		*key = hash;
		return false;
	}
	n = bpf_map_lookup_elem(&repeat_counts, &k); /* another CPU inserted it meanwhile */
	if (n) {
		__sync_fetch_and_add(n, 1);
		return true;
	}
	*key = 0; /* full */
	return false;
}

/* The event of a new key found no room: count the drop, and forget the key so that the next
 * time it happens it is sent again. */
static __always_inline void drop_repeat(__u32 slot, __u32 type, __u64 key)
{
	struct cx_repeat_key k = {.slot = slot, .type = type, .hash = key};

	count_drop(slot, type);
	if (key)
		bpf_map_delete_elem(&repeat_counts, &k);
}

#ifndef PT_REGS_PARM6_CORE_SYSCALL
/* libbpf 1.1 stops at the fifth; x86_64 passes the sixth syscall argument in r9. */
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(x, r9)
#endif

/* Syscall argument i (0-based) from the task's saved user registers: at sys_exit they still hold
 * the arguments (x86_64: di, si, dx, r10, r8). i is a constant, so this folds to one read. */
static __always_inline unsigned long syscall_arg(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0:
		return PT_REGS_PARM1_CORE_SYSCALL(regs);
	case 1:
		return PT_REGS_PARM2_CORE_SYSCALL(regs);
	case 2:
		return PT_REGS_PARM3_CORE_SYSCALL(regs);
	case 3:
		return PT_REGS_PARM4_CORE_SYSCALL(regs);
	case 4:
		return PT_REGS_PARM5_CORE_SYSCALL(regs);
	case 5:
		return PT_REGS_PARM6_CORE_SYSCALL(regs);
	}
	return 0;
}

/* Appends the directory names from (d, vfs) up to the task's root to e->dir, leaf first, crossing
 * mounts through their mountpoints. Returns the bytes used; sets CX_FILE_DIR_TRUNCATED when the
 * walk gave up before the root. */
static __noinline __u32 walk_dir(struct cx_file_event *e, struct dentry *d, struct vfsmount *vfs)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct dentry *root_d = BPF_CORE_READ(task, fs, root.dentry);
	struct vfsmount *root_m = BPF_CORE_READ(task, fs, root.mnt);
	unsigned long mnt_off = bpf_core_field_offset(struct mount, mnt);
	struct mount *mnt = (struct mount *)((void *)vfs - mnt_off);
	__u32 off = 0;
	int i;

	for (i = 0; i < CX_DIR_DEPTH; i++) {
		struct dentry *parent;
		struct mount *up;
		long n;

		if (d == root_d && vfs == root_m)
			return off;
		if (d == BPF_CORE_READ(vfs, mnt_root)) {
			up = BPF_CORE_READ(mnt, mnt_parent);
			if (up == mnt)
				return off; /* the top of the mount tree */
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			vfs = (struct vfsmount *)((void *)up + mnt_off);
			continue;
		}
		parent = BPF_CORE_READ(d, d_parent);
		if (parent == d)
			return off; /* a filesystem root that is no mount root: detached */
		if (off > CX_DIR_LEN - CX_NAME_LEN)
			break;
		n = bpf_probe_read_kernel_str(&e->dir[off], CX_NAME_LEN, BPF_CORE_READ(d, d_name.name));
		if (n <= 0)
			break;
		off += n;
		d = parent;
	}
	e->info |= CX_FILE_DIR_TRUNCATED;
	return off;
}

/* The current task's open file fd, or NULL. */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds, *f;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0)
		return NULL;
	return f;
}

/* The directory a relative path starts from: the cwd for AT_FDCWD, else the dirfd's file. */
static __always_inline void resolve_dir(struct cx_file_event *e, int dfd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *f;
	struct path p;

	if (dfd == AT_FDCWD) {
		BPF_CORE_READ_INTO(&p, task, fs, pwd);
	} else {
		f = fd_file(dfd);
		if (!f)
			goto unknown;
		BPF_CORE_READ_INTO(&p, f, f_path);
	}
	if (!p.dentry || !p.mnt)
		goto unknown;
	e->dir_len = walk_dir(e, p.dentry, p.mnt);
	e->info |= CX_FILE_DIR;
	return;
unknown:
	e->info |= CX_FILE_DIR_UNKNOWN;
}

/* Reads a path argument; returns its length with the NUL (at least 1). */
static __always_inline __u32 read_path(struct cx_file_event *e, char *buf, unsigned long uptr)
{
	long n = bpf_probe_read_user_str(buf, CX_PATH_LEN, (const void *)uptr);

	if (n <= 0) {
		buf[0] = 0;
		return 1;
	}
	if (n >= CX_PATH_LEN)
		e->info |= CX_FILE_PATH_TRUNCATED;
	return n;
}

/*
 * The shared body of every file program. The *_arg parameters are constant syscall argument
 * indexes (NO_ARG: none): dirfd and path, the new dirfd and path of a rename or link, and the
 * flags or mode. openat2's flags live in its struct open_how (how_arg). Without a path (fchmod,
 * fchown, ftruncate) the dirfd is the call's fd, and the walk from its file is the whole path.
 */
static __always_inline int file_event(struct trace_event_raw_sys_exit *ctx, __u32 op, int dfd_arg, int path_arg,
				      int new_dfd_arg, int new_path_arg, int flags_arg, int how_arg, __u32 fixed_flags)
{
	struct pt_regs *regs;
	struct cx_file_event *e;
	__u32 zero = 0, size, len;
	int dfd = AT_FDCWD, new_dfd = AT_FDCWD;
	bool relative, new_relative;
	int slot = current_slot();

	if (slot < 0)
		return 0;
	e = bpf_map_lookup_elem(&file_scratch, &zero);
	if (!e)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (!regs)
		return 0;
	fill_header(&e->hdr, CX_EVENT_FILE, slot);
	e->result = ctx->ret;
	e->key = 0;
	e->op = op;
	e->flags = fixed_flags;
	if (flags_arg != NO_ARG)
		e->flags = syscall_arg(regs, flags_arg);
	if (how_arg != NO_ARG)
		bpf_probe_read_user(&e->flags, sizeof(e->flags), (void *)syscall_arg(regs, how_arg));
	if (op == CX_FILE_UNLINK && (e->flags & AT_REMOVEDIR))
		e->op = CX_FILE_RMDIR;
	e->info = 0;
	e->dir_len = 0;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (dfd_arg != NO_ARG)
		dfd = syscall_arg(regs, dfd_arg);
	if (new_dfd_arg != NO_ARG)
		new_dfd = syscall_arg(regs, new_dfd_arg);

	if (path_arg != NO_ARG) {
		len = read_path(e, e->path, syscall_arg(regs, path_arg));
	} else {
		e->path[0] = 0;
		len = 1;
	}
	e->path_len = len;
	relative = e->path[0] != '/';
	new_relative = false;
	if (new_path_arg != NO_ARG) {
		read_path(e, e->new_path, syscall_arg(regs, new_path_arg));
		e->info |= CX_FILE_NEW_PATH;
		/* a symlink's content is not resolved by the call: kept as it is */
		new_relative = op != CX_FILE_SYMLINK && e->new_path[0] != '/';
		if (relative && new_relative && new_dfd != dfd)
			e->info |= CX_FILE_NEW_DIR_OTHER;
	}
	if (relative)
		resolve_dir(e, dfd);
	else if (new_relative)
		resolve_dir(e, new_dfd);

	if (e->info & CX_FILE_NEW_PATH)
		size = sizeof(*e);
	else if (e->info & CX_FILE_DIR)
		size = offsetof(struct cx_file_event, new_path);
	else
		size = offsetof(struct cx_file_event, path) + (len & (CX_PATH_LEN - 1)) + (len >= CX_PATH_LEN ? CX_PATH_LEN : 0);
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (count_repeat(slot, CX_EVENT_FILE, access_hash(e), &e->key))
		return 0;
	if (output_event(e, size) < 0)
		drop_repeat(slot, CX_EVENT_FILE, e->key);
	return 0;
}

#define FILE_PROG(name, op, dfd, path, new_dfd, new_path, flags, how, fixed)			\
	SEC("tracepoint/syscalls/sys_exit_" #name)						\
	int file_##name(struct trace_event_raw_sys_exit *ctx)					\
	{											\
		return file_event(ctx, op, dfd, path, new_dfd, new_path, flags, how, fixed);	\
	}

FILE_PROG(open, CX_FILE_OPEN, NO_ARG, 0, NO_ARG, NO_ARG, 1, NO_ARG, 0)
FILE_PROG(openat, CX_FILE_OPEN, 0, 1, NO_ARG, NO_ARG, 2, NO_ARG, 0)
FILE_PROG(openat2, CX_FILE_OPEN, 0, 1, NO_ARG, NO_ARG, NO_ARG, 2, 0)
FILE_PROG(creat, CX_FILE_OPEN, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, CX_CREAT_FLAGS)
FILE_PROG(unlink, CX_FILE_UNLINK, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(unlinkat, CX_FILE_UNLINK, 0, 1, NO_ARG, NO_ARG, 2, NO_ARG, 0)
FILE_PROG(rmdir, CX_FILE_RMDIR, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(rename, CX_FILE_RENAME, NO_ARG, 0, NO_ARG, 1, NO_ARG, NO_ARG, 0)
FILE_PROG(renameat, CX_FILE_RENAME, 0, 1, 2, 3, NO_ARG, NO_ARG, 0)
FILE_PROG(renameat2, CX_FILE_RENAME, 0, 1, 2, 3, NO_ARG, NO_ARG, 0)
FILE_PROG(mkdir, CX_FILE_MKDIR, NO_ARG, 0, NO_ARG, NO_ARG, 1, NO_ARG, 0)
FILE_PROG(mkdirat, CX_FILE_MKDIR, 0, 1, NO_ARG, NO_ARG, 2, NO_ARG, 0)
FILE_PROG(chmod, CX_FILE_CHMOD, NO_ARG, 0, NO_ARG, NO_ARG, 1, NO_ARG, 0)
FILE_PROG(fchmodat, CX_FILE_CHMOD, 0, 1, NO_ARG, NO_ARG, 2, NO_ARG, 0)
FILE_PROG(fchmodat2, CX_FILE_CHMOD, 0, 1, NO_ARG, NO_ARG, 2, NO_ARG, 0)
FILE_PROG(chown, CX_FILE_CHOWN, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(lchown, CX_FILE_CHOWN, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(fchownat, CX_FILE_CHOWN, 0, 1, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(truncate, CX_FILE_TRUNCATE, NO_ARG, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(fchmod, CX_FILE_CHMOD, 0, NO_ARG, NO_ARG, NO_ARG, 1, NO_ARG, 0)
FILE_PROG(fchown, CX_FILE_CHOWN, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(ftruncate, CX_FILE_TRUNCATE, 0, NO_ARG, NO_ARG, NO_ARG, NO_ARG, NO_ARG, 0)
FILE_PROG(link, CX_FILE_LINK, NO_ARG, 0, NO_ARG, 1, NO_ARG, NO_ARG, 0)
FILE_PROG(linkat, CX_FILE_LINK, 0, 1, 2, 3, 4, NO_ARG, 0)
FILE_PROG(symlink, CX_FILE_SYMLINK, NO_ARG, 1, NO_ARG, 0, NO_ARG, NO_ARG, 0)
FILE_PROG(symlinkat, CX_FILE_SYMLINK, 1, 2, NO_ARG, 0, NO_ARG, NO_ARG, 0)

/* ---- Socket destinations: connect, sendto and sendmsg, on their sys_exit tracepoints ---- */

#define AF_UNIX 1
#define SOCK_STREAM 1
#define S_IFMT 00170000
#define S_IFSOCK 0140000

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cx_sock_event);
} sock_scratch SEC(".maps");

/* The type and protocol of the socket behind fd, or false when fd is no socket. */
static __always_inline bool socket_of(int fd, struct cx_sock_event *e)
{
	struct file *f = fd_file(fd);
	struct socket *sock;

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return false;
	sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return false;
	e->type = BPF_CORE_READ(sock, type);
	e->protocol = BPF_CORE_READ(sock, sk, sk_protocol);
	return true;
}

/* Reads the destination sockaddr (user memory). False for families not recorded. */
static __always_inline bool read_sockaddr(struct cx_sock_event *e, const void *uaddr, __u32 len)
{
	__u16 family;

	if (!uaddr || len < sizeof(family) || bpf_probe_read_user(&family, sizeof(family), uaddr) < 0)
		return false;
	e->family = family;
	if (family == AF_INET) {
		struct sockaddr_in sin;

		if (len < sizeof(sin) || bpf_probe_read_user(&sin, sizeof(sin), uaddr) < 0)
			return false;
		e->port = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(e->addr, &sin.sin_addr, 4);
		return true;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 sin6;

		if (len < sizeof(sin6) || bpf_probe_read_user(&sin6, sizeof(sin6), uaddr) < 0)
			return false;
		e->port = bpf_ntohs(sin6.sin6_port);
		__builtin_memcpy(e->addr, &sin6.sin6_addr, 16);
		return true;
	}
	if (family == AF_UNIX) {
		len -= sizeof(family);
		if (len > CX_UNIX_PATH_LEN)
			len = CX_UNIX_PATH_LEN;
		e->path_len = len;
		return bpf_probe_read_user(e->path, len & 0x7f, uaddr + sizeof(family)) == 0;
	}
	return false;
}

static __always_inline __u64 sock_hash(struct cx_sock_event *e)
{
	__u64 h = FNV_OFFSET;

	h = fnv_u32(h, e->kind);
	h = fnv_u32(h, e->family | ((__u32)e->port << 16));
	h = fnv_u32(h, e->type | ((__u32)e->protocol << 16));
	h = fnv_u32(h, e->result < 0 ? (__u32)e->result : 0);
	h = fnv_bytes(h, (const char *)e->addr, sizeof(e->addr), sizeof(e->addr));
	h = fnv_bytes(h, e->path, e->path_len, CX_UNIX_PATH_LEN);
	return h ? h : 1;
}

/* The shared body: fd, address and its length are syscall argument indexes; for sendmsg the
 * address comes from its struct user_msghdr (msghdr_arg). */
static __always_inline int sock_event(struct trace_event_raw_sys_exit *ctx, __u32 kind, int addr_arg, int len_arg,
				      int msghdr_arg)
{
	struct cx_sock_event *e;
	struct pt_regs *regs;
	const void *uaddr;
	__u32 zero = 0, len;
	int slot = current_slot();

	if (slot < 0)
		return 0;
	e = bpf_map_lookup_elem(&sock_scratch, &zero);
	if (!e)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (!regs)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	if (msghdr_arg != NO_ARG) {
		struct user_msghdr m;

		if (bpf_probe_read_user(&m, sizeof(m), (void *)syscall_arg(regs, msghdr_arg)) < 0)
			return 0;
		uaddr = m.msg_name;
		len = m.msg_namelen;
	} else {
		uaddr = (const void *)syscall_arg(regs, addr_arg);
		len = syscall_arg(regs, len_arg);
	}
	if (!read_sockaddr(e, uaddr, len))
		return 0; /* a send on a connected socket, or a family not recorded */
	if (!socket_of(syscall_arg(regs, 0), e))
		return 0;
	if (e->family != AF_UNIX && e->type == SOCK_STREAM)
		return 0; /* TCP: inet_sock_set_state has it, accepted side included */
	fill_header(&e->hdr, CX_EVENT_SOCK, slot);
	e->result = ctx->ret;
	e->kind = kind;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (count_repeat(slot, CX_EVENT_SOCK, sock_hash(e), &e->key))
		return 0;
	if (output_event(e, sizeof(*e)) < 0)
		drop_repeat(slot, CX_EVENT_SOCK, e->key);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int sock_connect(struct trace_event_raw_sys_exit *ctx)
{
	return sock_event(ctx, CX_SOCK_CONNECT, 1, 2, NO_ARG);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int sock_sendto(struct trace_event_raw_sys_exit *ctx)
{
	return sock_event(ctx, CX_SOCK_SEND, 4, 5, NO_ARG);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int sock_sendmsg(struct trace_event_raw_sys_exit *ctx)
{
	return sock_event(ctx, CX_SOCK_SEND, NO_ARG, NO_ARG, 1);
}

/* ---- Capability checks (tracepoint capability:cap_capable, Linux 6.14+) ---- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CX_MAX_SLOTS);
	__type(key, __u32);
	__type(value, struct cx_cap_counts);
} cap_counts SEC(".maps");

/* A check made with credentials other than the task's own: overlayfs acting as its mounter (on
 * copy-up, its trusted.* xattrs), a file's opener (file_ns_capable). They say what the kernel did
 * for someone else, not what the workload needs: a container that never had CAP_SYS_ADMIN saw it
 * "granted" on every mkdir in its overlay root. */
static __always_inline bool borrowed_cred(__u64 cred)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return cred != (__u64)BPF_CORE_READ(task, real_cred);
}

/* The tracepoint does not say whether the check is audited. The no-audit ones ask quietly, to
 * decide without failing anything (memory overcommit's CAP_SYS_ADMIN on every mmap and brk,
 * ptrace_may_access deciding what /proc shows, sysctl modes): a workload does not need what they
 * ask for, and a container recorded with CAP_SYS_ADMIN would otherwise "use" it on every mmap.
 * They are told apart by their caller, found in the check's kernel stack. */
static __always_inline bool noaudit_check(void *ctx)
{
	__u64 ips[CX_CAP_STACK_DEPTH];
	long bytes;

	if (!settings.noaudit_start[0])
		return false;
	bytes = bpf_get_stack(ctx, ips, sizeof(ips), 0);
	if (bytes <= 0)
		return false;
	for (int i = 0; i < CX_CAP_STACK_DEPTH && i * (long)sizeof(__u64) < bytes; i++) {
		for (int j = 0; j < CX_NOAUDIT_CALLERS; j++) {
			if (ips[i] >= settings.noaudit_start[j] && ips[i] < settings.noaudit_end[j])
				return true;
		}
	}
	return false;
}

static __always_inline void record_cap(void *ctx, __u64 cred, int cap, int ret)
{
	struct cx_cap_counts *counts;
	struct cx_cap_event *e;
	char comm[CX_COMM_LEN];
	__u32 outcome, key;
	int slot = current_slot();

	if (slot < 0 || (unsigned int)cap >= CX_CAPS || borrowed_cred(cred))
		return;
	key = slot;
	counts = bpf_map_lookup_elem(&cap_counts, &key);
	if (!counts)
		return;
	bpf_get_current_comm(comm, sizeof(comm));
	outcome = (ret == 0 ? CX_CAP_GRANTED : 0) | (comm_is_runtime(comm) ? CX_CAP_RUNTIME : 0);
	/* The runtime's checks are all ignored: its many mmaps need no stack walk. */
	if (!(outcome & CX_CAP_RUNTIME) && noaudit_check(ctx))
		outcome |= CX_CAP_NOAUDIT;
	/* Only the first check of a (capability, outcome) becomes an event, and no no-audit one. */
	if (__sync_fetch_and_add(&counts->count[cap][outcome & (CX_CAP_OUTCOMES - 1)], 1) != 0
	    || (outcome & CX_CAP_NOAUDIT))
		return;
	e = reserve_event(sizeof(*e), CX_EVENT_CAP, slot);
	if (!e)
		return;
	e->cap = cap;
	e->outcome = outcome;
	__builtin_memcpy(e->comm, comm, sizeof(e->comm));
	submit_event(e, sizeof(*e));
}

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable_btf, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	record_cap(ctx, (__u64)cred, cap, ret);
	return 0;
}

SEC("raw_tracepoint/cap_capable")
int cap_capable_raw(struct bpf_raw_tracepoint_args *ctx)
{
	record_cap(ctx, ctx->args[0], (int)ctx->args[3], (int)ctx->args[4]);
	return 0;
}
