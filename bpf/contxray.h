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

/* Value of the per-CPU syscall_counts array; key = slot * CX_PHASES + phase. */
struct cx_syscall_counts {
	__u64 native[CX_NR_SYSCALLS]; /* the task's own ABI (x86_64, aarch64) */
	__u64 compat[CX_NR_SYSCALLS]; /* 32-bit compat entries (x86 int 0x80 / ia32) */
	__u64 out_of_range;           /* numbers >= CX_NR_SYSCALLS (x32 ABI has bit 30 set) */
};

/* Settings written into .rodata before load (const volatile in the program). */
struct cx_settings {
	__u32 max_slots;
	__u32 pad;
};

#endif /* CONTXRAY_H */
