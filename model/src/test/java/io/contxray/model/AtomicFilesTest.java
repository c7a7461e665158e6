package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesContentAndPermissions() throws IOException {
        Path f = tmp.resolve("report.json");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8), "0644");
        assertEquals("one", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8), "rw-------");
        assertEquals("two", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(List.of("report.json"), names(), "no temp files left");
    }

    @Test
    void unsyncedJsonIsReplacedWholeToo() throws IOException {
        Path f = tmp.resolve("events.state.json");
        AtomicFiles.writeJsonUnsynced(f, java.util.Map.of("rotatedEvents", 3), "rw-r--r--");
        AtomicFiles.writeJsonUnsynced(f, java.util.Map.of("rotatedEvents", 7), "rw-r--r--");
        assertEquals(7, Json.mapper().readTree(f.toFile()).get("rotatedEvents").asInt());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(List.of("events.state.json"), names(), "no temp files left");
    }

    @Test
    void failureHalfWayLeavesOldFileAndNoTemp() throws IOException {
        Path f = tmp.resolve("seccomp.json");
        Files.writeString(f, "old");
        AtomicFiles.ContentWriter fullDisk = (channel, data) -> {
            channel.write(ByteBuffer.wrap(data, 0, 2));
            throw new IOException("No space left on device");
        };
        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.write(f, "new content".getBytes(StandardCharsets.UTF_8), "0644", fullDisk));
        assertEquals("writing " + f + ": No space left on device", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("seccomp.json"), names());
    }

    @Test
    void directoryInPlaceOfTargetFailsCleanly() throws IOException {
        Path f = tmp.resolve("report.json");
        Files.createDirectory(f);
        Files.writeString(f.resolve("keep"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, new byte[] {1}, "0644"));
        assertTrue(e.getMessage().startsWith("writing " + f + ": "), e.getMessage());
        assertEquals("x", Files.readString(f.resolve("keep")));
        assertEquals(List.of("report.json"), names(), "temp file removed");
    }

    @Test
    void missingDirectoryIsReported() {
        Path f = tmp.resolve("nope/report.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, new byte[] {1}, "0644"));
        assertTrue(e.getMessage().startsWith("writing " + f + ": no such file"), e.getMessage());
    }

    @Test
    void readOnlyDirectoryLeavesOldFile() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root ignores directory modes");
        Path dir = Files.createDirectory(tmp.resolve("ro"));
        Path f = dir.resolve("report.json");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThrows(IOException.class, () -> AtomicFiles.write(f, new byte[] {1}, "0644"));
            assertEquals("old", Files.readString(f));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void writeJsonIsPrettyAndSorted() throws IOException {
        Path f = tmp.resolve("x.json");
        AtomicFiles.writeJson(f, Map.of("b", 2, "a", 1), "0644");
        assertEquals("{\n  \"a\" : 1,\n  \"b\" : 2\n}\n", Files.readString(f));
    }

    @Test
    void permsParsing() {
        assertEquals("rwxr-x---", PosixFilePermissions.toString(AtomicFiles.parsePerms("750")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(AtomicFiles.parsePerms("0644")));
        assertThrows(IllegalArgumentException.class, () -> AtomicFiles.parsePerms("0999"));
        assertThrows(IllegalArgumentException.class, () -> AtomicFiles.parsePerms("rw"));
    }
}
