package io.contxray.recorder;

import io.contxray.model.ContainerEvent;
import io.contxray.recorder.metrics.ContainerSample;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One container's events counted by kind for /metrics, as the event thread routes them (an
 * adder per kind: no lock, no allocation once a kind was seen); read by the scrape thread.
 */
final class ActivityCounts {
    private final LongAdder execs = new LongAdder();
    private final Map<ContainerSample.FileKey, LongAdder> files = new ConcurrentHashMap<>();
    private final Map<ContainerSample.NetKey, LongAdder> connections = new ConcurrentHashMap<>();

    void count(ContainerEvent e) {
        switch (e.type()) {
            case ContainerEvent.EXEC -> execs.increment();
            case ContainerEvent.FILE -> files.computeIfAbsent(new ContainerSample.FileKey(e.op(),
                    e.access() == null ? "" : String.join(",", e.access())), k -> new LongAdder()).increment();
            case ContainerEvent.NET -> {
                if (!"listen".equals(e.kind())) {
                    connections.computeIfAbsent(new ContainerSample.NetKey(e.kind(), e.family()), k -> new LongAdder()).increment();
                }
            }
            default -> {
                // forks, exits, capability checks: in the syscall and report counts instead
            }
        }
    }

    long execs() {
        return execs.sum();
    }

    Map<ContainerSample.FileKey, Long> files() {
        return sums(files);
    }

    Map<ContainerSample.NetKey, Long> connections() {
        return sums(connections);
    }

    private static <K> Map<K, Long> sums(Map<K, LongAdder> adders) {
        Map<K, Long> out = new java.util.HashMap<>();
        adders.forEach((k, a) -> out.put(k, a.sum()));
        return out;
    }
}
