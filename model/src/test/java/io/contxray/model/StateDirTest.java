package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
    @TempDir
    Path tmp;

    @Test
    void defaultAndEnvironmentRoot() {
        assertEquals(Path.of("/var/lib/contxray"), StateDir.fromEnvironment(Map.of()).root());
        assertEquals(Path.of("/var/lib/contxray"), StateDir.fromEnvironment(Map.of(StateDir.ENV, " ")).root());
        assertEquals(tmp, StateDir.fromEnvironment(Map.of(StateDir.ENV, tmp.toString())).root());
    }

    @Test
    void createsContainerDirectories() throws IOException {
        StateDir state = new StateDir(tmp.resolve("state"));
        Path dir = state.containerDir("abc");
        assertEquals(tmp.resolve("state/containers/abc"), dir);
        assertTrue(Files.isDirectory(dir));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.containersDir())));
        assertEquals(dir, state.containerDir("abc"), "idempotent");
        state.containerDir("def");
        Files.createDirectory(state.containersDir().resolve(".junk"));
        assertEquals(List.of("abc", "def"), state.containerIds());
    }

    @Test
    void refusesEscapes() {
        StateDir state = new StateDir(tmp);
        for (String id : new String[] {"../etc", "..", ".", "a/b", "", "x\0y", "a".repeat(200)}) {
            assertThrows(IllegalArgumentException.class, () -> state.containerDir(id), id);
            assertThrows(IllegalArgumentException.class, () -> state.containerPath(id), id);
        }
        assertTrue(Files.notExists(tmp.resolve("etc")));
    }

    @Test
    void refusesSymlinkedContainerDirectory() throws IOException {
        StateDir state = new StateDir(tmp.resolve("state"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(state.containersDir().resolve("evil"), outside);
        IOException e = assertThrows(IOException.class, () -> state.containerDir("evil"));
        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
    }

    @Test
    void fileInPlaceOfDirectoryIsReported() throws IOException {
        StateDir state = new StateDir(tmp.resolve("state"));
        Files.createDirectories(tmp.resolve("state"));
        Files.writeString(tmp.resolve("state/containers"), "not a dir");
        IOException e = assertThrows(IOException.class, state::containersDir);
        assertTrue(e.getMessage().contains(tmp.resolve("state/containers").toString()), e.getMessage());
    }
}
