package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsJsonTest {
    @TempDir
    Path tmp;

    static Registration registration() {
        return new Registration("abc123", 3, 4242L, "/sys/fs/cgroup/system.slice/docker-abc123.scope", 1234,
                "/run/containerd/abc123", Map.of("z", "1", "io.contxray.record", "true"),
                "2026-11-23T01:02:03.456Z", null, "alpine:3.20");
    }

    @Test
    void registrationRoundTrip() throws IOException {
        Registration r = registration();
        String json = Json.pretty(r);
        assertTrue(json.indexOf("io.contxray.record") < json.indexOf("\"z\""), "annotations sorted: " + json);
        Registration back = Json.mapper().readValue(json, Registration.class);
        assertEquals(r, back);
        assertNull(back.name());
    }

    @Test
    void registrationFileRoundTripAndChecks() throws IOException {
        Path dir = new StateDir(tmp).containerDir("abc123");
        Path file = RegistrationFile.write(dir, registration());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(registration(), RegistrationFile.read(dir));
        Path other = new StateDir(tmp).containerDir("other");
        Files.copy(file, other.resolve(StateDir.REGISTRATION_JSON));
        IOException e = assertThrows(IOException.class, () -> RegistrationFile.read(other));
        assertTrue(e.getMessage().contains("does not match directory"), e.getMessage());
    }

    @Test
    void hostileIdInFileIsRejectedOnOneLine() throws IOException {
        Path f = tmp.resolve("registration.json");
        Files.writeString(f, "{\"id\":\"../etc\",\"slot\":0,\"extra\":1}");
        IOException e = assertThrows(IOException.class, () -> Json.read(f, Registration.class));
        assertTrue(e.getMessage().startsWith("reading " + f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("rejected"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void recordingRoundTrip() throws IOException {
        Recording rec = new Recording(registration(), "2026-11-23T01:05:00Z", "x86_64", "tp_btf",
                Map.of(59, 1L, 0, 10L), Map.of(1, 5L, 435, 2L), Map.of(), Map.of(11, 1L), 3L, true, List.of("one"));
        String json = Json.pretty(rec);
        Recording back = Json.mapper().readValue(json, Recording.class);
        assertEquals(rec, back);
        assertEquals(Long.valueOf(2L), back.filteredNative().get(435));
        JsonNode tree = Json.mapper().readTree(json);
        assertEquals("[\"0\",\"59\"]", Json.mapper().writeValueAsString(
                Json.mapper().convertValue(tree.get("beforeFilterNative"), Map.class).keySet()));
    }

    @Test
    void recordingWithArgumentValuesRoundTripsAndOneWithoutReadsAsNone() throws IOException {
        Recording rec = new Recording(registration(), "2026-11-23T01:05:00Z", "x86_64", "tp_btf", Map.of(), Map.of(41, 2L),
                Map.of(), Map.of(), 0, false, List.of(), EventStats.NONE, CapabilityChecks.NONE,
                new ArgumentValues(List.of(new ArgumentValues.Value(41, true, -1L, 1), new ArgumentValues.Value(41, true, 2, 1)), 0));
        Recording back = Json.mapper().readValue(Json.pretty(rec), Recording.class);
        assertEquals(rec, back);
        assertEquals(2L, back.argumentValues().values().get(0).value(), "sorted unsigned");
        Recording old = new Recording(registration(), null, "x86_64", "tp_btf", null, null, null, null, 0, false, null);
        assertNull(old.argumentValues());
        JsonNode tree = Json.mapper().valueToTree(old);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("argumentValues");
        assertNull(Json.mapper().treeToValue(tree, Recording.class).argumentValues());
    }

    @Test
    void recordingNullsBecomeEmpty() {
        Recording rec = new Recording(registration(), null, "x86_64", "tp_btf", null, null, null, null, 0, false, null);
        assertTrue(rec.filteredNative().isEmpty());
        assertTrue(rec.errors().isEmpty());
        assertEquals(List.of("a"), rec.withErrors(List.of("a")).errors());
    }

    @Test
    void countsHelpers() {
        assertEquals(Map.of(0, 4L, 1, 1L), SyscallCounts.merge(Map.of(0, 3L), Map.of(0, 1L, 1, 1L)));
        assertEquals(5L, SyscallCounts.total(Map.of(0, 4L, 1, 1L)));
        assertEquals(Map.of("read", 3L, "clone3", 1L),
                SyscallCounts.byName(Map.of(0, 3L, 435, 1L), SyscallTable.forArch("x86_64")));
    }
}
