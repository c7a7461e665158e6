package io.contxray.analyzer;

import io.contxray.analyzer.CapabilityInference.Rule;
import io.contxray.analyzer.CapabilityInference.Strength;
import io.contxray.model.ArgumentValues;
import io.contxray.model.CapabilityChecks;
import io.contxray.model.ContainerEvent;
import io.contxray.model.Recording;
import io.contxray.model.SyscallCounts;
import io.contxray.model.SyscallTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds {@link Capabilities} from a recording's capability checks and, fed in log order, its
 * events. With exact checks, the capabilities the kernel granted to the workload are required;
 * inference then only adds evidence. Without them (method "none"), {@link CapabilityInference}'s
 * rules decide from the syscalls (those under the seccomp filter when there are any: the
 * runtime's set-up before it needs privileges the workload does not) and the events.
 */
public final class CapabilitiesBuilder {
    /** Distinct pieces of evidence kept per capability; the count stays exact. */
    static final int MAX_EVIDENCE = 10;

    private static final class Inferred {
        Strength strength = Strength.POSSIBLE;
        boolean bySyscalls;
        boolean byEvents;
        long count;
        final Map<String, Long> evidence = new LinkedHashMap<>();
        long evidenceOmitted;

        void add(Rule rule, String what, long n) {
            if (rule.strength() == Strength.REQUIRED) {
                strength = Strength.REQUIRED;
            }
            count += n;
            if (evidence.containsKey(what) || evidence.size() < MAX_EVIDENCE) {
                evidence.merge(what, n, Long::sum);
            } else {
                evidenceOmitted += n;
            }
        }

        String method() {
            return bySyscalls && byEvents ? CapabilityInference.FROM_BOTH
                    : bySyscalls ? CapabilityInference.FROM_SYSCALLS : CapabilityInference.FROM_EVENTS;
        }

        List<String> evidenceLines() {
            List<String> lines = new ArrayList<>();
            evidence.forEach((what, n) -> lines.add(n > 1 ? what + " x" + n : what));
            if (evidenceOmitted > 0) {
                lines.add("... " + evidenceOmitted + " more");
            }
            return lines;
        }
    }

    private final Recording rec;
    private final SortedMap<String, Inferred> inferred = new TreeMap<>();

    public CapabilitiesBuilder(Recording rec) {
        this.rec = rec;
    }

    public void accept(ContainerEvent e) {
        if (ContainerEvent.NET.equals(e.type()) && "listen".equals(e.kind()) && e.localPort() != null
                && e.localPort() > 0 && e.localPort() < CapabilityInference.PRIVILEGED_PORTS) {
            fromEvent(CapabilityInference.LISTEN_RULE, "listen " + e.family() + " " + e.localAddr() + ":" + e.localPort());
        } else if (ContainerEvent.FILE.equals(e.type()) && e.errno() != null) {
            Rule rule = CapabilityInference.FILE_ERROR_RULES.get(e.errno());
            if (rule != null) {
                fromEvent(rule, e.op() + " " + e.path() + ": " + e.errno());
            }
        }
    }

    private void fromEvent(Rule rule, String what) {
        Inferred i = inferred.computeIfAbsent(rule.capability(), c -> new Inferred());
        i.byEvents = true;
        i.add(rule, what, 1);
    }

    public Capabilities build() {
        syscallsSeen().forEach((name, n) -> {
            Rule rule = CapabilityInference.forSyscall(name);
            if (rule != null) {
                Inferred i = inferred.computeIfAbsent(rule.capability(), c -> new Inferred());
                i.bySyscalls = true;
                i.add(rule, name, n);
            }
        });
        return rec.capabilities().exact() ? exact(rec.capabilities()) : inferredOnly();
    }

    /**
     * Under the seccomp filter when anything ran under one, else everything (native and 32-bit
     * names). The native set-id calls are the workload's own when the kernel counted those apart
     * from the runtime's (see {@link #workloadSetIdCalls}).
     */
    private SortedMap<String, Long> syscallsSeen() {
        boolean filtered = !rec.filteredNative().isEmpty() || !rec.filteredCompat().isEmpty();
        Map<Integer, Long> nativeCounts = filtered ? rec.filteredNative()
                : SyscallCounts.merge(rec.beforeFilterNative(), rec.filteredNative());
        Map<Integer, Long> compatCounts = filtered ? rec.filteredCompat()
                : SyscallCounts.merge(rec.beforeFilterCompat(), rec.filteredCompat());
        SyscallTable table = SyscallTable.forArch(rec.arch());
        SortedMap<String, Long> nativeByName = new TreeMap<>(SyscallCounts.byName(nativeCounts, table));
        Map<String, Long> workload = workloadSetIdCalls(filtered, table);
        if (workload != null) {
            nativeByName.keySet().removeIf(CapabilityInference::isSetIdCall);
            nativeByName.putAll(workload);
        }
        return SyscallCounts.merge(nativeByName, SyscallCounts.byName(compatCounts, ReportBuilder.compatNames(table)));
    }

    /**
     * The workload's native set-id calls by name, from the kernel's argument counts, which leave
     * out the runtime's own (runc sets the container's ids after the seccomp filter when
     * no_new_privileges is off: taken for the workload's, every container would get CAP_SETUID
     * and CAP_SETGID). Null when the recording cannot tell: recorded before these were counted, on
     * another architecture than the one whose numbers the kernel checks, or with values missed.
     */
    private Map<String, Long> workloadSetIdCalls(boolean filtered, SyscallTable table) {
        ArgumentValues av = rec.argumentValues();
        if (av == null || !av.setIdCalls() || av.missed() > 0
                || !ArgumentFilters.RECORDED_ARCH.equals(SyscallTable.canonicalArch(rec.arch()))) {
            return null;
        }
        Map<String, Long> out = new TreeMap<>();
        for (ArgumentValues.Value v : av.values()) {
            String name = table.name(v.nr());
            if (CapabilityInference.isSetIdCall(name) && (!filtered || v.filtered())) {
                out.merge(name, v.count(), Long::sum);
            }
        }
        return out;
    }

    private Capabilities exact(CapabilityChecks checks) {
        List<Capabilities.Capability> required = new ArrayList<>();
        List<Capabilities.Capability> denied = new ArrayList<>();
        List<Capabilities.Capability> runtime = new ArrayList<>();
        List<Capabilities.Capability> noAudit = new ArrayList<>();
        for (CapabilityChecks.Check c : checks.checks()) {
            List<Capabilities.Capability> ignored = CapabilityChecks.PHASE_RUNTIME.equals(c.phase()) ? runtime
                    : CapabilityChecks.PHASE_NOAUDIT.equals(c.phase()) ? noAudit : null;
            if (ignored != null) {
                ignored.add(new Capabilities.Capability(c.capability(), checks.method(), c.count(), List.of(), c.granted()));
                continue;
            }
            Inferred i = inferred.get(c.capability());
            Capabilities.Capability cap = new Capabilities.Capability(c.capability(), checks.method(), c.count(),
                    i == null ? List.of() : i.evidenceLines(), null);
            (c.granted() ? required : denied).add(cap);
        }
        Comparator<Capabilities.Capability> byName = Comparator.comparing(Capabilities.Capability::capability)
                .thenComparing(Capabilities.Capability::granted);
        runtime.sort(byName);
        noAudit.sort(byName);
        return section(checks.method(), sorted(required), List.of(), sorted(denied), runtime, noAudit);
    }

    private Capabilities inferredOnly() {
        List<Capabilities.Capability> required = new ArrayList<>();
        List<Capabilities.Capability> possible = new ArrayList<>();
        inferred.forEach((name, i) -> (i.strength == Strength.REQUIRED ? required : possible)
                .add(new Capabilities.Capability(name, i.method(), i.count, i.evidenceLines(), null)));
        return section(CapabilityInference.FROM_BOTH, required, possible, List.of(), List.of(), List.of());
    }

    private static Capabilities section(String method, List<Capabilities.Capability> required,
                                        List<Capabilities.Capability> possible, List<Capabilities.Capability> denied,
                                        List<Capabilities.Capability> runtime, List<Capabilities.Capability> noAudit) {
        List<String> names = required.stream().map(Capabilities.Capability::capability).distinct().sorted().toList();
        return new Capabilities(method, names, CapabilitiesFile.dockerFlags(names), required, possible, denied, runtime,
                noAudit);
    }

    private static List<Capabilities.Capability> sorted(List<Capabilities.Capability> caps) {
        caps.sort(Comparator.comparing(Capabilities.Capability::capability));
        return caps;
    }
}
