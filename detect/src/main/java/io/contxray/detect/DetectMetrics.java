package io.contxray.detect;

import java.util.List;

/** What the detector counts, for the daemon's metrics (per rule and level since the daemon started). */
public interface DetectMetrics {
    record Count(String rule, Level level, long alerts) {
    }

    /** Alerts raised, per rule and level, sorted by rule. */
    List<Count> alertCounts();

    /** Rules in force now. */
    int rulesLoaded();

    /** Rule reloads that failed (the rules before stayed in force). */
    long reloadFailures();

    /** Containers watched now. */
    int watchedContainers();
}
