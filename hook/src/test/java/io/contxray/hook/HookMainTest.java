package io.contxray.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookMainTest {
    @TempDir
    Path dir;

    static String state(String record) {
        String ann = record == null ? "{\"other\":\"x\"}" : "{\"other\":\"x\",\"contxray.record\":\"" + record + "\"}";
        return "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":321,\"bundle\":\"/b/c1\",\"annotations\":" + ann + "}";
    }

    /** Exit code and stderr of one hook run. */
    record Run(int code, String err) {
        List<String> lines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    static Run run(HookSettings settings, String stdin, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HookMain.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(err, true, StandardCharsets.UTF_8), settings);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    HookSettings settings(Path socket, long timeoutMs) {
        return new HookSettings(socket, Duration.ofMillis(timeoutMs), Duration.ofMillis(timeoutMs), Duration.ofSeconds(2), null);
    }

    HookSettings missingSocket() {
        return settings(dir.resolve("nope.sock"), 2000);
    }

    @Test
    void usage() {
        assertEquals(2, run(missingSocket(), state(null)).code());
        assertEquals(2, run(missingSocket(), state(null), "start").code());
        assertEquals(2, run(missingSocket(), state(null), "createRuntime", "x").code());
    }

    @Test
    void badStateFailsEveryStage() {
        for (String stage : List.of("createRuntime", "prestart", "poststop")) {
            Run r = run(missingSocket(), "{oops", stage);
            assertEquals(1, r.code());
            assertEquals(1, r.lines().size());
            assertTrue(r.err().startsWith("contxray hook " + stage + ": reading OCI state from stdin: malformed JSON: "), r.err());
        }
        Run r = run(missingSocket(), "{\"id\":\"../x\",\"pid\":5}", "createRuntime");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("contxray hook createRuntime: reading OCI state from stdin: container id \"../x\" rejected"), r.err());
    }

    @Test
    void missingDaemonFailsOpenByDefault() {
        for (String record : new String[] {null, "true", "false"}) {
            Run r = run(missingSocket(), state(record), "createRuntime");
            assertEquals(0, r.code(), r.err());
            assertEquals(1, r.lines().size(), r.err());
            assertTrue(r.err().startsWith("contxray: not recording container c1: recorder daemon not reachable at "), r.err());
            assertTrue(r.err().endsWith("(fail-open; set contxray.record=required to refuse)\n"), r.err());
        }
    }

    @Test
    void missingDaemonFailsClosedWhenRequired() {
        Run r = run(missingSocket(), state("required"), "createRuntime");
        assertEquals(1, r.code());
        assertEquals(1, r.lines().size());
        assertTrue(r.err().startsWith("contxray hook createRuntime: not recording container c1: recorder daemon not reachable"), r.err());
        assertEquals(1, run(missingSocket(), state("required"), "prestart").code());
    }

    @Test
    void priorFailureOfTheNativeClientStandsWithoutAnotherCall() throws Exception {
        // the fake daemon would say ok: the prior failure must win without a connection
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":true,\"slot\":3,\"cgroupId\":77}")) {
            HookSettings s = new HookSettings(d.socket(), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    "no answer from the recorder daemon on /run/x.sock in time");
            Run open = run(s, state("true"), "createRuntime");
            assertEquals(0, open.code(), open.err());
            assertEquals("contxray: not recording container c1: no answer from the recorder daemon on /run/x.sock in time"
                    + " (fail-open; set contxray.record=required to refuse)\n", open.err());
            Run closed = run(s, state("required"), "createRuntime");
            assertEquals(1, closed.code());
            assertTrue(closed.err().contains("no answer from the recorder daemon on /run/x.sock in time (contxray.record=required"), closed.err());
            assertEquals(1, run(s, "{\"id\":\"c1\"}", "poststop").code());
            assertFalse(d.sawRequest());
        }
    }

    @Test
    void poststopWithoutDaemonFails() {
        Run r = run(missingSocket(), "{\"id\":\"c1\",\"status\":\"stopped\"}", "poststop");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("contxray hook poststop: stopping the recording of container c1: recorder daemon not reachable"), r.err());
    }

    @Test
    void daemonOkRegistersAndSendsTheState() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":true,\"slot\":3,\"cgroupId\":77}")) {
            Run r = run(settings(d.socket(), 5000), state("true"), "createRuntime");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err());
            JsonNode req = new ObjectMapper().readTree(d.request());
            assertEquals(1, req.get("v").asInt());
            assertEquals("register", req.get("op").asText());
            assertEquals("c1", req.get("id").asText());
            assertEquals(321, req.get("pid").asInt());
            assertEquals("/b/c1", req.get("bundle").asText());
            Map<String, String> ann = new HashMap<>();
            req.get("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
            assertEquals(Map.of("other", "x", "contxray.record", "true"), ann);
        }
    }

    @Test
    void poststopSendsStop() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":true,\"report\":\"/var/lib/contxray/containers/c1/report.json\"}")) {
            Run r = run(settings(d.socket(), 5000), "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"stopped\",\"bundle\":\"/b/c1\"}", "poststop");
            assertEquals(0, r.code(), r.err());
            JsonNode req = new ObjectMapper().readTree(d.request());
            assertEquals("stop", req.get("op").asText());
            assertEquals("c1", req.get("id").asText());
            assertFalse(req.has("pid"));
        }
    }

    @Test
    void daemonRefusalFailsOpenOrClosed() throws Exception {
        String refusal = "{\"v\":1,\"ok\":false,\"error\":\"no free slot (64 containers recorded)\"}";
        try (FakeDaemon d = new FakeDaemon(dir, refusal)) {
            Run r = run(settings(d.socket(), 5000), state("true"), "createRuntime");
            assertEquals(0, r.code());
            assertEquals("contxray: not recording container c1: recorder daemon refused register: no free slot (64 containers recorded)"
                    + " (fail-open; set contxray.record=required to refuse)\n", r.err());
        }
        Path sub = java.nio.file.Files.createDirectory(dir.resolve("r"));
        try (FakeDaemon d = new FakeDaemon(sub, refusal)) {
            Run r = run(settings(d.socket(), 5000), state("required"), "createRuntime");
            assertEquals(1, r.code());
            assertEquals("contxray hook createRuntime: not recording container c1: recorder daemon refused register: "
                    + "no free slot (64 containers recorded) (contxray.record=required: refusing to start it)\n", r.err());
        }
    }

    @Test
    void silentDaemonTimesOutQuickly() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, null)) {
            long t0 = System.nanoTime();
            Run open = run(settings(d.socket(), 300), state("true"), "createRuntime");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, open.code());
            assertTrue(open.err().contains("timed out after"), open.err());
            assertTrue(ms < 3000, "took " + ms + " ms");
            Run closed = run(settings(d.socket(), 300), state("required"), "createRuntime");
            assertEquals(1, closed.code());
            assertTrue(closed.err().contains("is not answering"), closed.err());
        }
    }

    @Test
    void wrongProtocolVersionIsAFailure() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":2,\"ok\":true,\"slot\":1,\"cgroupId\":1}")) {
            Run r = run(settings(d.socket(), 5000), state(null), "createRuntime");
            assertEquals(0, r.code());
            assertTrue(r.err().startsWith("contxray: not recording container c1: "), r.err());
            assertTrue(r.err().contains("protocol version 2"), r.err());
        }
        Path sub = java.nio.file.Files.createDirectory(dir.resolve("v2"));
        try (FakeDaemon d = new FakeDaemon(sub, "{\"v\":2,\"ok\":true}")) {
            assertEquals(1, run(settings(d.socket(), 5000), state("required"), "createRuntime").code());
        }
    }

    @Test
    void stderrIsClosedAndNothingElseIsWritten() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean[] closed = {false};
        PrintStream ps = new PrintStream(err, false, StandardCharsets.UTF_8) {
            @Override
            public void close() {
                closed[0] = true;
                super.close();
            }
        };
        HookMain.run(new String[] {"createRuntime"}, new ByteArrayInputStream(state(null).getBytes(StandardCharsets.UTF_8)), ps, missingSocket());
        assertTrue(closed[0]);
        assertTrue(err.size() > 0);
    }

    @Test
    void timeoutsFromEnvironment() {
        List<String> warnings = new java.util.ArrayList<>();
        HookSettings s = HookSettings.fromEnvironment(Map.of("CONTXRAY_HOOK_TIMEOUT_MS", "1500", "CONTXRAY_HOOK_STOP_TIMEOUT_MS", "soon"), warnings::add);
        assertEquals(Duration.ofMillis(1500), s.registerBudget());
        assertEquals(HookSettings.DEFAULT_STOP_BUDGET, s.stopBudget());
        assertEquals(List.of("ignoring CONTXRAY_HOOK_STOP_TIMEOUT_MS=soon: not a positive number of milliseconds, using 25000"), warnings);
        assertEquals(HookSettings.DEFAULT_REGISTER_BUDGET, HookSettings.fromEnvironment(Map.of(), warnings::add).registerBudget());
    }
}
