package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.Runs;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** x86_64 numbers: 0 read, 1 write, 56 clone, 59 execve, 83 mkdir, 157 prctl. */
class RunUnionTest {
    @TempDir
    Path tmp;

    private Path container() throws IOException {
        return new StateDir(tmp).containerDir("c0ffee");
    }

    private void run(int n, Map<Integer, Long> filtered) throws IOException {
        Recording rec = Fixtures.x86(Map.of(157, 1L), filtered);
        Path dir = new StateDir(tmp).runDir("c0ffee", n);
        Analyzer.write(rec, dir, null, ProfileStore.of(new StateDir(tmp)));
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }

    @Test
    void theUnionHoldsWhatEveryRunDid() throws IOException {
        run(1, Map.of(0, 2L, 56, 1L, 83, 1L)); // the first run makes a directory
        run(2, Map.of(0, 5L, 1, 1L));
        Path c = container();
        RunUnion.update(c, 10);
        JsonNode r = json(c.resolve("report.json"));
        assertEquals(UnionReport.SCHEMA, r.path("schema").asText());
        assertEquals(2, r.path("runs").path("count").asInt());
        assertEquals(0, r.path("runs").path("dropped").asInt());
        assertEquals(2, r.path("runs").path("latest").asInt());
        assertEquals(7, r.path("syscalls").path("read").asLong());
        assertEquals(1, r.path("syscalls").path("mkdir").asLong());
        SeccompProfile union = SeccompProfiles.read(c.resolve("seccomp.json"));
        assertTrue(SeccompProfiles.allowed(union).containsAll(List.of("read", "write", "clone", "mkdir")));
        JsonNode cov = json(c.resolve("coverage.json"));
        assertEquals(2, cov.path("runs").asInt());
        assertEquals(2, cov.path("seenIn").path("syscalls").path("read").asInt());
        assertEquals(1, cov.path("seenIn").path("syscalls").path("mkdir").asInt());
        assertTrue(Files.isRegularFile(c.resolve("capabilities.json")));
        // each run keeps its own v1 report
        assertEquals(Report.SCHEMA, json(c.resolve("runs/1/report.json")).path("schema").asText());
        assertFalse(json(c.resolve("runs/2/report.json")).path("syscalls").has("mkdir"));
    }

    @Test
    void aRunStillBeingRecordedIsNotInTheUnion() throws IOException {
        run(1, Map.of(0, 1L));
        Files.createDirectories(container().resolve("runs/2"));
        RunUnion.update(container(), 1);
        JsonNode r = json(container().resolve("report.json"));
        assertEquals(1, r.path("runs").path("count").asInt());
        assertTrue(Files.isDirectory(container().resolve("runs/2")), "an unfinished run is never dropped");
    }

    @Test
    void runsPastTheBoundAreDroppedButStayInTheUnion() throws IOException {
        run(1, Map.of(83, 1L, 0, 1L));
        run(2, Map.of(0, 1L));
        run(3, Map.of(1, 1L));
        Path c = container();
        RunUnion.update(c, 2);
        assertEquals(List.of(2, 3), Runs.numbers(c));
        DroppedRuns d = DroppedRuns.read(c);
        assertEquals(1, d.count());
        assertEquals(1, d.lastRun());
        JsonNode r = json(c.resolve("report.json"));
        assertEquals(3, r.path("runs").path("count").asInt());
        assertEquals(2, r.path("runs").path("kept").asInt());
        assertEquals(1, r.path("runs").path("dropped").asInt());
        assertEquals(1, r.path("syscalls").path("mkdir").asLong(), "run 1's counts are kept");
        assertTrue(SeccompProfiles.allowed(SeccompProfiles.read(c.resolve("seccomp.json"))).contains("mkdir"));
        JsonNode cov = json(c.resolve("coverage.json"));
        assertEquals(3, cov.path("runs").asInt());
        assertEquals(1, cov.path("seenIn").path("syscalls").path("mkdir").asInt(), "seen in the dropped run only");
        assertEquals(3, cov.path("seenIn").path("syscalls").path("read").asInt());

        // a fourth run folds the second: two dropped, still one mkdir
        run(Runs.next(Runs.numbers(c), d.lastRun()), Map.of(0, 1L));
        RunUnion.update(c, 2);
        assertEquals(List.of(3, 4), Runs.numbers(c));
        r = json(c.resolve("report.json"));
        assertEquals(4, r.path("runs").path("count").asInt());
        assertEquals(2, r.path("runs").path("dropped").asInt());
        assertEquals(3, r.path("syscalls").path("read").asLong());
        assertEquals(4, json(c.resolve("coverage.json")).path("seenIn").path("syscalls").path("read").asInt());
    }

    @Test
    void aRunFoldedBeforeACrashIsNotCountedTwice() throws IOException {
        run(1, Map.of(83, 1L));
        run(2, Map.of(0, 1L));
        Path c = container();
        RunUnion.update(c, 1);
        Path dropped = c.resolve("runs/dropped.json");
        String folded = Files.readString(dropped);
        run(1, Map.of(83, 1L)); // as if the recorder died between dropped.json and deleting runs/1
        RunUnion.update(c, 1);
        assertEquals(folded, Files.readString(dropped));
        assertEquals(List.of(2), Runs.numbers(c));
        assertEquals(1, json(c.resolve("report.json")).path("syscalls").path("mkdir").asLong());
    }

    @Test
    void aCrashLoopStaysBounded() throws IOException {
        Path c = container();
        for (int i = 1; i <= 40; i++) {
            run(Runs.next(Runs.numbers(c), DroppedRuns.read(c).lastRun()), Map.of(0, 1L));
            RunUnion.update(c, 3);
        }
        assertEquals(List.of(38, 39, 40), Runs.numbers(c));
        JsonNode r = json(c.resolve("report.json"));
        assertEquals(40, r.path("runs").path("count").asInt());
        assertEquals(40, r.path("syscalls").path("read").asLong());
        assertEquals(3, r.path("runs").path("list").size());
    }

    @Test
    void nothingFinishedIsAnError() throws IOException {
        IOException e = assertThrows(IOException.class, () -> RunUnion.update(container(), 10));
        assertTrue(e.getMessage().contains("no finished run"), e.getMessage());
    }

    @Test
    void aBrokenDroppedFileIsNamed() throws IOException {
        Path c = container();
        Files.createDirectories(c.resolve("runs"));
        Files.writeString(c.resolve("runs/dropped.json"), "{not json");
        IOException e = assertThrows(IOException.class, () -> RunUnion.update(c, 10));
        assertTrue(e.getMessage().startsWith("reading the dropped runs " + c.resolve("runs/dropped.json")), e.getMessage());
    }
}
