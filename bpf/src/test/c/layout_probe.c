/* Prints every constant, size and offset of contxray.h as "NAME VALUE" lines, under the
 * names of io.contxray.bpf.Layout; LayoutTest compares the two. Built with -Wpadded -Werror,
 * so implicit padding in a struct fails the build as well. */
#include <stddef.h>
#include <stdio.h>
#include "contxray.h"

#define P(name, value) printf("%s %lld\n", name, (long long)(value))

int main(void)
{
	P("CX_MAX_SLOTS", CX_MAX_SLOTS);
	P("CX_NR_SYSCALLS", CX_NR_SYSCALLS);
	P("CX_MAX_CGROUPS", CX_MAX_CGROUPS);
	P("CX_PHASE_BEFORE", CX_PHASE_BEFORE);
	P("CX_PHASE_FILTERED", CX_PHASE_FILTERED);
	P("CX_PHASES", CX_PHASES);
	P("CX_CGROUP_ROOT", CX_CGROUP_ROOT);
	P("CX_CGROUP_CHILD", CX_CGROUP_CHILD);

	P("CGROUP_KEY_SIZE", sizeof(__u64));
	P("COUNTS_KEY_SIZE", sizeof(__u32));

	P("CGROUP_ENTRY_SIZE", sizeof(struct cx_cgroup_entry));
	P("CGROUP_ENTRY_SLOT", offsetof(struct cx_cgroup_entry, slot));
	P("CGROUP_ENTRY_FLAGS", offsetof(struct cx_cgroup_entry, flags));

	P("SYSCALL_COUNTS_SIZE", sizeof(struct cx_syscall_counts));
	P("SYSCALL_COUNTS_NATIVE", offsetof(struct cx_syscall_counts, native));
	P("SYSCALL_COUNTS_COMPAT", offsetof(struct cx_syscall_counts, compat));
	P("SYSCALL_COUNTS_OUT_OF_RANGE", offsetof(struct cx_syscall_counts, out_of_range));

	P("SETTINGS_SIZE", sizeof(struct cx_settings));
	P("SETTINGS_MAX_SLOTS", offsetof(struct cx_settings, max_slots));
	P("SETTINGS_PAD", offsetof(struct cx_settings, pad));
	return 0;
}
