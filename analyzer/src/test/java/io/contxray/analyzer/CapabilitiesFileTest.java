package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilitiesFileTest {
    @TempDir
    Path dir;

    static CapabilitiesFile set(String... names) {
        TreeMap<String, CapabilitiesFile.Detail> d = new TreeMap<>();
        for (String n : names) {
            d.put(n, new CapabilitiesFile.Detail("m-" + n, 1L, List.of("e-" + n)));
        }
        return CapabilitiesFile.of("c", "img", "m", d);
    }

    @Test
    void writtenThenReadBack() throws Exception {
        CapabilitiesFile f = set("CHOWN", "NET_BIND_SERVICE");
        assertEquals(f, CapabilitiesFile.read(f.writeTo(dir)));
    }

    @Test
    void badFilesAreRefusedWithTheReason() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"add\":", "not a capabilities file",
                "{\"schema\":\"contxray.capabilities/v1\"}", "no \"add\" list",
                "{\"add\":[\"NET_BIND_SERVICE\",\"ROOT\"]}", "\"ROOT\" is not a Linux capability");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = dir.resolve("capabilities.json");
            Files.writeString(f, c.getKey());
            IOException e = assertThrows(IOException.class, () -> CapabilitiesFile.read(f), c.getKey());
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c.getValue()), e.getMessage());
        }
    }

    @Test
    void unionKeepsEveryCapabilityWithItsFirstDetails() {
        CapabilitiesFile u = CapabilitiesFile.union(List.of(set("CHOWN"), set("SETUID", "CHOWN"), set()));
        assertEquals(List.of("CHOWN", "SETUID"), u.add());
        assertEquals("--cap-drop ALL --cap-add CHOWN --cap-add SETUID", u.dockerFlags());
        assertEquals("m-CHOWN", u.details().get("CHOWN").method());
        assertEquals(List.of(), CapabilitiesFile.union(List.of(set(), set())).add(), "none needed stays none");
    }
}
