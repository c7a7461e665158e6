package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorPartsTest {
    @Test
    void dockerRuntimesFromDaemonJson() throws Exception {
        assertEquals(Map.of("contxray", "/usr/local/bin/contxray-runc", "nvidia", ""),
                DockerRuntimes.parse("{\"log-level\":\"warn\",\"runtimes\":{\"contxray\":{\"path\":\"/usr/local/bin/contxray-runc\"},"
                        + "\"nvidia\":{\"runtimeArgs\":[]}}}"));
        assertEquals(Map.of(), DockerRuntimes.parse("{\"debug\":true}"));
        assertEquals(Map.of(), DockerRuntimes.parse("{\"runtimes\":null}"));
        assertTrue(assertThrows(IOException.class, () -> DockerRuntimes.parse("[1]")).getMessage().contains("not a JSON object"));
        assertTrue(assertThrows(IOException.class, () -> DockerRuntimes.parse("{\"runtimes\":[]}")).getMessage().contains("runtimes"));
        assertThrows(IOException.class, () -> DockerRuntimes.parse("{\"runtimes\":"));
    }

    @Test
    void firstLineOfACommandIsBounded() {
        assertEquals("a", HostChecks.firstLine(List.of("sh", "-c", "echo a; echo b")));
        assertEquals("err", HostChecks.firstLine(List.of("sh", "-c", "echo err >&2; exit 3")));
        assertEquals("(no output, exit 4)", HostChecks.firstLine(List.of("sh", "-c", "exit 4")));
        assertTrue(HostChecks.firstLine(List.of("/nonexistent/tool")).startsWith("cannot run: "));
        long t0 = System.nanoTime();
        assertEquals("no answer within 300 ms", HostChecks.firstLine(List.of("sleep", "30"), Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }
}
