package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a newer recording does that a baseline (a profile, or an older recording) does not: the
 * drift that would make an enforced profile break the workload. Execs are compared only when
 * both sides are recordings (a profile knows nothing of them).
 */
public final class ProfileDiff {
    /** @param execs filenames the workload executed; null when the source is a bare profile */
    public record Behaviour(String source, SortedSet<String> syscalls, SortedSet<String> execs) {
    }

    /** + lists: in the observed recording, not in the baseline (drift); - lists: the reverse. */
    public record Drift(SortedSet<String> addedSyscalls, SortedSet<String> removedSyscalls,
                        SortedSet<String> addedExecs, SortedSet<String> removedExecs) {
        public boolean drifted() {
            return !addedSyscalls.isEmpty() || !addedExecs.isEmpty();
        }
    }

    private ProfileDiff() {
    }

    public static Behaviour ofProfile(String source, SeccompProfile profile) {
        return new Behaviour(source, SeccompProfiles.allowed(profile), null);
    }

    /** A recording: the syscalls its profile allows, and the workload's execs from report.json. */
    public static Behaviour ofRecording(String source, SeccompProfile profile, JsonNode report) {
        SortedSet<String> execs = new TreeSet<>();
        for (JsonNode e : report.path("processes").path("execs")) {
            if (!e.path("runtime").asBoolean(false) && e.hasNonNull("filename")) {
                execs.add(e.get("filename").asText());
            }
        }
        return new Behaviour(source, SeccompProfiles.allowed(profile), execs);
    }

    public static Drift diff(Behaviour baseline, Behaviour observed) {
        boolean execs = baseline.execs() != null && observed.execs() != null;
        return new Drift(minus(observed.syscalls(), baseline.syscalls()), minus(baseline.syscalls(), observed.syscalls()),
                execs ? minus(observed.execs(), baseline.execs()) : new TreeSet<>(),
                execs ? minus(baseline.execs(), observed.execs()) : new TreeSet<>());
    }

    private static SortedSet<String> minus(SortedSet<String> a, SortedSet<String> b) {
        SortedSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
