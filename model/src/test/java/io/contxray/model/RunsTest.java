package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsTest {
    @TempDir
    Path tmp;

    @Test
    void nextIsOnePastTheRunsOnDiskAndTheDroppedOnes() {
        assertEquals(1, Runs.next(List.of(), 0));
        assertEquals(4, Runs.next(List.of(1, 3, 2), 0));
        assertEquals(8, Runs.next(List.of(5, 6), 7)); // runs 1-7 folded, 5-6 left by a crash mid-drop
        assertEquals(13, Runs.next(List.of(), 12)); // every kept run deleted by hand
    }

    @Test
    void dropsTheOldestBeyondTheBound() {
        assertEquals(List.of(), Runs.toDrop(List.of(1, 2, 3), 3));
        assertEquals(List.of(1, 2), Runs.toDrop(List.of(1, 2, 3, 4, 5), 3));
        assertEquals(List.of(4), Runs.toDrop(List.of(4, 9), 1));
        assertThrows(IllegalArgumentException.class, () -> Runs.toDrop(List.of(1), 0));
    }

    @Test
    void numbersAreTheRunDirectoriesOnly() throws IOException {
        Path c = tmp.resolve("c");
        assertEquals(List.of(), Runs.numbers(c));
        for (String n : List.of("10", "2", "1", "01", "x", "-3")) {
            Files.createDirectories(c.resolve("runs").resolve(n));
        }
        Files.writeString(c.resolve("runs").resolve("3"), "not a dir");
        Files.writeString(c.resolve("runs").resolve("dropped.json"), "{}");
        assertEquals(List.of(1, 2, 10), Runs.numbers(c));
        assertThrows(IllegalArgumentException.class, () -> Runs.dir(c, 0));
    }

    @Test
    void keptFromTheEnvironment() {
        assertEquals(Runs.DEFAULT_KEPT, Runs.keptFromEnvironment(Map.of()));
        assertEquals(3, Runs.keptFromEnvironment(Map.of(Runs.KEPT_ENV, " 3 ")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runs.keptFromEnvironment(Map.of(Runs.KEPT_ENV, "0")));
        assertTrue(e.getMessage().startsWith("CONTXRAY_RUNS_KEPT=0: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Runs.keptFromEnvironment(Map.of(Runs.KEPT_ENV, "many")));
    }

    @Test
    void aSingleRunDirectoryBecomesRunOne() throws IOException {
        Path c = tmp.resolve("c");
        Files.createDirectories(c);
        Files.writeString(c.resolve("report.json"), "{\"schema\":\"contxray.report/v1\"}");
        Files.writeString(c.resolve("events.jsonl"), "{}\n");
        Files.writeString(c.resolve("registration.json"), "{}");
        assertEquals(List.of(c.resolve("report.json")), Runs.runReports(c));
        assertTrue(Runs.adoptSingleRun(c));
        assertFalse(Files.exists(c.resolve("report.json")));
        assertEquals("{}\n", Files.readString(c.resolve("runs/1/events.jsonl")));
        assertEquals(List.of(1), Runs.numbers(c));
        assertEquals(List.of(c.resolve("runs/1/report.json")), Runs.runReports(c));
        assertFalse(Runs.adoptSingleRun(c), "runs/ exists: nothing more to adopt");
    }

    @Test
    void anAdoptionCutShortIsFinished() throws IOException {
        Path c = tmp.resolve("c");
        Files.createDirectories(c.resolve("runs.adopting/1"));
        Files.writeString(c.resolve("runs.adopting/1/registration.json"), "{}");
        Files.writeString(c.resolve("events.jsonl"), "{}\n");
        assertTrue(Runs.adoptSingleRun(c));
        assertTrue(Files.isRegularFile(c.resolve("runs/1/registration.json")));
        assertTrue(Files.isRegularFile(c.resolve("runs/1/events.jsonl")));
        assertFalse(Files.exists(c.resolve("runs.adopting")));
    }

    @Test
    void anEmptyDirectoryHasNothingToAdopt() throws IOException {
        Path c = tmp.resolve("c");
        Files.createDirectories(c);
        assertFalse(Runs.adoptSingleRun(c));
        assertEquals(List.of(), Runs.runReports(c));
    }
}
