package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    @Test
    void fieldsFromRegistrationAndRecording() throws Exception {
        Recording rec = new Recording(Fixtures.registration(), "2026-11-23T01:05:00Z", "x86_64", "raw_tracepoint",
                Map.of(157, 4L, 317, 2L, 0, 1L), Map.of(0, 10L, 1, 5L, 59, 1L), Map.of(), Map.of(11, 1L),
                7L, true, List.of("map read failed once"));
        Report r = ReportBuilder.build(rec);
        assertEquals("contxray.report/v1", r.schema());
        assertEquals("c0ffee", r.id());
        assertEquals("web", r.name());
        assertEquals("nginx:1.27", r.image());
        assertEquals(777L, r.cgroupId());
        assertEquals(4321, r.pid());
        assertEquals("2026-11-23T01:00:00Z", r.startedAt());
        assertEquals("2026-11-23T01:05:00Z", r.stoppedAt());
        assertEquals("raw_tracepoint", r.recording().method());
        assertEquals("x86_64", r.recording().arch());
        assertEquals("seccomp-filter", r.recording().cut());
        assertTrue(r.recording().recoveredAfterRestart());
        assertEquals(Map.of("read", 11L, "write", 5L, "execve", 1L, "prctl", 4L, "seccomp", 2L), r.syscalls());
        assertEquals(List.of("execve", "prctl", "read", "seccomp", "write"), List.copyOf(r.syscalls().keySet()));
        assertEquals(Map.of("read", 10L, "write", 5L, "execve", 1L), r.syscallsUnderFilter());
        assertEquals(Map.of("prctl", 4L, "seccomp", 2L, "read", 1L), r.syscallsBeforeFilter());
        assertEquals(Map.of("execve", 1L), r.compatSyscalls(), "i386 names");
        assertNull(r.x32Syscalls(), "no x32 call, no section");
        assertEquals(24L, r.totals().syscalls());
        assertEquals(6, r.totals().distinct());
        assertEquals(7L, r.drops().outOfRange());
        assertEquals(List.of("map read failed once"), r.errors());
    }

    @Test
    void jsonShape() throws Exception {
        Report r = ReportBuilder.build(Fixtures.x86(Map.of(0, 1L), Map.of()));
        JsonNode json = Json.mapper().readTree(Json.pretty(r));
        List<String> keys = iterable(json.fieldNames());
        assertEquals(List.of("schema", "id", "name", "image", "cgroupId", "cgroupPath", "bundle", "pid", "startedAt",
                "stoppedAt", "recording", "syscalls", "syscallsUnderFilter", "syscallsBeforeFilter", "compatSyscalls",
                "processes", "network", "files", "capabilities", "totals", "drops", "errors"), keys);
        assertEquals(0, json.get("processes").get("execCount").asLong());
        assertTrue(json.get("processes").get("workloadInit").isNull());
        assertEquals(0, json.get("drops").get("events").asLong());
        assertEquals(List.of("capability", "exec", "exit", "file", "fork", "net"),
                iterable(json.get("drops").get("eventsByType").fieldNames()));
        assertEquals(0, json.get("drops").get("eventsByType").get("file").asLong());
        assertEquals("none", json.get("files").get("method").asText());
        assertEquals(0, json.get("files").get("byClass").get("host-bind").size());
        assertEquals("--cap-drop ALL", json.get("capabilities").get("dockerFlags").asText());
        assertEquals(0, json.get("drops").get("rotated").asLong());
        assertEquals("none", json.get("recording").get("cut").asText());
        assertEquals("tp_btf", json.get("recording").get("method").asText());
        assertEquals(1, json.get("syscalls").get("read").asLong());
        assertEquals(0, json.get("drops").get("outOfRange").asLong());
        assertEquals(1, json.get("totals").get("distinct").asInt());
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void cutExplanationsAreOneSentence() {
        for (String s : new String[] {Cut.FILTER_EXPLANATION, Cut.NONE_EXPLANATION}) {
            assertTrue(s.endsWith("."));
            assertEquals(s.indexOf(". "), -1, s);
        }
        assertTrue(Cut.NONE_EXPLANATION.contains("runtime's own set-up"));
    }

    @Test
    void unknownNumbersAreShownNotLost() {
        Report r = ReportBuilder.build(Fixtures.x86(Map.of(), Map.of(500, 2L)));
        assertEquals(Map.of("syscall_500", 2L), r.syscalls());
        assertFalse(r.syscalls().isEmpty());
    }

    @Test
    void aarch64CompatHasNoTable() {
        Report r = ReportBuilder.build(Fixtures.recording("aarch64", Map.of(), Map.of(56, 1L), Map.of(), Map.of(5, 1L)));
        assertEquals(Map.of("openat", 1L), r.syscalls());
        assertEquals(Map.of("syscall_5", 1L), r.compatSyscalls());
    }

    @Test
    void x32CallsAreNamedApartFromTheNativeOnes() {
        int x32 = io.contxray.model.SyscallTable.X32_BIT;
        Report r = ReportBuilder.build(Fixtures.x86(Map.of(), Map.of(0, 2L, x32 | 0, 3L, x32 | 514, 1L)));
        assertEquals(Map.of("read", 2L), r.syscalls());
        assertEquals(Map.of("read", 2L), r.syscallsUnderFilter());
        assertEquals(Map.of("read", 3L, "ioctl", 1L), r.x32Syscalls());
        assertEquals(6L, r.totals().syscalls());
        assertEquals(3, r.totals().distinct());
    }
}
