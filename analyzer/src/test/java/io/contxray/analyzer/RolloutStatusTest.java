package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {
    static final Instant WRITTEN = Instant.parse("2026-11-23T10:00:00Z");

    static RolloutStatus.ComplainRun run(String profile, String stopped, String... violations) {
        return new RolloutStatus.ComplainRun("c", profile, Instant.parse(stopped), new TreeSet<>(List.of(violations)));
    }

    @Test
    void safeOnlyWithEnoughCleanRunsUnderTheCurrentVersion() {
        List<RolloutStatus.StoredProfile> profiles = List.of(new RolloutStatus.StoredProfile("web", 70, 2, WRITTEN),
                new RolloutStatus.StoredProfile("db", 50, 1, WRITTEN), new RolloutStatus.StoredProfile("new", 10, 1, WRITTEN));
        List<RolloutStatus.ComplainRun> runs = List.of(
                run("web", "2026-11-23T11:00:00Z"), run("web", "2026-11-23T11:01:00Z"), run("web", "2026-11-23T11:02:00Z"),
                run("web", "2026-11-23T09:00:00Z", "mkdir"), // before the profile was rewritten: stale
                run("db", "2026-11-23T11:00:00Z"), run("db", "2026-11-23T11:00:01Z", "unshare", "mount"),
                run("db", "2026-11-23T11:00:02Z", "mount"), run("other", "2026-11-23T11:00:00Z", "x"));
        List<RolloutStatus.Status> s = RolloutStatus.of(profiles, runs, 3);

        RolloutStatus.Status web = s.get(0);
        assertTrue(web.safeToEnforce(), web.verdict());
        assertEquals(3, web.complainRuns());
        assertEquals(1, web.staleComplainRuns());
        assertEquals("safe to enforce: 3 clean complain run(s)", web.verdict());

        RolloutStatus.Status db = s.get(1);
        assertFalse(db.safeToEnforce());
        assertEquals(2, db.violatingRuns());
        assertEquals(new TreeSet<>(List.of("mount", "unshare")), db.violations());
        assertTrue(db.verdict().startsWith("not safe: 2 complain run(s)"), db.verdict());

        RolloutStatus.Status fresh = s.get(2);
        assertFalse(fresh.safeToEnforce());
        assertEquals("not yet: 0 of 3 clean complain run(s)", fresh.verdict());
    }
}
