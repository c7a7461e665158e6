package io.contxray.analyzer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The syscalls Docker's default seccomp profile allows only to a container that holds one of some
 * capabilities (its profiles/seccomp/default.json, rules with {@code includes.caps} for names its
 * unconditional rule lacks). A generated profile keeps such a syscall only when the recommended
 * capabilities include one of them: without it Docker's default would refuse the call, so allowing
 * it would make the profile weaker than the default it replaces (clone3 left out is answered with
 * ENOSYS, as Docker does). clone is not here: its rule is narrowed by argument ({@link ArgumentFilters}).
 * {@code DockerDefaultComparisonTest} checks this table against the real file.
 */
final class DockerGates {
    static final Map<String, Set<String>> CAPS;

    static {
        Map<String, List<String>> byCap = Map.ofEntries(
                Map.entry("SYS_ADMIN", List.of("bpf", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                        "lookup_dcookie", "mount", "mount_setattr", "move_mount", "name_to_handle_at", "open_tree",
                        "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog",
                        "umount", "umount2", "unshare")),
                Map.entry("SYSLOG", List.of("syslog")),
                Map.entry("SYS_BOOT", List.of("reboot")),
                Map.entry("SYS_CHROOT", List.of("chroot")),
                Map.entry("SYS_MODULE", List.of("delete_module", "finit_module", "init_module")),
                Map.entry("SYS_PACCT", List.of("acct")),
                Map.entry("SYS_PTRACE", List.of("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
                        "process_vm_writev")),
                Map.entry("SYS_RAWIO", List.of("ioperm", "iopl")),
                Map.entry("SYS_TIME", List.of("clock_settime", "settimeofday", "stime")),
                Map.entry("SYS_TTY_CONFIG", List.of("vhangup")),
                Map.entry("SYS_NICE", List.of("get_mempolicy", "mbind", "set_mempolicy")),
                Map.entry("DAC_READ_SEARCH", List.of("open_by_handle_at")));
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        byCap.forEach((cap, names) -> names.forEach(n -> out.computeIfAbsent(n, k -> new TreeSet<>()).add(cap)));
        out.replaceAll((n, caps) -> Set.copyOf(caps));
        CAPS = Map.copyOf(out);
    }

    private DockerGates() {
    }

    /**
     * {@code names} without the gated syscalls whose capabilities are all missing from {@code caps}
     * (names without "CAP_"); each one left out is said in {@code warnings}.
     */
    static SortedSet<String> keepAllowed(SortedSet<String> names, Set<String> caps, List<String> warnings) {
        SortedSet<String> out = new TreeSet<>();
        for (String name : names) {
            Set<String> needs = CAPS.get(name);
            if (needs != null && needs.stream().noneMatch(caps::contains)) {
                warnings.add(name + " left out of the profile: Docker's default profile allows it only with CAP_"
                        + String.join(" or CAP_", new TreeSet<>(needs)) + ", which the workload was not seen to need");
            } else {
                out.add(name);
            }
        }
        return out;
    }
}
