package io.contxray.recorder.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CollectorTest {
    static ContainerSample sample(String id, long execs) {
        return new ContainerSample(id, "web\n1", "busybox:latest", null, null, 10,
                Map.of("read", 6L, "write", 3L, "close", 1L), execs,
                Map.of(new ContainerSample.FileKey("open", "read"), 4L),
                Map.of(new ContainerSample.NetKey("connect", "ipv4"), 2L), Map.of("exec", 0L, "file", 7L), 0);
    }

    private static String expose(RecorderCollector c) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MetricsSource source(AtomicReference<List<ContainerSample>> live) {
        return new MetricsSource() {
            @Override
            public List<ContainerSample> containers() {
                return live.get();
            }

            @Override
            public RecorderHealth health() {
                return new RecorderHealth(12, live.get().size(), 64, 99, 1, 0, 0.25);
            }
        };
    }

    @Test
    void containerCountersCarryItsLabelsAndTheTopSyscalls() throws IOException {
        AtomicReference<List<ContainerSample>> live = new AtomicReference<>(List.of(sample("c1", 3)));
        String text = expose(new RecorderCollector(source(live), 2, new Retention(1000), () -> 0));
        String labels = "id=\"c1\",image=\"busybox:latest\",name=\"web_1\",namespace=\"\",pod=\"\"";
        assertTrue(text.contains("contxray_container_syscalls_total{" + labels + "} 10.0"), text);
        assertTrue(text.contains("contxray_container_syscalls_by_name_total{" + labels + ",syscall=\"read\"} 6.0"), text);
        assertTrue(text.contains("contxray_container_syscalls_by_name_total{" + labels + ",syscall=\"other\"} 1.0"), text);
        assertFalse(text.contains("syscall=\"close\""), text);
        assertTrue(text.contains("contxray_container_execs_total{" + labels + "} 3.0"), text);
        assertTrue(text.contains("contxray_container_file_operations_total{access=\"read\",id=\"c1\",image=\"busybox:latest\",name=\"web_1\",namespace=\"\",op=\"open\",pod=\"\"} 4.0"), text);
        assertTrue(text.contains("contxray_container_connections_total{direction=\"connect\",family=\"ipv4\"," + labels + "} 2.0"), text);
        assertTrue(text.contains("contxray_container_dropped_events_total{" + labels + ",type=\"file\"} 7.0"), text);
        assertTrue(text.contains("contxray_slots_free 63.0"), text);
        assertTrue(text.contains("contxray_attached_programs 12.0"), text);
        assertTrue(text.contains("contxray_events_lost_total{reason=\"unrouted\"} 1.0"), text);
        assertTrue(text.contains("contxray_event_lag_seconds 0.25"), text);
    }

    @Test
    void everyExportedFamilyIsListedInNames() throws IOException {
        AtomicReference<List<ContainerSample>> live = new AtomicReference<>(List.of(sample("c1", 3)));
        String text = expose(new RecorderCollector(source(live), 5, new Retention(1000), () -> 0));
        text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> {
            String name = l.split(" ")[2].replaceFirst("_total$", "");
            assertTrue(RecorderCollector.NAMES.contains(name), name + " is exported but not in NAMES");
        });
        assertEquals(RecorderCollector.NAMES.size(), text.lines().filter(l -> l.startsWith("# TYPE ")).count());
    }

    @Test
    void aStoppedContainersSeriesGoAfterTheKeepTime() throws IOException {
        AtomicReference<List<ContainerSample>> live = new AtomicReference<>(List.of(sample("c1", 3)));
        AtomicLong now = new AtomicLong();
        RecorderCollector c = new RecorderCollector(source(live), 5, new Retention(1000), now::get);
        expose(c);
        live.set(List.of());
        now.set(500);
        assertTrue(expose(c).contains("id=\"c1\""));
        now.set(2000);
        String text = expose(c);
        assertFalse(text.contains("id=\"c1\""), text);
        assertTrue(text.contains("contxray_containers_recorded 0.0"), text);
    }
}
