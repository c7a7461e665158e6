package io.contxray.analyzer;

import io.contxray.model.Recording;
import io.contxray.model.SyscallCounts;
import io.contxray.model.SyscallTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Builds the seccomp profile from a recording: the syscalls chosen by {@link Cut}, named with the
 * embedded table of the recorded architecture, never wider than Docker's default profile for the
 * recommended capabilities: syscalls Docker allows only with a capability the workload was not seen
 * to need are left out ({@link DockerGates}), and clone, personality and socket get argument rules
 * ({@link ArgumentFilters}).
 */
public final class SeccompProfileBuilder {
    static final int ENOSYS = 38; // same value on x86_64, aarch64 and i386

    /**
     * @param profile  the profile to write
     * @param warnings one-line notes for report.json's errors (numbers the profile cannot name)
     */
    public record Result(SeccompProfile profile, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private SeccompProfileBuilder() {
    }

    /**
     * @param caps     the recommended capabilities (names without "CAP_")
     * @param argRules false: clone, personality and socket allowed with any argument ({@code --no-arg-filters})
     */
    public static Result build(Recording rec, Set<String> caps, boolean argRules) {
        SyscallTable table = SyscallTable.forArch(rec.arch());
        Cut cut = Cut.of(rec);
        List<String> warnings = new ArrayList<>();
        List<String> architectures = new ArrayList<>();
        List<SeccompRule> rules = new ArrayList<>();

        architectures.add(table.seccompArch());
        SyscallCounts.Split split = SyscallCounts.splitX32(cut.native_(), table);
        SortedSet<String> nativeNames = DockerGates.keepAllowed(names(split.own(), table, warnings), caps, warnings);
        nativeNames.addAll(runtimeAllowance(table));
        List<SeccompRule> argumentRules = new ArrayList<>();
        SortedSet<String> narrowed = argRules ? argumentRules(rec, cut, nativeNames, caps, argumentRules, warnings)
                : new TreeSet<>();
        SortedSet<String> plain = new TreeSet<>(nativeNames);
        plain.removeAll(narrowed);
        if (!plain.isEmpty()) {
            rules.add(SeccompRule.allow(List.copyOf(plain)));
        }
        rules.addAll(argumentRules);

        // 32-bit compat calls (int 0x80 / ia32 on x86_64). The profile format cannot tie a rule to
        // one architecture, so libseccomp resolves these names on every listed arch: a name that
        // also exists natively (e.g. mount) becomes allowed there too. That widening is the price
        // of one profile covering both ABIs; it only happens when the container really used them.
        SortedSet<String> compatNames = new TreeSet<>();
        if (!cut.compat().isEmpty()) {
            Optional<SyscallTable> compat = table.compat();
            if (compat.isPresent()) {
                compatNames = DockerGates.keepAllowed(names(cut.compat(), compat.get(), warnings), caps, warnings);
                if (!compatNames.isEmpty()) {
                    architectures.add(compat.get().seccompArch());
                    // a narrowed name keeps its rules: names resolve on every listed arch
                    SortedSet<String> compatPlain = new TreeSet<>(compatNames);
                    compatPlain.removeAll(narrowed);
                    if (!compatPlain.isEmpty()) {
                        rules.add(SeccompRule.allow(List.copyOf(compatPlain)));
                    }
                }
            } else {
                warnings.add("32-bit compat syscalls were seen on " + table.arch() + " but contxray has no table for "
                        + "them; the profile covers " + table.arch() + " only (compat numbers: " + cut.compat().keySet() + ")");
            }
        }

        // x32 ABI calls (x86_64 numbers with bit 30): x32's own names under SCMP_ARCH_X32, with the
        // same widening as compat names above; only when the container really made x32 calls.
        if (!split.x32().isEmpty()) {
            SyscallTable x32 = table.x32().orElseThrow();
            SortedSet<String> x32Names = DockerGates.keepAllowed(names(split.x32(), x32, warnings), caps, warnings);
            x32Names.removeAll(narrowed);
            if (!x32Names.isEmpty()) {
                architectures.add(x32.seccompArch());
                rules.add(SeccompRule.allow(List.copyOf(x32Names)));
            }
        }

        // clone3: Docker's default profile answers clone3 with ENOSYS (unless CAP_SYS_ADMIN), and
        // libcs (glibc's pthread_create, musl) then fall back to clone. A sys_enter probe never sees
        // a call seccomp already refused, so under Docker's profile we record only that fallback
        // clone. With our default EPERM, clone3 would fail hard instead of falling back, so unless
        // clone3 itself was recorded (and is allowed), answer it with ENOSYS. If "clone" was not
        // seen either, the workload made no threads or processes while recorded: the rule still
        // does no harm, and the fallback clone is then denied like any other unrecorded call.
        if (!nativeNames.contains("clone3") && !compatNames.contains("clone3")) {
            rules.add(SeccompRule.errno(List.of("clone3"), ENOSYS));
        }

        // The kernel side counts numbers that fit no table (not native, compat or x32) in one
        // counter: not attributable, so not in the profile; said, not hidden.
        if (rec.outOfRange() > 0) {
            warnings.add(rec.outOfRange() + " syscall(s) had numbers past every " + table.arch() + " table and could not"
                    + " be attributed: the profile allows none of them");
        }

        SeccompProfile profile = new SeccompProfile(SeccompRule.ERRNO, SeccompProfile.EPERM, architectures, rules);
        return new Result(profile, warnings);
    }

    /**
     * Adds the argument rules of the filterable syscalls among {@code allowed} (native names; compat
     * calls of them leave the values unknown, see {@link ArgumentFilters#section}); returns the names
     * that have rules instead of a plain allow. A filterable syscall only compat code made is
     * narrowed too, to Docker's rule: its name would otherwise allow it on every arch.
     */
    private static SortedSet<String> argumentRules(Recording rec, Cut cut, SortedSet<String> allowed, Set<String> caps,
                                                   List<SeccompRule> rules, List<String> warnings) {
        ArgumentFilters.Section section = ArgumentFilters.section(rec, cut);
        SortedSet<String> narrowed = new TreeSet<>();
        SortedSet<String> compat = ArgumentFilters.compatNames(rec, cut);
        for (ArgumentFilters.Filterable f : ArgumentFilters.SYSCALLS) {
            boolean made = allowed.contains(f.name()) || f.compatNames().stream().anyMatch(compat::contains);
            if (!made) {
                continue;
            }
            ArgumentFilters.Seen seen = section == null ? null : section.syscalls().get(f.name());
            SortedSet<Long> values = null;
            String why;
            if (seen != null && seen.filterable()) {
                values = ArgumentFilters.unsignedSet(seen.values().stream().map(ArgumentFilters.Value::value).toList());
                why = null;
            } else if (seen != null) {
                why = seen.reason();
            } else if (section == null) {
                why = "the recording has no argument values (recorded on another architecture than x86_64 or by an older contxray)";
            } else {
                why = "only 32-bit code made it, whose arguments are not recorded";
            }
            Optional<List<SeccompRule>> own = ArgumentFilters.rulesFor(f, values, why, caps, warnings);
            if (own.isPresent()) {
                rules.addAll(own.get());
                narrowed.add(f.name());
            }
        }
        return narrowed;
    }

    /**
     * Syscalls runc's Go runtime may make after it installed the filter and before it execs the
     * workload, whether or not one recording caught them: its scheduler, GC and async preemption
     * (tgkill of getpid()'s thread with SIGURG, then rt_sigreturn) run when they happen to.
     * Measured: rt_sigreturn in 1 of 8 recordings of the same busybox workload, and without it the
     * container died of SIGSEGV about half the time under the profile.
     */
    static final List<String> GO_RUNTIME = List.of("futex", "getpid", "gettid", "madvise", "mmap", "munmap",
            "nanosleep", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill");

    /**
     * What runc does after the filter only when NoNewPrivileges is off: it then installs the filter
     * before dropping privileges (without NNP that needs CAP_SYS_ADMIN), instead of just before
     * execve. Measured (busybox, runc 1.1.5): these are the calls a recording without NNP has under
     * the filter and one with NNP lacks; a profile recorded with NNP and enforced without it made
     * runc fail with EPERM. Allowed always, so a profile works with NNP on and off; all of them are
     * in Docker's default profile, and the credential calls stay bounded by the capabilities.
     */
    static final List<String> NNP_OFF = List.of("capget", "capset", "chdir", "faccessat2", "fstat", "newfstatat",
            "read", "setgid", "setgroups", "setuid");

    static final List<String> RUNTIME_ALLOWANCE = java.util.stream.Stream.concat(GO_RUNTIME.stream(), NNP_OFF.stream()).toList();

    static SortedSet<String> runtimeAllowance(SyscallTable table) {
        SortedSet<String> out = new TreeSet<>();
        for (String name : RUNTIME_ALLOWANCE) {
            if (table.number(name).isPresent()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Names of the numbers in {@code counts}; numbers the table lacks are left out with a warning. */
    private static SortedSet<String> names(Map<Integer, Long> counts, SyscallTable table, List<String> warnings) {
        SortedSet<String> names = new TreeSet<>();
        List<Integer> unnamed = new ArrayList<>();
        for (Integer nr : counts.keySet()) {
            if (table.has(nr)) {
                names.add(table.name(nr));
            } else {
                unnamed.add(nr);
            }
        }
        if (!unnamed.isEmpty()) {
            warnings.add("syscall numbers without a name in the " + table.arch() + " table are not in the profile: " + unnamed);
        }
        return names;
    }
}
