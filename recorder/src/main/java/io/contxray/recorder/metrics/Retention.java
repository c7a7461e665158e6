package io.contxray.recorder.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a stopped container's last sample for a while, so its final counts reach a scrape (and a
 * rate over them ends cleanly) before its series go away. Not thread-safe: the collector calls
 * it under its own lock.
 */
public final class Retention {
    private record Kept(ContainerSample sample, long lastSeenNanos) {
    }

    private final long keepNanos;
    private final Map<String, Kept> byId = new LinkedHashMap<>();

    public Retention(long keepNanos) {
        this.keepNanos = keepNanos;
    }

    /** The live samples, then stopped ones seen within the keep time; older ones are forgotten. */
    public List<ContainerSample> update(List<ContainerSample> live, long nowNanos) {
        for (ContainerSample s : live) {
            byId.put(s.id(), new Kept(s, nowNanos));
        }
        byId.values().removeIf(k -> nowNanos - k.lastSeenNanos() > keepNanos);
        List<ContainerSample> out = new ArrayList<>(byId.size());
        byId.values().forEach(k -> out.add(k.sample()));
        return out;
    }
}
