package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleMountsTest {
    @TempDir
    Path tmp;

    private static final String CONFIG = """
            {"ociVersion": "1.0.2", "process": {"args": ["nginx"]},
             "mounts": [
              {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec"]},
              {"destination": "/etc/hosts", "type": "bind", "source": "/var/lib/docker/containers/c0ffee/hosts",
               "options": ["rbind", "rprivate"]},
              {"destination": "/data", "source": "/srv/data", "options": ["rbind"], "x-unknown": 1},
              {"destination": "/run"}
             ]}
            """;

    @Test
    void parsesConfigMountsLeniently() throws IOException {
        Path config = Files.writeString(tmp.resolve("config.json"), CONFIG);
        List<BundleMounts.Mount> mounts = BundleMounts.fromConfig(config);
        assertEquals(List.of(
                new BundleMounts.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec")),
                new BundleMounts.Mount("/etc/hosts", "bind", "/var/lib/docker/containers/c0ffee/hosts", List.of("rbind", "rprivate")),
                new BundleMounts.Mount("/data", null, "/srv/data", List.of("rbind")),
                new BundleMounts.Mount("/run", null, null, List.of())), mounts);
    }

    @Test
    void noMountsArrayIsNoMounts() throws IOException {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"ociVersion\": \"1.0.2\"}");
        assertEquals(List.of(), BundleMounts.fromConfig(config));
    }

    @Test
    void malformedConfigNamesTheFile() throws IOException {
        Path broken = Files.writeString(tmp.resolve("config.json"), "{\"mounts\": [");
        IOException e = assertThrows(IOException.class, () -> BundleMounts.fromConfig(broken));
        assertTrue(e.getMessage().startsWith("reading " + broken + ": "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");

        Path wrongType = Files.writeString(tmp.resolve("other.json"), "{\"mounts\": {\"destination\": \"/x\"}}");
        e = assertThrows(IOException.class, () -> BundleMounts.fromConfig(wrongType));
        assertEquals("reading " + wrongType + ": \"mounts\" is not an array", e.getMessage());

        Path entry = Files.writeString(tmp.resolve("entry.json"), "{\"mounts\": [\"/x\"]}");
        e = assertThrows(IOException.class, () -> BundleMounts.fromConfig(entry));
        assertEquals("reading " + entry + ": mounts[0] is not an object", e.getMessage());
    }

    @Test
    void savesAndLoadsPrivately() throws IOException {
        List<BundleMounts.Mount> mounts = BundleMounts.fromConfig(Files.writeString(tmp.resolve("config.json"), CONFIG));
        BundleMounts.save(tmp, mounts);
        Path file = tmp.resolve(StateDir.MOUNTS_JSON);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(mounts, BundleMounts.load(tmp));
    }

    @Test
    void loadWithoutFileIsEmptyAndMalformedFails() throws IOException {
        assertEquals(List.of(), BundleMounts.load(tmp));
        Files.writeString(tmp.resolve(StateDir.MOUNTS_JSON), "not json");
        IOException e = assertThrows(IOException.class, () -> BundleMounts.load(tmp));
        assertTrue(e.getMessage().startsWith("reading " + tmp.resolve(StateDir.MOUNTS_JSON) + ": "), e.getMessage());
    }
}
