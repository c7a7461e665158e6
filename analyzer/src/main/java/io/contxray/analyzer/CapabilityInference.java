package io.contxray.analyzer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which capability a syscall or an event suggests, for recordings without exact capability checks.
 * The table is the one place these rules live. "required" rules name calls that cannot succeed
 * without the capability in a container (a non-root user namespace aside); "possible" ones name
 * calls that need it only sometimes.
 */
final class CapabilityInference {
    static final String FROM_SYSCALLS = "inferred from syscalls";
    static final String FROM_EVENTS = "inferred from events";
    static final String FROM_BOTH = "inferred from syscalls and events";

    enum Strength { REQUIRED, POSSIBLE }

    /** {@code syscalls} (native and 32-bit names) suggest {@code capability}. */
    record Rule(String capability, Strength strength, List<String> syscalls) {
    }

    static final List<Rule> SYSCALL_RULES = List.of(
            new Rule("CHOWN", Strength.REQUIRED, List.of("chown", "fchown", "lchown", "fchownat", "chown32", "fchown32",
                    "lchown32")),
            new Rule("SETUID", Strength.REQUIRED, List.of("setuid", "setreuid", "setresuid", "setfsuid", "setuid32",
                    "setreuid32", "setresuid32", "setfsuid32")),
            new Rule("SETGID", Strength.REQUIRED, List.of("setgid", "setregid", "setresgid", "setfsgid", "setgroups",
                    "setgid32", "setregid32", "setresgid32", "setfsgid32", "setgroups32")),
            new Rule("MKNOD", Strength.REQUIRED, List.of("mknod", "mknodat")),
            new Rule("SYS_CHROOT", Strength.REQUIRED, List.of("chroot")),
            new Rule("SYS_ADMIN", Strength.REQUIRED, List.of("mount", "umount", "umount2", "pivot_root", "unshare", "setns",
                    "swapon", "sethostname", "setdomainname")),
            new Rule("SYS_PTRACE", Strength.REQUIRED, List.of("ptrace", "process_vm_readv", "process_vm_writev")),
            // The runtime itself calls capset after the seccomp filter to drop capabilities, which
            // needs none: only adding to the inheritable set does.
            new Rule("SETPCAP", Strength.POSSIBLE, List.of("capset")),
            // Signalling one's own processes needs nothing; only other users' do.
            new Rule("KILL", Strength.POSSIBLE, List.of("kill", "tkill", "tgkill")),
            new Rule("SYS_TIME", Strength.REQUIRED, List.of("settimeofday", "clock_settime", "adjtimex", "clock_adjtime")),
            new Rule("SYS_BOOT", Strength.REQUIRED, List.of("reboot")),
            new Rule("SYS_MODULE", Strength.REQUIRED, List.of("init_module", "finit_module", "delete_module")),
            new Rule("SYS_RAWIO", Strength.REQUIRED, List.of("iopl", "ioperm")),
            new Rule("SYSLOG", Strength.REQUIRED, List.of("syslog")));

    /** A listen below this port needs NET_BIND_SERVICE unless the network namespace lowered the limit. */
    static final int PRIVILEGED_PORTS = 1024;
    static final Rule LISTEN_RULE = new Rule("NET_BIND_SERVICE", Strength.REQUIRED, List.of());
    /**
     * A file call refused: EACCES comes from permission bits (DAC_OVERRIDE would pass them), EPERM
     * from owner-only operations (FOWNER). The call may as well have been meant to fail.
     */
    static final Map<String, Rule> FILE_ERROR_RULES = Map.of(
            "EACCES", new Rule("DAC_OVERRIDE", Strength.POSSIBLE, List.of()),
            "EPERM", new Rule("FOWNER", Strength.POSSIBLE, List.of()));

    private static final Map<String, Rule> BY_SYSCALL = new HashMap<>();

    static {
        SYSCALL_RULES.forEach(r -> r.syscalls().forEach(s -> BY_SYSCALL.put(s, r)));
    }

    private CapabilityInference() {
    }

    /**
     * A native call of the SETUID or SETGID rule: the calls whose first argument the kernel counts
     * for the workload only (bpf/contxray.h, CX_SET_ID_CALLS), the runtime's own left out.
     */
    static boolean isSetIdCall(String name) {
        Rule rule = BY_SYSCALL.get(name);
        return rule != null && (rule.capability().equals("SETUID") || rule.capability().equals("SETGID"))
                && !name.endsWith("32");
    }

    /** The rule for a syscall name, or null. */
    static Rule forSyscall(String name) {
        return BY_SYSCALL.get(name);
    }
}
