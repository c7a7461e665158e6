package io.contxray.recorder.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsPiecesTest {
    @Test
    void topKeepsTheLargestAndFoldsTheRestIntoOther() {
        Map<String, Long> top = TopCounts.top(Map.of("read", 50L, "write", 30L, "openat", 30L, "close", 5L, "brk", 1L, "idle", 0L), 3);
        assertEquals(List.of("read", "openat", "write", "other"), List.copyOf(top.keySet()));
        assertEquals(6L, top.get("other"));
        assertEquals(116L, top.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void topWithoutFoldingHasNoOther() {
        assertEquals(Map.of("read", 2L), TopCounts.top(Map.of("read", 2L), 5));
        assertThrows(IllegalArgumentException.class, () -> TopCounts.top(Map.of(), 0));
    }

    @Test
    void labelValuesLoseControlCharactersAndAreBounded() {
        assertEquals("a_b", LabelValues.sanitize("a\nb"));
        assertEquals("", LabelValues.sanitize(null));
        assertEquals(LabelValues.MAX_LENGTH, LabelValues.sanitize("x".repeat(500)).length());
        assertEquals("busybox:1.36", LabelValues.sanitize("busybox:1.36"));
    }

    @Test
    void addressesParse() {
        assertEquals(Optional.of(new MetricsAddress("127.0.0.1", 9811)), MetricsAddress.parse(null));
        assertEquals(Optional.of(new MetricsAddress("0.0.0.0", 9000)), MetricsAddress.parse("0.0.0.0:9000"));
        assertEquals(Optional.of(new MetricsAddress("127.0.0.1", 0)), MetricsAddress.parse(":0"));
        assertEquals(Optional.of(new MetricsAddress("::1", 9811)), MetricsAddress.parse("[::1]:9811"));
        assertEquals(Optional.empty(), MetricsAddress.parse("off"));
        assertEquals(Optional.empty(), MetricsAddress.resolve("off", "0.0.0.0:1"));
        assertEquals(Optional.of(new MetricsAddress("0.0.0.0", 1)), MetricsAddress.resolve(null, "0.0.0.0:1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("9811"));
        assertTrue(e.getMessage().contains("\"9811\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("host:70000"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("host:x"));
    }

    @Test
    void stoppedContainersStayForTheKeepTimeThenGo() {
        Retention r = new Retention(100);
        ContainerSample a = CollectorTest.sample("a", 1);
        ContainerSample b = CollectorTest.sample("b", 2);
        assertEquals(List.of(a, b), r.update(List.of(a, b), 0));
        assertEquals(List.of(a, b), r.update(List.of(a), 100));
        assertEquals(List.of(a), r.update(List.of(a), 101));
        assertEquals(List.of(), r.update(List.of(), 300));
    }
}
