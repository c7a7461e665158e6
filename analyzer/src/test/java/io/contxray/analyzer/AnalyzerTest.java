package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
    @TempDir
    Path tmp;

    private final Recording rec = Fixtures.x86(Map.of(157, 1L), Map.of(0, 2L, 56, 1L));

    @Test
    void writesBothFiles() throws IOException {
        Path dir = new StateDir(tmp).containerDir("c0ffee");
        WrittenFiles w = Analyzer.write(rec, dir);
        assertEquals(dir.resolve("report.json"), w.report());
        assertEquals(dir.resolve("seccomp.json"), w.seccomp());
        assertEquals(List.of(), w.copies());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.report())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.seccomp())));
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        assertEquals("seccomp-filter", report.get("recording").get("cut").asText());
        assertEquals(2, report.get("syscallsUnderFilter").get("read").asLong());
        SeccompProfile profile = Json.read(w.seccomp(), SeccompProfile.class);
        assertEquals(SeccompProfileBuilderTest.nativeAllow(List.of("clone", "read")).names(), profile.syscalls().get(0).names());
    }

    @Test
    void writesCopies() throws IOException {
        Path copyDir = tmp.resolve("bundle/contxray");
        WrittenFiles w = Analyzer.write(rec, Files.createDirectory(tmp.resolve("state")), copyDir);
        assertEquals(List.of(copyDir.resolve("seccomp.json"), copyDir.resolve("report.json")), w.copies());
        assertEquals(Files.readString(w.seccomp()), Files.readString(copyDir.resolve("seccomp.json")));
        assertEquals(Files.readString(w.report()), Files.readString(copyDir.resolve("report.json")));
        assertEquals(List.of(), w.copyErrors());
    }

    @Test
    void copyFailureIsRecordedNotFatal() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("bundle"), "a file where the bundle dir should be");
        WrittenFiles w = Analyzer.write(rec, Files.createDirectory(tmp.resolve("state")), blocker.resolve("contxray"));
        assertEquals(1, w.copyErrors().size());
        assertTrue(w.copyErrors().get(0).startsWith("copy to " + blocker.resolve("contxray") + " failed: "), w.copyErrors().get(0));
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        assertEquals(w.copyErrors().get(0), report.get("errors").get(0).asText());
        assertTrue(Files.exists(w.seccomp()));
    }

    @Test
    void failureInContainerDirKeepsOldFilesAndThrows() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("state"));
        Analyzer.write(rec, dir);
        String oldReport = Files.readString(dir.resolve("report.json"));
        // a non-empty directory where seccomp.json goes: the rename fails
        Files.delete(dir.resolve("seccomp.json"));
        Files.createDirectories(dir.resolve("seccomp.json/x"));
        Recording other = Fixtures.x86(Map.of(), Map.of(1, 1L));
        IOException e = assertThrows(IOException.class, () -> Analyzer.write(other, dir));
        assertTrue(e.getMessage().startsWith("writing " + dir.resolve("seccomp.json") + ": "), e.getMessage());
        assertEquals(oldReport, Files.readString(dir.resolve("report.json")));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp files left");
        }
    }

    @Test
    void profileWarningsReachTheReport() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("state"));
        WrittenFiles w = Analyzer.write(Fixtures.x86(Map.of(), Map.of(500, 1L)), dir);
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        assertTrue(report.get("errors").get(0).asText().contains("[500]"));
    }
}
