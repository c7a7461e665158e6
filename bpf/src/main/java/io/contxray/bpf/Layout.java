package io.contxray.bpf;

/**
 * The Java view of bpf/contxray.h: constants, struct sizes and field offsets in bytes.
 * LayoutTest compiles the header with gcc and checks every constant here, so the two cannot drift.
 */
public final class Layout {
    private Layout() {
    }

    // #defines
    public static final int CX_MAX_SLOTS = 256;
    public static final int CX_NR_SYSCALLS = 512;
    public static final int CX_MAX_CGROUPS = 4096;
    public static final int CX_PHASE_BEFORE = 0;
    public static final int CX_PHASE_FILTERED = 1;
    public static final int CX_PHASES = 2;
    public static final int CX_CGROUP_ROOT = 0x1;
    public static final int CX_CGROUP_CHILD = 0x2;

    // map keys: recorded_cgroups is keyed by a __u64 cgroup id, syscall_counts by a __u32 index
    public static final int CGROUP_KEY_SIZE = 8;
    public static final int COUNTS_KEY_SIZE = 4;

    // cgroup_filter (direct-mapped array in front of recorded_cgroups) and struct cx_filter_update
    public static final int CX_FILTER_BITS = 16;
    public static final int CX_FILTER_SIZE = 1 << CX_FILTER_BITS;
    public static final int CX_FILTER_LOW_MASK = CX_FILTER_SIZE - 1;
    public static final int CX_FILTER_SHARED = CX_FILTER_LOW_MASK;
    public static final int CX_FILTER_ADD = 1;
    public static final int CX_FILTER_REMOVE = 2;
    public static final int FILTER_KEY_SIZE = 4;
    public static final int FILTER_VALUE_SIZE = 8;
    public static final int FILTER_UPDATE_SIZE = 16;
    public static final int FILTER_UPDATE_CGROUP_ID = 0;
    public static final int FILTER_UPDATE_SLOT = 8;
    public static final int FILTER_UPDATE_OP = 12;

    // libbpf's struct bpf_test_run_opts (bpf/bpf.h, libbpf 1.x), the fields filter_update uses
    public static final int TEST_RUN_OPTS_SIZE = 80;
    public static final int TEST_RUN_OPTS_CTX_IN = 32;
    public static final int TEST_RUN_OPTS_CTX_SIZE_IN = 48;
    public static final int TEST_RUN_OPTS_RETVAL = 56;

    // struct cx_cgroup_entry
    public static final int CGROUP_ENTRY_SIZE = 8;
    public static final int CGROUP_ENTRY_SLOT = 0;
    public static final int CGROUP_ENTRY_FLAGS = 4;

    // struct cx_syscall_counts
    public static final int SYSCALL_COUNTS_SIZE = 8200;
    public static final int CX_X32_BIT = 0x40000000;
    public static final int CX_NR_X32 = 548;
    public static final int X32_COUNTS_SIZE = CX_NR_X32 * 8;
    public static final int SYSCALL_COUNTS_NATIVE = 0;
    public static final int SYSCALL_COUNTS_COMPAT = 4096;
    public static final int SYSCALL_COUNTS_OUT_OF_RANGE = 8192;

    // struct cx_settings
    public static final int SETTINGS_SIZE = 72;
    public static final int SETTINGS_MAX_SLOTS = 0;
    public static final int SETTINGS_PAD = 4;
    public static final int CX_NOAUDIT_CALLERS = 4;
    public static final int CX_CAP_STACK_DEPTH = 8;
    /** __u64 [CX_NOAUDIT_CALLERS] each: the no-audit callers' address ranges. */
    public static final int SETTINGS_NOAUDIT_START = 8;
    public static final int SETTINGS_NOAUDIT_END = 40;

    // process events (ring buffer `events`, per-CPU array `event_drops`)
    public static final int CX_EVENTS_SIZE = 8 * 1024 * 1024;
    public static final int CX_COMM_LEN = 16;
    public static final int CX_FILENAME_LEN = 256;
    public static final int CX_ARGS_LEN = 512;
    public static final int CX_EVENT_EXEC = 1;
    public static final int CX_EVENT_FORK = 2;
    public static final int CX_EVENT_EXIT = 3;
    public static final int CX_EVENT_TYPES = 4;
    public static final int CX_EXEC_ARGS_TRUNCATED = 0x1;
    public static final int CX_EXEC_FILENAME_TRUNCATED = 0x2;
    public static final int DROPS_KEY_SIZE = 4;
    public static final int DROPS_VALUE_SIZE = 8;
    /** CX_DROPS_KEY(1, CX_EVENT_FORK), so LayoutTest checks {@link #dropsKey} against the macro. */
    public static final int DROPS_KEY_OF_SLOT_1_FORK = dropsKey(1, CX_EVENT_FORK);

