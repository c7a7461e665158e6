package io.contxray.recorder.metrics;

import java.util.Map;

/**
 * What one recorded container's series show at a scrape.
 *
 * @param syscalls    by name, all of them (the collector keeps the top N)
 * @param files       file operations by (op, access); access is "" where the op has none
 * @param connections connections by (direction, family)
 * @param drops       events the kernel dropped, by event type
 */
public record ContainerSample(String id, String name, String image, String pod, String namespace,
                              long syscallsTotal, Map<String, Long> syscalls, long execs,
                              Map<FileKey, Long> files, Map<NetKey, Long> connections,
                              Map<String, Long> drops, long rotatedEvents) {
    public record FileKey(String op, String access) {
    }

    public record NetKey(String direction, String family) {
    }

    public ContainerSample {
        syscalls = Map.copyOf(syscalls);
        files = Map.copyOf(files);
        connections = Map.copyOf(connections);
        drops = Map.copyOf(drops);
    }
}
