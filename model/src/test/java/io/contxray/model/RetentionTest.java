package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static RecordingHead.Head h(String id, String stopped, boolean report) {
        return new RecordingHead.Head(id, null, null, null, stopped, report);
    }

    private static List<String> ids(List<Retention.Removal> l) {
        return l.stream().map(r -> r.head().id()).toList();
    }

    private final List<RecordingHead.Head> heads = List.of(
            h("a", "2026-12-07T11:00:00Z", true), h("b", "2026-12-06T11:00:00Z", true), h("c", "2026-11-01T00:00:00Z", true),
            h("live", null, false), h("busy", "2026-10-01T00:00:00Z", true));

    @Test
    void keepsTheNewestAndTheYoungOnly() {
        assertEquals(List.of("b", "c"), ids(Retention.select(heads, Set.of("busy"), NOW, new Retention.Settings(1, null))));
        assertEquals(List.of("c"), ids(Retention.select(heads, Set.of("busy"), NOW, new Retention.Settings(null, Duration.ofDays(7)))));
        assertEquals(List.of("c", "busy"), ids(Retention.select(heads, Set.of(), NOW, new Retention.Settings(5, Duration.ofDays(2)))),
                "what the recorder does not record any more is old");
        assertEquals(List.of(), ids(Retention.select(heads, Set.of("busy"), NOW, new Retention.Settings(null, null))));
        assertThrows(IllegalArgumentException.class, () -> new Retention.Settings(-1, null));
    }

    @Test
    void aDiskBoundKeepsTheNewestThatFit() {
        Retention.Settings s = new Retention.Settings(null, null, 250L);
        List<Retention.Removal> out = Retention.select(heads, Set.of("busy"), NOW, s, h -> 100);
        assertEquals(List.of("c"), ids(out), "a and b fit in 250 bytes, c does not");
        assertEquals("past 250 bytes of newer recordings", out.get(0).reason());
        assertEquals(List.of("a", "b", "c"), ids(Retention.select(heads, Set.of("busy"), NOW, new Retention.Settings(null, null, 99L), h -> 100)),
                "not even the newest fits");
        assertThrows(IllegalArgumentException.class, () -> Retention.select(heads, Set.of(), NOW, s),
                "a disk bound without sizes is a mistake, not an unbounded disk");
        assertEquals("past the newest 1", Retention.select(heads, Set.of("busy"), NOW, new Retention.Settings(1, null)).get(0).reason());
    }

    @Test
    void sizesAreReadable() {
        assertEquals(4096, Retention.parseBytes("4096"));
        assertEquals(512L << 20, Retention.parseBytes("512M"));
        assertEquals(2L << 30, Retention.parseBytes(" 2G "));
        assertEquals(3L << 10, Retention.parseBytes("3k"));
        assertEquals("\"lots\" is not a size (4096, 512M, 2G)",
                assertThrows(IllegalArgumentException.class, () -> Retention.parseBytes("lots")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Retention.parseBytes("999999999999999T"));
        assertThrows(IllegalArgumentException.class, () -> new Retention.Settings(null, null, -1L));
    }

    @Test
    void chooseNeverTakesARunInProgressAndCountsBytesOnDisk(@TempDir Path root) throws IOException {
        StateDir state = new StateDir(root);
        for (String id : List.of("aa", "bb", "cc")) {
            Path dir = state.containerDir(id);
            Files.writeString(dir.resolve("report.json"), "{\"id\":\"" + id + "\",\"stoppedAt\":\"2026-12-0"
                    + (id.equals("aa") ? 1 : id.equals("bb") ? 2 : 3) + "T00:00:00Z\"}");
            Files.createDirectories(dir.resolve("runs/1"));
            Files.writeString(dir.resolve("runs/1/events.jsonl"), "x".repeat(1000));
        }
        // aa's second run is registered with no report: in progress, although its union is old
        Files.createDirectories(state.containerPath("aa").resolve("runs/2"));
        Files.writeString(state.containerPath("aa").resolve("runs/2/registration.json"), "{}");
        Retention.Settings keepOne = new Retention.Settings(1, null);
        assertEquals(List.of("bb"), ids(Retention.choose(state, Set.of(), NOW, keepOne, h -> true)));
        assertEquals(List.of(), ids(Retention.choose(state, Set.of("bb"), NOW, keepOne, h -> true)));
        assertTrue(Retention.bytes(state.containerPath("cc")) > 1000);
        assertEquals(List.of("bb"), ids(Retention.choose(state, Set.of(), NOW, new Retention.Settings(null, null, 1500L), h -> true)));
        assertEquals(0, Retention.bytes(root.resolve("gone")));
    }

    @Test
    void agesAreReadable() {
        assertEquals(Duration.ofDays(7), Retention.parseAge("7d"));
        assertEquals(Duration.ofHours(36), Retention.parseAge("PT36H"));
        assertEquals(Duration.ofSeconds(90), Retention.parseAge("90s"));
        assertEquals("\"soon\" is not an age (7d, 12h, 30m, 90s or PT36H)",
                assertThrows(IllegalArgumentException.class, () -> Retention.parseAge("soon")).getMessage());
    }

    @Test
    void removalTakesTheWholeDirectoryAndNothingElse(@TempDir Path root) throws IOException {
        StateDir state = new StateDir(root);
        Path dir = state.containerDir("c0ffee");
        Files.writeString(dir.resolve("report.json"), "{}");
        Files.createDirectories(dir.resolve("runs/1"));
        Files.writeString(dir.resolve("runs/1/events.jsonl"), "x");
        Path outside = Files.writeString(root.resolve("keep-me"), "x");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Retention.remove(state, "c0ffee");
        assertFalse(Files.exists(dir));
        assertTrue(Files.exists(outside), "links are removed, not followed");
        assertEquals(List.of(), state.containerIds());
        Path fake = root.resolve("containers/evil");
        Files.createSymbolicLink(fake, root);
        assertThrows(IOException.class, () -> Retention.remove(state, "evil"));
        assertThrows(IllegalArgumentException.class, () -> Retention.remove(state, "../x"));
    }
}
