package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {
    @TempDir
    Path tmp;

    @Test
    void picksTheUnifiedEntryOfAHybridHost() {
        List<String> lines = List.of("12:memory:/docker/abc", "1:name=systemd:/docker/abc", "0::/docker/abc");
        assertEquals(Optional.of("/docker/abc"), Cgroups.v2PathFrom(lines));
        assertEquals(Optional.empty(), Cgroups.v2PathFrom(List.of("4:cpu:/x")));
    }

    @Test
    void resolvesIdsAsDirectoryInodesAndRefusesEscapes() throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("cg"));
        Path dir = Files.createDirectories(mount.resolve("docker/abc"));
        Cgroups cg = new Cgroups(mount, tmp.resolve("proc"));
        long ino = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
        assertEquals(ino, cg.idOf("/docker/abc"));
        assertTrue(cg.alive("/docker/abc", ino));
        assertFalse(cg.alive("/docker/abc", ino + 1));
        assertFalse(cg.alive("/docker/gone", ino));
        IOException escape = assertThrows(IOException.class, () -> cg.idOf("/../../etc"));
        assertTrue(escape.getMessage().contains("leaves"), escape.getMessage());
    }

    @Test
    void readsAProcessCgroupAndNamesAGoneProcess() throws IOException {
        Path proc = Files.createDirectories(tmp.resolve("proc/42"));
        Files.writeString(proc.resolve("cgroup"), "3:pids:/x\n0::/docker/abc\n");
        Cgroups cg = new Cgroups(tmp, tmp.resolve("proc"));
        assertEquals("/docker/abc", cg.pathOf(42));
        assertTrue(assertThrows(IOException.class, () -> cg.pathOf(43)).getMessage().contains("gone"));
        assertThrows(IOException.class, () -> cg.pathOf(0));
    }
}
