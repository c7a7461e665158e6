package io.contxray.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native fast-path client (target/contxray-hook, built from src/main/c by Maven) against a
 * fake daemon socket and a fake Java launcher: it forwards, it never decides, and every failure
 * hands the same stdin over to the Java hook.
 */
class NativeHookClientTest {
    static final Path CLIENT = Path.of("target/contxray-hook").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path out;
    Path launcher;

    @BeforeEach
    void fakes() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        launcher = dir.resolve("fake-contxray");
        Files.writeString(launcher, "#!/bin/bash\nprintf '%s\\0' \"$0\" \"$@\" > \"$FAKE_OUT/argv\"\n"
                + "cat > \"$FAKE_OUT/stdin\"\nprintf '%s' \"${CONTXRAY_HOOK_PRIOR_FAILURE-unset}\" > \"$FAKE_OUT/prior\"\nexit 7\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Result(int code, String stderr) {
    }

    Result client(Path socket, String stdin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(CLIENT.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CONTXRAY_"));
        pb.environment().put("CONTXRAY_SOCKET", socket.toString());
        pb.environment().put("CONTXRAY_LAUNCHER", launcher.toString());
        pb.environment().put("FAKE_OUT", out.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "contxray-hook did not finish");
        return new Result(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The fake launcher ran as `contxray hook STAGE` with the client's stdin. */
    void assertHandedOver(Result r, String stage, String stdin) throws Exception {
        assertEquals(7, r.code(), "the launcher's exit code must be the hook's: " + r.stderr());
        String argv = Files.readString(out.resolve("argv"));
        assertTrue(argv.endsWith("\0hook\0" + stage + "\0"), argv);
        assertEquals(stdin, Files.readString(out.resolve("stdin")));
    }

    static final String STATE = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":42,\"bundle\":\"/b/\\\"q\\\\\",\n"
            + "\"annotations\":{\"k\":\"tab\\tnl\\u0001 é 😀\"}}\n";

    @Test
    void okAnswerExitsZeroAndSendsTheStateVerbatim() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":true,\"slot\":0,\"cgroupId\":9}")) {
            Result r = client(d.socket(), STATE, Map.of(), "hook", "createRuntime");
            assertEquals(0, r.code(), r.stderr());
            assertEquals("", r.stderr());
            JsonNode req = JSON.readTree(d.request());
            assertEquals(1, req.get("v").asInt());
            assertEquals("hook", req.get("op").asText());
            assertEquals("createRuntime", req.get("stage").asText());
            assertEquals(STATE, req.get("state").asText());
            assertFalse(Files.exists(out.resolve("argv")), "the Java hook must not run");
        }
    }

    @Test
    void missingDaemonHandsOverWithTheReason() throws Exception {
        Result r = client(dir.resolve("none.sock"), STATE, Map.of(), "hook", "poststop");
        assertHandedOver(r, "poststop", STATE);
        String prior = Files.readString(out.resolve("prior"));
        assertTrue(prior.startsWith("connecting to " + dir.resolve("none.sock") + ": "), prior);
    }

    @Test
    void refusalHandsOverWithoutAReasonSoJavaAsksAgain() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":false,\"error\":\"no such container\"}")) {
            Result r = client(d.socket(), STATE, Map.of(), "hook", "createRuntime");
            assertHandedOver(r, "createRuntime", STATE);
            assertEquals("unset", Files.readString(out.resolve("prior")));
        }
    }

    @Test
    void silentDaemonTimesOutWithinTheBudget() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, null)) {
            long t0 = System.nanoTime();
            Result r = client(d.socket(), STATE, Map.of("CONTXRAY_HOOK_TIMEOUT_MS", "300"), "hook", "prestart");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertHandedOver(r, "prestart", STATE);
            assertTrue(Files.readString(out.resolve("prior")).startsWith("no answer from the recorder daemon on "));
            assertTrue(ms < 10_000, "took " + ms + " ms");
        }
    }

    @Test
    void badSettingsOrStagesGoToJava() throws Exception {
        Path none = dir.resolve("none.sock");
        // a malformed budget: Java warns about it and uses its default
        assertHandedOver(client(none, STATE, Map.of("CONTXRAY_HOOK_TIMEOUT_MS", "soon"), "hook", "createRuntime"),
                "createRuntime", STATE);
        assertEquals("unset", Files.readString(out.resolve("prior")));
        assertHandedOver(client(none, "", Map.of(), "hook", "start"), "start", "");
        assertEquals(2, client(none, "", Map.of(), "what").code());
    }

    @Test
    void launcherMissingFailsOpenInOneLine() throws Exception {
        Result r = client(dir.resolve("none.sock"), STATE, Map.of("CONTXRAY_LAUNCHER", "/nonexistent/contxray"),
                "hook", "createRuntime");
        assertEquals(0, r.code());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("contxray: not recording (hook createRuntime): handing over to /nonexistent/contxray: "),
                r.stderr());
    }

    @Test
    void patchSendsAnAbsoluteBundleAndExitsThreeOnAnythingButOk() throws Exception {
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":true}")) {
            assertEquals(0, client(d.socket(), "", Map.of(), "patch", "annotated", "rel/b").code());
            JsonNode req = JSON.readTree(d.request());
            assertEquals("patch", req.get("op").asText());
            assertEquals("annotated", req.get("mode").asText());
            assertEquals(dir.toRealPath() + "/rel/b", req.get("bundle").asText());
        }
        try (FakeDaemon d = new FakeDaemon(dir, "{\"v\":1,\"ok\":false,\"error\":\"x\"}")) {
            assertEquals(3, client(d.socket(), "", Map.of(), "patch", "all", "/abs/b").code());
            assertEquals("/abs/b", JSON.readTree(d.request()).get("bundle").asText());
        }
        assertEquals(3, client(dir.resolve("none.sock"), "", Map.of(), "patch", "all", "/abs/b").code());
    }
}
