package io.contxray.model;

import java.util.List;

/** Linux capability numbers (linux/capability.h) and their names without the "CAP_" prefix. */
public final class CapabilityNames {
    private static final List<String> NAMES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
            "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
            "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
            "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
            "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    private CapabilityNames() {
    }

    /** The name of capability number cap, or "cap_N" for a number newer than this table. */
    public static String name(int cap) {
        return cap >= 0 && cap < NAMES.size() ? NAMES.get(cap) : "cap_" + cap;
    }

    /** The number of a name (with or without "CAP_", any case), or -1. */
    public static int number(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        return NAMES.indexOf(n.startsWith("CAP_") ? n.substring(4) : n);
    }
}
