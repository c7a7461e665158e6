package io.contxray.analyzer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether a stored profile is safe to enforce: enough complain-mode runs under its current
 * version (those that stopped after the profile was last written) and not one violation among
 * them.
 */
public final class RolloutStatus {
    /** A complain-mode run, from its report.json's rollout section. */
    public record ComplainRun(String container, String profile, Instant stoppedAt, SortedSet<String> violations) {
    }

    /** One stored profile: its name, size, how many recordings it was merged from, when it was written. */
    public record StoredProfile(String name, int syscalls, int recordings, Instant writtenAt) {
    }

    /**
     * @param complainRuns       complain runs under the current version of the profile
     * @param violatingRuns      how many of them had violations
     * @param violations         every syscall any of them made outside the profile
     * @param staleComplainRuns  complain runs before the profile was last written (not counted)
     */
    public record Status(String profile, int syscalls, int recordings, int complainRuns, int violatingRuns,
                         SortedSet<String> violations, int staleComplainRuns, boolean safeToEnforce, String verdict) {
    }

    private RolloutStatus() {
    }

    public static List<Status> of(List<StoredProfile> profiles, List<ComplainRun> runs, int minCleanRuns) {
        List<Status> out = new ArrayList<>();
        for (StoredProfile p : profiles) {
            int current = 0;
            int violating = 0;
            int stale = 0;
            SortedSet<String> violations = new TreeSet<>();
            for (ComplainRun r : runs) {
                if (!r.profile().equals(p.name())) {
                    continue;
                }
                if (r.stoppedAt().isBefore(p.writtenAt())) {
                    stale++;
                    continue;
                }
                current++;
                if (!r.violations().isEmpty()) {
                    violating++;
                    violations.addAll(r.violations());
                }
            }
            boolean safe = violating == 0 && current >= minCleanRuns;
            String verdict = violating > 0 ? "not safe: " + violating + " complain run(s) made syscalls outside it"
                    : safe ? "safe to enforce: " + current + " clean complain run(s)"
                    : "not yet: " + current + " of " + minCleanRuns + " clean complain run(s)";
            out.add(new Status(p.name(), p.syscalls(), p.recordings(), current, violating, violations, stale, safe, verdict));
        }
        return out;
    }
}
