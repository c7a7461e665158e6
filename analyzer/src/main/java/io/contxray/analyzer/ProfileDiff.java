package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a newer recording does that a baseline (a profile, or an older recording) does not: the
 * drift that would make an enforced profile break the workload. Execs are compared only when
 * both sides are recordings (a profile knows nothing of them). Argument values (socket's
 * families, personality's values) are compared where the baseline restricts them: a profile's
 * argument filters, or the values an older recording made.
 */
public final class ProfileDiff {
    /**
     * @param execs     filenames the workload executed; null when the source is a bare profile
     * @param arguments per syscall, the readable values of its first argument the source allows
     *                  (a profile's argument filters) or made (a recording); a syscall not listed
     *                  is not compared
     */
    public record Behaviour(String source, SortedSet<String> syscalls, SortedSet<String> execs,
                            SortedMap<String, SortedSet<String>> arguments) {
        public Behaviour(String source, SortedSet<String> syscalls, SortedSet<String> execs) {
            this(source, syscalls, execs, new TreeMap<>());
        }
    }

    /**
     * + lists: in the observed recording, not in the baseline (drift); - lists: the reverse.
     * addedArguments: "socket(AF_NETLINK)" for a value the baseline does not have.
     */
    public record Drift(SortedSet<String> addedSyscalls, SortedSet<String> removedSyscalls,
                        SortedSet<String> addedExecs, SortedSet<String> removedExecs, SortedSet<String> addedArguments) {
        public boolean drifted() {
            return !addedSyscalls.isEmpty() || !addedExecs.isEmpty() || !addedArguments.isEmpty();
        }
    }

    private ProfileDiff() {
    }

    public static Behaviour ofProfile(String source, SeccompProfile profile) {
        SortedMap<String, SortedSet<String>> arguments = new TreeMap<>();
        ArgumentFilters.fromProfile(profile).values().forEach((name, values) -> arguments.put(name, named(name, values)));
        return new Behaviour(source, SeccompProfiles.allowed(profile), null, arguments);
    }

    /**
     * A container's runs as one recording: the syscalls of {@code union} (its union profile, which
     * also holds the dropped runs), the execs and argument values of every kept run.
     */
    public static Behaviour ofRuns(String source, SeccompProfile union, List<Behaviour> runs) {
        SortedSet<String> execs = new TreeSet<>();
        SortedMap<String, SortedSet<String>> arguments = new TreeMap<>();
        for (Behaviour b : runs) {
            execs.addAll(b.execs());
            b.arguments().forEach((name, values) -> arguments.computeIfAbsent(name, k -> new TreeSet<>()).addAll(values));
        }
        return new Behaviour(source, SeccompProfiles.allowed(union), execs, arguments);
    }

    /** A recording: the syscalls its profile allows, the workload's execs and argument values from report.json. */
    public static Behaviour ofRecording(String source, SeccompProfile profile, JsonNode report) throws IOException {
        SortedSet<String> execs = new TreeSet<>();
        for (JsonNode e : report.path("processes").path("execs")) {
            if (!e.path("runtime").asBoolean(false) && e.hasNonNull("filename")) {
                execs.add(e.get("filename").asText());
            }
        }
        SortedMap<String, SortedSet<String>> arguments = new TreeMap<>();
        ArgumentFilters.Section section = ArgumentFilters.section(report);
        if (section != null) {
            section.syscalls().forEach((name, seen) -> {
                SortedSet<String> values = new TreeSet<>();
                seen.values().forEach(v -> values.add(v.name()));
                arguments.put(name, values);
            });
        }
        return new Behaviour(source, SeccompProfiles.allowed(profile), execs, arguments);
    }

    public static Drift diff(Behaviour baseline, Behaviour observed) {
        boolean execs = baseline.execs() != null && observed.execs() != null;
        SortedSet<String> addedArguments = new TreeSet<>();
        for (Map.Entry<String, SortedSet<String>> e : observed.arguments().entrySet()) {
            SortedSet<String> allowed = baseline.arguments().get(e.getKey());
            if (allowed != null) {
                minus(e.getValue(), allowed).forEach(v -> addedArguments.add(e.getKey() + "(" + v + ")"));
            }
        }
        return new Drift(minus(observed.syscalls(), baseline.syscalls()), minus(baseline.syscalls(), observed.syscalls()),
                execs ? minus(observed.execs(), baseline.execs()) : new TreeSet<>(),
                execs ? minus(baseline.execs(), observed.execs()) : new TreeSet<>(), addedArguments);
    }

    private static SortedSet<String> named(String syscall, SortedSet<Long> values) {
        SortedSet<String> out = new TreeSet<>();
        values.forEach(v -> out.add(ArgumentFilters.valueName(syscall, v)));
        return out;
    }

    private static SortedSet<String> minus(SortedSet<String> a, SortedSet<String> b) {
        SortedSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
