package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.BundleMounts;
import io.contxray.model.CapabilityChecks;
import io.contxray.model.ContainerEvent;
import io.contxray.model.EventStats;
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

    private final Recording rec = Fixtures.x86(Map.of(157, 1L), Map.of(0, 2L, 1, 1L));

    @Test
    void writesTheFiles() throws IOException {
        Path dir = new StateDir(tmp).containerDir("c0ffee");
        WrittenFiles w = Analyzer.write(rec, dir);
        assertEquals(dir.resolve("report.json"), w.report());
        assertEquals(dir.resolve("seccomp.json"), w.seccomp());
        assertEquals(List.of(), w.copies());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.report())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.seccomp())));
        assertEquals(dir.resolve("capabilities.json"), w.capabilities());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.capabilities())));
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        assertEquals("seccomp-filter", report.get("recording").get("cut").asText());
        assertEquals(2, report.get("syscallsUnderFilter").get("read").asLong());
        SeccompProfile profile = Json.read(w.seccomp(), SeccompProfile.class);
        assertEquals(SeccompProfileBuilderTest.nativeAllow(List.of("read", "write")).names(), profile.syscalls().get(0).names());
    }

    @Test
    void writesCopies() throws IOException {
        Path copyDir = tmp.resolve("bundle/contxray");
        WrittenFiles w = Analyzer.write(rec, Files.createDirectory(tmp.resolve("state")), copyDir);
        assertEquals(List.of(copyDir.resolve("seccomp.json"), copyDir.resolve("capabilities.json"),
                copyDir.resolve("report.json")), w.copies());
        assertEquals(Files.readString(w.capabilities()), Files.readString(copyDir.resolve("capabilities.json")));
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
            assertEquals(3, s.count(), "no temp files left");
        }
    }

    @Test
    void profileWarningsReachTheReport() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("state"));
        WrittenFiles w = Analyzer.write(Fixtures.x86(Map.of(), Map.of(500, 1L)), dir);
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        assertTrue(report.get("errors").get(0).asText().contains("[500]"));
    }

    @Test
    void filesAndCapabilitiesFromOneReadOfTheLog() throws IOException {
        Path dir = new StateDir(tmp).containerDir("c0ffee");
        BundleMounts.save(dir, PathClassifierTest.DOCKER);
        List<ContainerEvent> events = List.of(
                FilesBuilderTest.open("/etc/hosts", List.of("read"), null, "nginx", "t1"),
                FilesBuilderTest.open("/data/x", List.of("write"), null, "nginx", "t2"),
                NetworkBuilderTest.net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t3"));
        StringBuilder log = new StringBuilder();
        for (ContainerEvent e : events) {
            log.append(Json.mapper().writeValueAsString(e)).append('\n');
        }
        Files.writeString(dir.resolve("events.jsonl"), log);
        Recording r = Fixtures.x86(Map.of(), Map.of(92, 1L));
        Recording withDrops = new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), r.beforeFilterCompat(), r.filteredCompat(), 0, false, List.of(),
                new EventStats(0, 0, 0, 0, 0, 0, 5, 1), CapabilityChecks.NONE);

        WrittenFiles w = Analyzer.write(withDrops, dir);
        JsonNode report = Json.mapper().readTree(w.report().toFile());
        JsonNode hostBind = report.get("files").get("byClass").get("host-bind");
        assertEquals("/var/lib/docker/containers/c0ffee/hosts", hostBind.get(1).get("hostSource").asText());
        assertTrue(hostBind.get(1).get("runtimeManaged").asBoolean());
        assertEquals("/srv/app-data/x", hostBind.get(0).get("hostSource").asText());
        assertEquals(5, report.get("drops").get("eventsByType").get("file").asLong());
        assertEquals(1, report.get("drops").get("eventsByType").get("capability").asLong());
        assertEquals(6, report.get("drops").get("events").asLong());
        JsonNode caps = Json.mapper().readTree(w.capabilities().toFile());
        assertEquals("[\"CHOWN\",\"NET_BIND_SERVICE\"]", caps.get("add").toString());
        assertEquals("c0ffee", caps.get("container").asText());
        assertEquals("nginx:1.27", caps.get("image").asText());
        assertEquals(report.get("capabilities").get("dockerFlags"), caps.get("dockerFlags"));
    }

    @Test
    void unreadableMountsAreReportedNotFatal() throws IOException {
        Path dir = new StateDir(tmp).containerDir("c0ffee");
        Files.writeString(dir.resolve("mounts.json"), "{");
        JsonNode report = Json.mapper().readTree(Analyzer.write(rec, dir).report().toFile());
        assertTrue(report.get("errors").get(0).asText().startsWith("mounts unknown, files classed by path only: reading "),
                report.get("errors").toString());
    }
}
