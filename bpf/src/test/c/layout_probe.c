/* Prints every constant, size and offset of contxray.h as "NAME VALUE" lines, under the
 * names of io.contxray.bpf.Layout; LayoutTest compares the two. Built with -Wpadded -Werror,
 * so implicit padding in a struct fails the build as well. */
#include <stddef.h>
#include <stdio.h>
#include <bpf/bpf.h>
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

	P("CX_FILTER_BITS", CX_FILTER_BITS);
	P("CX_FILTER_SIZE", CX_FILTER_SIZE);
	P("CX_FILTER_LOW_MASK", CX_FILTER_LOW_MASK);
	P("CX_FILTER_SHARED", CX_FILTER_SHARED);
	P("CX_FILTER_ADD", CX_FILTER_ADD);
	P("CX_FILTER_REMOVE", CX_FILTER_REMOVE);
	P("FILTER_KEY_SIZE", sizeof(__u32));
	P("FILTER_VALUE_SIZE", sizeof(__u64));
	P("FILTER_UPDATE_SIZE", sizeof(struct cx_filter_update));
	P("FILTER_UPDATE_CGROUP_ID", offsetof(struct cx_filter_update, cgroup_id));
	P("FILTER_UPDATE_SLOT", offsetof(struct cx_filter_update, slot));
	P("FILTER_UPDATE_OP", offsetof(struct cx_filter_update, op));

	P("TEST_RUN_OPTS_SIZE", sizeof(struct bpf_test_run_opts));
	P("TEST_RUN_OPTS_CTX_IN", offsetof(struct bpf_test_run_opts, ctx_in));
	P("TEST_RUN_OPTS_CTX_SIZE_IN", offsetof(struct bpf_test_run_opts, ctx_size_in));
	P("TEST_RUN_OPTS_RETVAL", offsetof(struct bpf_test_run_opts, retval));

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

	P("CX_EVENTS_SIZE", CX_EVENTS_SIZE);
	P("CX_COMM_LEN", CX_COMM_LEN);
	P("CX_FILENAME_LEN", CX_FILENAME_LEN);
	P("CX_ARGS_LEN", CX_ARGS_LEN);
	P("CX_EVENT_EXEC", CX_EVENT_EXEC);
	P("CX_EVENT_FORK", CX_EVENT_FORK);
	P("CX_EVENT_EXIT", CX_EVENT_EXIT);
	P("CX_EVENT_TYPES", CX_EVENT_TYPES);
	P("CX_EXEC_ARGS_TRUNCATED", CX_EXEC_ARGS_TRUNCATED);
	P("CX_EXEC_FILENAME_TRUNCATED", CX_EXEC_FILENAME_TRUNCATED);
	P("DROPS_KEY_SIZE", sizeof(__u32));
	P("DROPS_VALUE_SIZE", sizeof(__u64));
	P("DROPS_KEY_OF_SLOT_1_FORK", CX_DROPS_KEY(1, CX_EVENT_FORK));

	P("EVENT_HEADER_SIZE", sizeof(struct cx_event_header));
	P("EVENT_HEADER_TYPE", offsetof(struct cx_event_header, type));
	P("EVENT_HEADER_SLOT", offsetof(struct cx_event_header, slot));
	P("EVENT_HEADER_TS_NS", offsetof(struct cx_event_header, ts_ns));
	P("EVENT_HEADER_PID", offsetof(struct cx_event_header, pid));
	P("EVENT_HEADER_TID", offsetof(struct cx_event_header, tid));

	P("EXEC_EVENT_SIZE", sizeof(struct cx_exec_event));
	P("EXEC_EVENT_PPID", offsetof(struct cx_exec_event, ppid));
	P("EXEC_EVENT_UID", offsetof(struct cx_exec_event, uid));
	P("EXEC_EVENT_GID", offsetof(struct cx_exec_event, gid));
	P("EXEC_EVENT_ARGC", offsetof(struct cx_exec_event, argc));
	P("EXEC_EVENT_ARGS_LEN", offsetof(struct cx_exec_event, args_len));
	P("EXEC_EVENT_FLAGS", offsetof(struct cx_exec_event, flags));
	P("EXEC_EVENT_COMM", offsetof(struct cx_exec_event, comm));
	P("EXEC_EVENT_FILENAME", offsetof(struct cx_exec_event, filename));
	P("EXEC_EVENT_ARGS", offsetof(struct cx_exec_event, args));

	P("FORK_EVENT_SIZE", sizeof(struct cx_fork_event));
	P("FORK_EVENT_CHILD_PID", offsetof(struct cx_fork_event, child_pid));
	P("FORK_EVENT_PAD", offsetof(struct cx_fork_event, pad));
	P("FORK_EVENT_COMM", offsetof(struct cx_fork_event, comm));

	P("EXIT_EVENT_SIZE", sizeof(struct cx_exit_event));
	P("EXIT_EVENT_EXIT_CODE", offsetof(struct cx_exit_event, exit_code));
	P("EXIT_EVENT_PAD", offsetof(struct cx_exit_event, pad));
	P("EXIT_EVENT_COMM", offsetof(struct cx_exit_event, comm));

	P("CX_EVENT_NET", CX_EVENT_NET);
	P("CX_NET_CONNECT", CX_NET_CONNECT);
	P("CX_NET_LISTEN", CX_NET_LISTEN);
	P("CX_NET_ACCEPT", CX_NET_ACCEPT);
	P("NET_EVENT_SIZE", sizeof(struct cx_net_event));
	P("NET_EVENT_KIND", offsetof(struct cx_net_event, kind));
	P("NET_EVENT_FAMILY", offsetof(struct cx_net_event, family));
	P("NET_EVENT_LPORT", offsetof(struct cx_net_event, lport));
	P("NET_EVENT_RPORT", offsetof(struct cx_net_event, rport));
	P("NET_EVENT_PAD", offsetof(struct cx_net_event, pad));
	P("NET_EVENT_LADDR", offsetof(struct cx_net_event, laddr));
	P("NET_EVENT_RADDR", offsetof(struct cx_net_event, raddr));
	P("NET_EVENT_COMM", offsetof(struct cx_net_event, comm));
	P("NET_EVENT_PAD2", offsetof(struct cx_net_event, pad2));
	return 0;
}