    // struct cx_event_header
    public static final int EVENT_HEADER_SIZE = 24;
    public static final int EVENT_HEADER_TYPE = 0;
    public static final int EVENT_HEADER_SLOT = 4;
    public static final int EVENT_HEADER_TS_NS = 8;
    public static final int EVENT_HEADER_PID = 16;
    public static final int EVENT_HEADER_TID = 20;

    // struct cx_exec_event
    public static final int EXEC_EVENT_SIZE = 832;
    public static final int EXEC_EVENT_PPID = 24;
    public static final int EXEC_EVENT_UID = 28;
    public static final int EXEC_EVENT_GID = 32;
    public static final int EXEC_EVENT_ARGC = 36;
    public static final int EXEC_EVENT_ARGS_LEN = 40;
    public static final int EXEC_EVENT_FLAGS = 44;
    public static final int EXEC_EVENT_COMM = 48;
    public static final int EXEC_EVENT_FILENAME = 64;
    public static final int EXEC_EVENT_ARGS = 320;

    // struct cx_fork_event
    public static final int FORK_EVENT_SIZE = 48;
    public static final int FORK_EVENT_CHILD_PID = 24;
    public static final int FORK_EVENT_PAD = 28;
    public static final int FORK_EVENT_COMM = 32;

    // struct cx_exit_event
    public static final int EXIT_EVENT_SIZE = 48;
    public static final int EXIT_EVENT_EXIT_CODE = 24;
    public static final int EXIT_EVENT_PAD = 28;
    public static final int EXIT_EVENT_COMM = 32;

    // struct cx_net_event (TCP state changes; drops in net_drops, a per-CPU u64 per slot)
    public static final int CX_EVENT_NET = 5;
    public static final int CX_NET_CONNECT = 1;
    public static final int CX_NET_LISTEN = 2;
    public static final int CX_NET_ACCEPT = 3;
    public static final int NET_EVENT_SIZE = 88;
    public static final int NET_EVENT_KIND = 24;
    public static final int NET_EVENT_FAMILY = 28;
    public static final int NET_EVENT_LPORT = 30;
    public static final int NET_EVENT_RPORT = 32;
    public static final int NET_EVENT_PAD = 34;
    public static final int NET_EVENT_LADDR = 36;
    public static final int NET_EVENT_RADDR = 52;
    public static final int NET_EVENT_COMM = 68;
    public static final int NET_EVENT_PAD2 = 84;

    // drops of the later event types (per-CPU array `type_drops`)
    public static final int CX_DROP_TYPES = 16;

    // struct cx_file_event (per-syscall tracepoints syscalls/sys_exit_*)
    public static final int CX_EVENT_FILE = 6;
    public static final int CX_PATH_LEN = 256;
    public static final int CX_DIR_LEN = 512;
    public static final int CX_DIR_DEPTH = 32;
    public static final int CX_NAME_LEN = 256;
    public static final int CX_FILE_OPEN = 1;
    public static final int CX_FILE_UNLINK = 2;
    public static final int CX_FILE_RMDIR = 3;
    public static final int CX_FILE_RENAME = 4;
    public static final int CX_FILE_MKDIR = 5;
    public static final int CX_FILE_CHMOD = 6;
    public static final int CX_FILE_CHOWN = 7;
    public static final int CX_FILE_TRUNCATE = 8;
    public static final int CX_FILE_LINK = 9;
    public static final int CX_FILE_SYMLINK = 10;
    public static final int CX_FILE_PATH_TRUNCATED = 0x1;
    public static final int CX_FILE_DIR = 0x2;
    public static final int CX_FILE_DIR_TRUNCATED = 0x4;
    public static final int CX_FILE_DIR_UNKNOWN = 0x8;
    public static final int CX_FILE_NEW_PATH = 0x10;
    public static final int CX_FILE_NEW_DIR_OTHER = 0x20;
    public static final int FILE_EVENT_SIZE = 1104;
    public static final int FILE_EVENT_RESULT = 24;
    public static final int FILE_EVENT_KEY = 32;
    public static final int FILE_EVENT_OP = 40;
    public static final int FILE_EVENT_FLAGS = 44;
    public static final int FILE_EVENT_INFO = 48;
    public static final int FILE_EVENT_PATH_LEN = 52;
    public static final int FILE_EVENT_DIR_LEN = 56;
    public static final int FILE_EVENT_PAD = 60;
    public static final int FILE_EVENT_COMM = 64;
    public static final int FILE_EVENT_PATH = 80;
    public static final int FILE_EVENT_DIR = 336;
    public static final int FILE_EVENT_NEW_PATH = 848;
    /** CX_TYPE_DROPS_KEY(1, CX_EVENT_FILE), so LayoutTest checks {@link #typeDropsKey} against the macro. */
    public static final int TYPE_DROPS_KEY_OF_SLOT_1_FILE = typeDropsKey(1, CX_EVENT_FILE);

