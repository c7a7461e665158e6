package io.contxray.analyzer;

import io.contxray.model.Recording;
import io.contxray.model.Registration;
import java.util.List;
import java.util.Map;

final class Fixtures {
    private Fixtures() {
    }

    static Registration registration() {
        return new Registration("c0ffee", 2, 777L, "/sys/fs/cgroup/system.slice/docker-c0ffee.scope", 4321,
                "/run/containerd/io.containerd.runtime.v2.task/moby/c0ffee", Map.of("a", "b"),
                "2026-11-23T01:00:00Z", "web", "nginx:1.27");
    }

    /** x86_64 numbers: 0 read, 1 write, 56 clone, 59 execve, 157 prctl, 317 seccomp, 435 clone3. */
    static Recording recording(String arch, Map<Integer, Long> before, Map<Integer, Long> filtered,
            Map<Integer, Long> beforeCompat, Map<Integer, Long> filteredCompat) {
        return new Recording(registration(), "2026-11-23T01:05:00Z", arch, "tp_btf", before, filtered,
                beforeCompat, filteredCompat, 0L, false, List.of());
    }

    static Recording x86(Map<Integer, Long> before, Map<Integer, Long> filtered) {
        return recording("x86_64", before, filtered, Map.of(), Map.of());
    }
}
