package io.contxray.recorder.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The N largest counts by name, the rest summed under {@link #OTHER}: per-syscall series stay
 * bounded per container while their sum still equals the total.
 */
public final class TopCounts {
    public static final String OTHER = "other";

    private TopCounts() {
    }

    /** Largest first, ties by name; zero counts left out; "other" last when anything was folded. */
    public static Map<String, Long> top(Map<String, Long> counts, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("top-N count must be at least 1, got " + n);
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        counts.forEach((k, v) -> {
            if (v != null && v > 0) {
                entries.add(Map.entry(k, v));
            }
        });
        entries.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        Map<String, Long> out = new LinkedHashMap<>();
        long rest = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (i < n) {
                out.put(entries.get(i).getKey(), entries.get(i).getValue());
            } else {
                rest += entries.get(i).getValue();
            }
        }
        if (rest > 0) {
            out.merge(OTHER, rest, Long::sum);
        }
        return out;
    }
}