    // repeat_counts (hash: struct cx_repeat_key -> __u64 count)
    public static final int CX_MAX_REPEAT_KEYS = 65536;
    public static final int REPEAT_KEY_SIZE = 16;
    public static final int REPEAT_KEY_SLOT = 0;
    public static final int REPEAT_KEY_TYPE = 4;
    public static final int REPEAT_KEY_HASH = 8;

    // struct cx_sock_event (connect of unix and non-TCP sockets, sends with an address)
    public static final int CX_EVENT_SOCK = 8;
    public static final int CX_SOCK_CONNECT = 1;
    public static final int CX_SOCK_SEND = 2;
    public static final int CX_UNIX_PATH_LEN = 108;
    public static final int SOCK_EVENT_SIZE = 200;
    public static final int SOCK_EVENT_RESULT = 24;
    public static final int SOCK_EVENT_KEY = 32;
    public static final int SOCK_EVENT_KIND = 40;
    public static final int SOCK_EVENT_FAMILY = 44;
    public static final int SOCK_EVENT_PORT = 46;
    public static final int SOCK_EVENT_TYPE = 48;
    public static final int SOCK_EVENT_PROTOCOL = 50;
    public static final int SOCK_EVENT_PATH_LEN = 52;
    public static final int SOCK_EVENT_ADDR = 56;
    public static final int SOCK_EVENT_COMM = 72;
    public static final int SOCK_EVENT_PATH = 88;
    public static final int SOCK_EVENT_PAD = 196;

    // capability checks (array `cap_counts`, one struct cx_cap_counts per slot) and struct cx_cap_event
    public static final int CX_EVENT_CAP = 7;
    public static final int CX_CAPS = 64;
    public static final int CX_CAP_OUTCOMES = 8;
    public static final int CX_CAP_NOAUDIT = 0x4;
    public static final int CX_CAP_GRANTED = 0x2;
    public static final int CX_CAP_RUNTIME = 0x1;
    public static final int CAP_COUNTS_SIZE = CX_CAPS * CX_CAP_OUTCOMES * 8;
    public static final int CAP_EVENT_SIZE = 48;
    public static final int CAP_EVENT_CAP = 24;
    public static final int CAP_EVENT_OUTCOME = 28;
    public static final int CAP_EVENT_COMM = 32;

    // argument values (hash `arg_counts`: struct cx_arg_key -> __u64 count); full-map drops in type_drops
    public static final int CX_NR_SOCKET = 41;
    public static final int CX_NR_PERSONALITY = 135;
    /** clone's flags are kept as their namespace bits only (value & CX_CLONE_NS_MASK). */
    public static final int CX_NR_CLONE = 56;
    public static final int CX_CLONE_NS_MASK = 0x7E020000;
    /** The workload's set-id calls (not the runtime's) are counted with their first argument too. */
    public static final int CX_NR_SETUID = 105;
    public static final int CX_NR_SETFSGID = 123;
    /** Bit n: number CX_NR_SETUID + n is a set-id call. */
    public static final int CX_SET_ID_CALLS = 0x65b03;
    public static final int CX_MAX_ARG_KEYS = 4096;
    public static final int CX_DROP_ARGS = 15;
    public static final int ARG_KEY_SIZE = 16;
    public static final int ARG_KEY_SLOT = 0;
    public static final int ARG_KEY_NR = 4;
    public static final int ARG_KEY_PHASE = 6;
    public static final int ARG_KEY_VALUE = 8;

    /** The syscall_counts key of a slot's phase. */
    public static int countsKey(int slot, int phase) {
        return slot * CX_PHASES + phase;
    }

    /** The event_drops key of a slot's event type (CX_DROPS_KEY in contxray.h). */
    public static int dropsKey(int slot, int type) {
        return slot * CX_EVENT_TYPES + type;
    }

    /** The type_drops key of a slot's event type (CX_TYPE_DROPS_KEY in contxray.h). */
    public static int typeDropsKey(int slot, int type) {
        return slot * CX_DROP_TYPES + type;
    }
}
