package io.contxray.recorder;

import io.contxray.bpf.Layout;
import io.contxray.bpf.SlotCounts;
import io.contxray.model.Registration;
import io.contxray.model.SyscallTable;
import io.contxray.recorder.metrics.ContainerSample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A recording's kernel counters and event counts as a {@link ContainerSample}. */
final class MetricsSamples {
    /** Pod and namespace annotations, the CRI's (containerd, CRI-O) first, then the kubelet's Docker labels. */
    static final List<String> POD_KEYS = List.of("io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name");
    static final List<String> NAMESPACE_KEYS = List.of("io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace");

    private MetricsSamples() {
    }

    static ContainerSample sample(Registration reg, ContainerIdentity identity, SlotCounts counts, long[] eventDrops,
                                  long netDrops, long fileDrops, long capDrops, ActivityCounts activity, long rotated) {
        Map<String, Long> drops = new HashMap<>();
        drops.put("exec", eventDrops[Layout.CX_EVENT_EXEC]);
        drops.put("fork", eventDrops[Layout.CX_EVENT_FORK]);
        drops.put("exit", eventDrops[Layout.CX_EVENT_EXIT]);
        drops.put("net", netDrops);
        drops.put("file", fileDrops);
        drops.put("capability", capDrops);
        String name = identity.name() != null ? identity.name() : reg.name();
        String image = identity.image() != null ? identity.image() : reg.image();
        return new ContainerSample(reg.id(), name, image, annotation(reg, POD_KEYS), annotation(reg, NAMESPACE_KEYS),
                counts.total(), syscallNames(counts, SyscallTable.native_()),
                activity == null ? 0 : activity.execs(), activity == null ? Map.of() : activity.files(),
                activity == null ? Map.of() : activity.connections(), drops, rotated);
    }

    /** Counts by syscall name over both phases; compat (32-bit) and x32 calls under their own ABI's names. */
    static Map<String, Long> syscallNames(SlotCounts counts, SyscallTable table) {
        Map<String, Long> out = new HashMap<>();
        add(out, counts.beforeNative(), table, "");
        add(out, counts.filteredNative(), table, "");
        table.compat().ifPresent(t -> {
            add(out, counts.beforeCompat(), t, "compat:");
            add(out, counts.filteredCompat(), t, "compat:");
        });
        table.x32().ifPresent(t -> {
            add(out, counts.beforeX32(), t, "x32:");
            add(out, counts.filteredX32(), t, "x32:");
        });
        return out;
    }

    private static void add(Map<String, Long> out, long[] counts, SyscallTable table, String prefix) {
        for (int nr = 0; nr < counts.length; nr++) {
            if (counts[nr] != 0) {
                out.merge(prefix + table.name(nr), counts[nr], Long::sum);
            }
        }
    }

    private static String annotation(Registration reg, List<String> keys) {
        for (String k : keys) {
            String v = reg.annotations().get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
