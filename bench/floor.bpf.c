// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor for bench/syscall-overhead.sh: an empty tp_btf/sys_enter program. Whatever any
 * sys_enter program costs, this one costs too (the trampoline into BPF on every syscall of
 * every task), so contxray's overhead is compared with this, not with zero.
 *
 * No vmlinux.h on purpose: the program reads nothing from its context, so it needs no kernel
 * types, and the benchmark does not have to generate a header from the running kernel's BTF.
 * libbpf still resolves the attach point (btf_trace_sys_enter) from /sys/kernel/btf/vmlinux.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Tracing programs that use BTF must be GPL-compatible. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_enter")
int floor_prog(void *ctx)
{
	return 0;
}
