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

    // struct cx_cgroup_entry
    public static final int CGROUP_ENTRY_SIZE = 8;
    public static final int CGROUP_ENTRY_SLOT = 0;
    public static final int CGROUP_ENTRY_FLAGS = 4;

    // struct cx_syscall_counts
    public static final int SYSCALL_COUNTS_SIZE = 8200;
    public static final int SYSCALL_COUNTS_NATIVE = 0;
    public static final int SYSCALL_COUNTS_COMPAT = 4096;
    public static final int SYSCALL_COUNTS_OUT_OF_RANGE = 8192;

    // struct cx_settings
    public static final int SETTINGS_SIZE = 8;
    public static final int SETTINGS_MAX_SLOTS = 0;
    public static final int SETTINGS_PAD = 4;

    /** The syscall_counts key of a slot's phase. */
    public static int countsKey(int slot, int phase) {
        return slot * CX_PHASES + phase;
    }
}
