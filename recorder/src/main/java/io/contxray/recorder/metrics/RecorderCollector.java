package io.contxray.recorder.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns what the recorder holds into Prometheus snapshots at scrape time, so the recorded path
 * pays nothing for the metrics: the kernel's per-slot counters are read here, not per event.
 */
public final class RecorderCollector implements MultiCollector {
    public static final String PREFIX = "contxray_";
    /** Every metric family this collector exports, without the _total suffix of counters. */
    public static final List<String> NAMES = List.of(
            "contxray_container_syscalls", "contxray_container_syscalls_by_name", "contxray_container_execs",
            "contxray_container_file_operations", "contxray_container_connections", "contxray_container_dropped_events",
            "contxray_container_rotated_events", "contxray_containers_recorded", "contxray_attached_programs",
            "contxray_slots_used", "contxray_slots_free", "contxray_events_drained", "contxray_events_lost",
            "contxray_event_lag_seconds");

    private final MetricsSource source;
    private final int topSyscalls;
    private final Retention retention;
    private final LongSupplier nanoTime;

    /** @param topSyscalls how many syscall names get a series of their own per container */
    public RecorderCollector(MetricsSource source, int topSyscalls, Retention retention, LongSupplier nanoTime) {
        this.source = source;
        this.topSyscalls = topSyscalls;
        this.retention = retention;
        this.nanoTime = nanoTime;
    }

    @Override
    public MetricSnapshots collect() {
        List<ContainerSample> containers;
        synchronized (retention) {
            containers = retention.update(source.containers(), nanoTime.getAsLong());
        }
        RecorderHealth health = source.health();
        List<MetricSnapshot> out = new ArrayList<>(containers(containers));
        out.add(gauge("contxray_containers_recorded", "Containers with series here (recording, or stopped recently)",
                Labels.EMPTY, containers.size()));
        out.add(gauge("contxray_attached_programs", "Kernel programs attached (links pinned)", Labels.EMPTY,
                health.attachedPrograms()));
        out.add(gauge("contxray_slots_used", "Recording slots in use", Labels.EMPTY, health.slotsUsed()));
        out.add(gauge("contxray_slots_free", "Recording slots free", Labels.EMPTY, health.slotsTotal() - health.slotsUsed()));
        out.add(counter("contxray_events_drained", "Ring-buffer records read", List.of(point(Labels.EMPTY, health.eventsDrained()))));
        out.add(counter("contxray_events_lost", "Ring-buffer records read but lost, by reason", List.of(
                point(Labels.of("reason", "unrouted"), health.eventsUnrouted()),
                point(Labels.of("reason", "malformed"), health.eventsMalformed()))));
        out.add(gauge("contxray_event_lag_seconds", "Age of the newest event when the recorder read it", Labels.EMPTY,
                health.eventLagSeconds()));
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    private List<MetricSnapshot> containers(List<ContainerSample> containers) {
        List<CounterDataPointSnapshot> syscalls = new ArrayList<>();
        List<CounterDataPointSnapshot> byName = new ArrayList<>();
        List<CounterDataPointSnapshot> execs = new ArrayList<>();
        List<CounterDataPointSnapshot> files = new ArrayList<>();
        List<CounterDataPointSnapshot> connections = new ArrayList<>();
        List<CounterDataPointSnapshot> drops = new ArrayList<>();
        List<CounterDataPointSnapshot> rotated = new ArrayList<>();
        for (ContainerSample c : containers) {
            Labels base = containerLabels(c);
            syscalls.add(point(base, c.syscallsTotal()));
            TopCounts.top(c.syscalls(), topSyscalls).forEach((name, n) -> byName.add(point(base.add("syscall", name), n)));
            execs.add(point(base, c.execs()));
            c.files().forEach((k, n) -> files.add(point(base.add("op", k.op()).add("access", k.access()), n)));
            c.connections().forEach((k, n) -> connections.add(point(base.add("direction", k.direction()).add("family", k.family()), n)));
            c.drops().forEach((type, n) -> drops.add(point(base.add("type", type), n)));
            rotated.add(point(base, c.rotatedEvents()));
        }
        return List.of(
                counter("contxray_container_syscalls", "Syscalls a recorded container made", syscalls),
                counter("contxray_container_syscalls_by_name", "Syscalls by name (the top N per container, the rest as \"other\")", byName),
                counter("contxray_container_execs", "Programs a recorded container executed", execs),
                counter("contxray_container_file_operations", "File operations by op and access", files),
                counter("contxray_container_connections", "Network connections and datagrams by direction and family", connections),
                counter("contxray_container_dropped_events", "Events the kernel dropped (ring buffer full), by type", drops),
                counter("contxray_container_rotated_events", "Events rotated out of the container's event log", rotated));
    }

    static Labels containerLabels(ContainerSample c) {
        return Labels.of("id", c.id(), "name", LabelValues.sanitize(c.name()), "image", LabelValues.sanitize(c.image()),
                "pod", LabelValues.sanitize(c.pod()), "namespace", LabelValues.sanitize(c.namespace()));
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterSnapshot counter(String name, String help, List<CounterDataPointSnapshot> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }
}
