// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * contxray kernel side: count the syscalls of recorded containers (cgroup v2 ids) per
 * syscall number, per ABI and per seccomp phase, in per-CPU counters read by user space.
 * Everything a syscall from an unrecorded task costs is one hash lookup.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
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

/* Shared by both sys_enter variants: the caller already found the cgroup entry. */
static __always_inline void count_syscall(const struct cx_cgroup_entry *entry, long id,
					  bool filtered, bool compat)
{
	struct cx_syscall_counts *counts;
	__u32 key;

	if (entry->slot >= settings.max_slots || entry->slot >= CX_MAX_SLOTS)
		return;
	key = entry->slot * CX_PHASES + (filtered ? CX_PHASE_FILTERED : CX_PHASE_BEFORE);
	counts = bpf_map_lookup_elem(&syscall_counts, &key);
	if (!counts)
		return;
	/* Per-CPU value: no other CPU writes it, so a plain increment is enough. The
	 * unsigned compare also sends negative ids (-1 from ptrace tricks) to out_of_range. */
	if ((unsigned long)id >= CX_NR_SYSCALLS)
		counts->out_of_range++;
	else if (compat)
		counts->compat[id]++;
	else
		counts->native[id]++;
}

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

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	__u64 cgid = bpf_get_current_cgroup_id();
	struct cx_cgroup_entry *entry;
	struct task_struct *task;

	/* Filter first: every syscall on the host passes here. */
	entry = bpf_map_lookup_elem(&recorded_cgroups, &cgid);
	if (!entry)
		return 0;
	task = bpf_get_current_task_btf();
	count_syscall(entry, id, task_is_filtered(task), task_is_compat(task));
	return 0;
}

/* Fallback for kernels where tp_btf cannot be attached: the same counting, with the task
 * read through bpf_get_current_task() and probe reads. */
SEC("raw_tracepoint/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 cgid = bpf_get_current_cgroup_id();
	struct cx_cgroup_entry *entry;
	struct task_struct *task;

	entry = bpf_map_lookup_elem(&recorded_cgroups, &cgid);
	if (!entry)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	count_syscall(entry, (long)ctx->args[1], task_is_filtered(task), task_is_compat(task));
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
	/* BPF_NOEXIST: never turn a user-space ROOT entry into a CHILD one. */
	bpf_map_update_elem(&recorded_cgroups, &id, &child_entry, BPF_NOEXIST);
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
