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

    private static List<String> ids(List<RecordingHead.Head> l) {
        return l.stream().map(RecordingHead.Head::id).toList();
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
