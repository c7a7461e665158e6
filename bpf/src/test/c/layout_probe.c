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
	P("CX_X32_BIT", CX_X32_BIT);
	P("CX_NR_X32", CX_NR_X32);
	P("X32_COUNTS_SIZE", sizeof(struct cx_x32_counts));

	P("SETTINGS_SIZE", sizeof(struct cx_settings));
	P("SETTINGS_MAX_SLOTS", offsetof(struct cx_settings, max_slots));
	P("SETTINGS_PAD", offsetof(struct cx_settings, pad));
	P("CX_NOAUDIT_CALLERS", CX_NOAUDIT_CALLERS);
	P("CX_CAP_STACK_DEPTH", CX_CAP_STACK_DEPTH);
	P("SETTINGS_NOAUDIT_START", offsetof(struct cx_settings, noaudit_start));
	P("SETTINGS_NOAUDIT_END", offsetof(struct cx_settings, noaudit_end));

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

	P("CX_DROP_TYPES", CX_DROP_TYPES);
	P("TYPE_DROPS_KEY_OF_SLOT_1_FILE", CX_TYPE_DROPS_KEY(1, CX_EVENT_FILE));

	P("CX_EVENT_FILE", CX_EVENT_FILE);
	P("CX_PATH_LEN", CX_PATH_LEN);
	P("CX_DIR_LEN", CX_DIR_LEN);
	P("CX_DIR_DEPTH", CX_DIR_DEPTH);
	P("CX_NAME_LEN", CX_NAME_LEN);
	P("CX_FILE_OPEN", CX_FILE_OPEN);
	P("CX_FILE_UNLINK", CX_FILE_UNLINK);
	P("CX_FILE_RMDIR", CX_FILE_RMDIR);
	P("CX_FILE_RENAME", CX_FILE_RENAME);
	P("CX_FILE_MKDIR", CX_FILE_MKDIR);
	P("CX_FILE_CHMOD", CX_FILE_CHMOD);
	P("CX_FILE_CHOWN", CX_FILE_CHOWN);
	P("CX_FILE_TRUNCATE", CX_FILE_TRUNCATE);
	P("CX_FILE_LINK", CX_FILE_LINK);
	P("CX_FILE_SYMLINK", CX_FILE_SYMLINK);
	P("CX_FILE_PATH_TRUNCATED", CX_FILE_PATH_TRUNCATED);
	P("CX_FILE_DIR", CX_FILE_DIR);
	P("CX_FILE_DIR_TRUNCATED", CX_FILE_DIR_TRUNCATED);
	P("CX_FILE_DIR_UNKNOWN", CX_FILE_DIR_UNKNOWN);
	P("CX_FILE_NEW_PATH", CX_FILE_NEW_PATH);
	P("CX_FILE_NEW_DIR_OTHER", CX_FILE_NEW_DIR_OTHER);
	P("FILE_EVENT_SIZE", sizeof(struct cx_file_event));
	P("FILE_EVENT_RESULT", offsetof(struct cx_file_event, result));
	P("FILE_EVENT_KEY", offsetof(struct cx_file_event, key));
	P("FILE_EVENT_OP", offsetof(struct cx_file_event, op));
	P("FILE_EVENT_FLAGS", offsetof(struct cx_file_event, flags));
	P("FILE_EVENT_INFO", offsetof(struct cx_file_event, info));
	P("FILE_EVENT_PATH_LEN", offsetof(struct cx_file_event, path_len));
	P("FILE_EVENT_DIR_LEN", offsetof(struct cx_file_event, dir_len));
	P("FILE_EVENT_PAD", offsetof(struct cx_file_event, pad));
	P("FILE_EVENT_COMM", offsetof(struct cx_file_event, comm));
	P("FILE_EVENT_PATH", offsetof(struct cx_file_event, path));
	P("FILE_EVENT_DIR", offsetof(struct cx_file_event, dir));
	P("FILE_EVENT_NEW_PATH", offsetof(struct cx_file_event, new_path));

	P("CX_MAX_REPEAT_KEYS", CX_MAX_REPEAT_KEYS);
	P("REPEAT_KEY_SIZE", sizeof(struct cx_repeat_key));
	P("REPEAT_KEY_SLOT", offsetof(struct cx_repeat_key, slot));
	P("REPEAT_KEY_TYPE", offsetof(struct cx_repeat_key, type));
	P("REPEAT_KEY_HASH", offsetof(struct cx_repeat_key, hash));

	P("CX_EVENT_SOCK", CX_EVENT_SOCK);
	P("CX_SOCK_CONNECT", CX_SOCK_CONNECT);
	P("CX_SOCK_SEND", CX_SOCK_SEND);
	P("CX_UNIX_PATH_LEN", CX_UNIX_PATH_LEN);
	P("SOCK_EVENT_SIZE", sizeof(struct cx_sock_event));
	P("SOCK_EVENT_RESULT", offsetof(struct cx_sock_event, result));
	P("SOCK_EVENT_KEY", offsetof(struct cx_sock_event, key));
	P("SOCK_EVENT_KIND", offsetof(struct cx_sock_event, kind));
	P("SOCK_EVENT_FAMILY", offsetof(struct cx_sock_event, family));
	P("SOCK_EVENT_PORT", offsetof(struct cx_sock_event, port));
	P("SOCK_EVENT_TYPE", offsetof(struct cx_sock_event, type));
	P("SOCK_EVENT_PROTOCOL", offsetof(struct cx_sock_event, protocol));
	P("SOCK_EVENT_PATH_LEN", offsetof(struct cx_sock_event, path_len));
	P("SOCK_EVENT_ADDR", offsetof(struct cx_sock_event, addr));
	P("SOCK_EVENT_COMM", offsetof(struct cx_sock_event, comm));
	P("SOCK_EVENT_PATH", offsetof(struct cx_sock_event, path));
	P("SOCK_EVENT_PAD", offsetof(struct cx_sock_event, pad));

	P("CX_EVENT_CAP", CX_EVENT_CAP);
	P("CX_CAPS", CX_CAPS);
	P("CX_CAP_OUTCOMES", CX_CAP_OUTCOMES);
	P("CX_CAP_NOAUDIT", CX_CAP_NOAUDIT);
	P("CX_CAP_GRANTED", CX_CAP_GRANTED);
	P("CX_CAP_RUNTIME", CX_CAP_RUNTIME);
	P("CAP_COUNTS_SIZE", sizeof(struct cx_cap_counts));
	P("CAP_EVENT_SIZE", sizeof(struct cx_cap_event));
	P("CAP_EVENT_CAP", offsetof(struct cx_cap_event, cap));
	P("CAP_EVENT_OUTCOME", offsetof(struct cx_cap_event, outcome));
	P("CAP_EVENT_COMM", offsetof(struct cx_cap_event, comm));

	P("CX_NR_SOCKET", CX_NR_SOCKET);
	P("CX_NR_PERSONALITY", CX_NR_PERSONALITY);
	P("CX_NR_CLONE", CX_NR_CLONE);
	P("CX_CLONE_NS_MASK", CX_CLONE_NS_MASK);
	P("CX_NR_SETUID", CX_NR_SETUID);
	P("CX_NR_SETFSGID", CX_NR_SETFSGID);
	P("CX_SET_ID_CALLS", CX_SET_ID_CALLS);
	P("CX_MAX_ARG_KEYS", CX_MAX_ARG_KEYS);
	P("CX_DROP_ARGS", CX_DROP_ARGS);
	P("ARG_KEY_SIZE", sizeof(struct cx_arg_key));
	P("ARG_KEY_SLOT", offsetof(struct cx_arg_key, slot));
	P("ARG_KEY_NR", offsetof(struct cx_arg_key, nr));
	P("ARG_KEY_PHASE", offsetof(struct cx_arg_key, phase));
	P("ARG_KEY_VALUE", offsetof(struct cx_arg_key, value));
	return 0;
}
