package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
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

/** Runs shim/bin/contxray-runc with a fake runc (records argv and pid) and fake or real java. */
class ContxrayRuncScriptTest {
    static final Path SCRIPT = Path.of("bin/contxray-runc").toAbsolutePath();
    static final String ID = "c0ffee";
    static final String ANNOTATED = "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"contxray.record\":\"true\"}}";
    static final String REQUIRED = "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"contxray.record\": \"required\"}}";
    static final String PLAIN = "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"other\":\"x\"}}";

    @TempDir
    Path dir;
    Path out;
    Path fakeRunc;
    Path loudJava;
    Path recordingJava;
    Path realJava;

    @BeforeEach
    void fakes() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        fakeRunc = script("fake-runc", "printf '%s' \"$$\" > \"$FAKE_OUT/runc.pid\"\n"
                + "for a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$FAKE_OUT/runc.argv\"\n"
                + "echo runc-stdout\nexit 0\n");
        loudJava = script("loud-java", "echo 'JVM STARTED (must not happen)' >&2\ntouch \"$FAKE_OUT/java.called\"\nexit 99\n");
        recordingJava = script("recording-java", "printf '%s\\0' \"$@\" > \"$FAKE_OUT/java.argv\"\n"
                + "read -t 1 line && echo \"stdin:$line\" > \"$FAKE_OUT/java.stdin\"\necho java-stdout\nexit ${FAKE_JAVA_RC:-0}\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        realJava = script("real-java", "while [[ $# -gt 0 && $1 != runtime-patch ]]; do shift; done; shift\n"
                + "exec '" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -cp \"$TEST_CP\" io.contxray.shim.PatchLauncher \"$@\"\n");
    }

    Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    Path bundle(String name, String config) throws Exception {
        Path b = Files.createDirectories(dir.resolve(name));
        Files.writeString(b.resolve("config.json"), config);
        return b;
    }

    record Result(int code, long pid, String stdout, String stderr) {
    }

    Result wrapper(Path script, Path java, Path cwd, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory((cwd == null ? dir : cwd).toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CONTXRAY_"));
        env.put("CONTXRAY_RUNC", fakeRunc.toString());
        env.put("CONTXRAY_JAVA", java.toString());
        env.put("CONTXRAY_JAR", "/nonexistent/contxray.jar");
        env.put("CONTXRAY_JVM_OPTS", "-Dcx=1");
        env.put("CONTXRAY_FAST_CLIENT", "/nonexistent/contxray-hook"); // the JVM path, unless a test sets one
        env.put("FAKE_OUT", out.toString());
        env.put("TEST_CP", testClassPath());
        env.putAll(extraEnv);
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            stdin.write("container-stdin\n".getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException exitedAlready) {
            // a pass-through run may be over before its stdin is written
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "wrapper did not finish");
        return new Result(p.exitValue(), p.pid(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    Result wrapper(Path java, String... args) throws Exception {
        return wrapper(SCRIPT, java, null, Map.of(), args);
    }

    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    List<String> runcArgv() throws Exception {
        return nulSeparated(out.resolve("runc.argv"));
    }

    static List<String> nulSeparated(Path file) throws Exception {
        String s = Files.readString(file);
        if (s.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }

    /** runc ran as the wrapper's own process (exec, not a child) with exactly {@code args}. */
    void assertExecdRunc(Result r, String... args) throws Exception {
        assertEquals(0, r.code(), r.stderr());
        assertEquals(List.of(args), runcArgv());
        assertEquals(String.valueOf(r.pid()), Files.readString(out.resolve("runc.pid")), "runc was not exec'd by the wrapper");
        assertEquals("runc-stdout\n", r.stdout());
    }

    @Test
    void passThroughWithoutJvm() throws Exception {
        String[][] cases = {
            {"--root", "/run/runc", "--log", "/l.json", "--log-format", "json", "state", ID},
            {"--version"},
            {"features"},
            {"--root", "/r", "kill", ID, "9"},
            {"start", ID},
            {"delete", "--force", ID},
            {"state", "", "arg with  spaces", "*"},
            {},
        };
        for (String[] args : cases) {
            Result r = wrapper(loudJava, args);
            assertExecdRunc(r, args);
            assertEquals("", r.stderr());
            assertFalse(Files.exists(out.resolve("java.called")), String.join(" ", args));
        }
    }

    @Test
    void createOfAContainerThatDoesNotAskSkipsTheJvm() throws Exception {
        Path b = bundle("plain", PLAIN);
        String[] args = {"--root", "/r", "--log-format", "json", "create", "--bundle", b.toString(), "--pid-file", "/p", ID};
        assertExecdRunc(wrapper(loudJava, args), args);
        String[] eqForm = {"create", "--bundle=" + b, ID};
        assertExecdRunc(wrapper(loudJava, eqForm), eqForm);
        String[] shortForm = {"run", "-b", b.toString(), "-d", ID};
        assertExecdRunc(wrapper(loudJava, shortForm), shortForm);
        String[] cwdForm = {"create", ID};
        assertExecdRunc(wrapper(SCRIPT, loudJava, b, Map.of(), cwdForm), cwdForm);
        assertFalse(Files.exists(out.resolve("java.called")));
    }

    @Test
    void annotatedCreateRunsThePatcherThenExecsRunc() throws Exception {
        Path b = bundle("annotated", ANNOTATED);
        String[] args = {"--root", "/r", "--log", "/l", "--log-format", "json", "--systemd-cgroup",
            "create", "-b=" + b, "--pid-file", "/p", "--console-socket", "/s", ID};
        Result r = wrapper(recordingJava, args);
        assertExecdRunc(r, args);
        List<String> java = nulSeparated(out.resolve("java.argv"));
        List<String> expected = new ArrayList<>(List.of("-Dcx=1", "-cp", "/nonexistent/contxray.jar", "io.contxray.cli.Main",
                "runtime-patch", "--mode", "annotated", "--"));
        expected.addAll(List.of(args));
        assertEquals(expected, java);
        assertFalse(Files.exists(out.resolve("java.stdin")), "the JVM must not read the container's stdin");
        assertEquals("java-stdout\n", r.stderr(), "the JVM's stdout must go to stderr");
    }

    @Test
    void contxrayRecordPatchesEveryContainer() throws Exception {
        Path link = dir.resolve("contxray-record");
        Files.createSymbolicLink(link, SCRIPT);
        Path b = bundle("plain", PLAIN);
        String[] args = {"create", "--bundle", b.toString(), ID};
        Result r = wrapper(link, recordingJava, null, Map.of(), args);
        assertExecdRunc(r, args);
        assertEquals(List.of("runtime-patch", "--mode", "all", "--"), nulSeparated(out.resolve("java.argv")).subList(4, 8));
    }

    @Test
    void defaultJvmOptions() throws Exception {
        Path b = bundle("annotated", ANNOTATED);
        // CONTXRAY_JVM_OPTS unset: start-up flags are filled in.
        Result r = wrapperWithoutJvmOpts(b);
        assertEquals(0, r.code(), r.stderr());
        List<String> java = nulSeparated(out.resolve("java.argv"));
        assertTrue(java.contains("-XX:TieredStopAtLevel=1"), java.toString());
        assertTrue(java.contains("-XX:+UseSerialGC"), java.toString());
    }

    Result wrapperWithoutJvmOpts(Path b) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "create", "--bundle", b.toString(), ID).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CONTXRAY_"));
        pb.environment().put("CONTXRAY_RUNC", fakeRunc.toString());
        pb.environment().put("CONTXRAY_JAVA", recordingJava.toString());
        pb.environment().put("CONTXRAY_FAST_CLIENT", "/nonexistent/contxray-hook");
        pb.environment().put("FAKE_OUT", out.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), p.pid(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void fastClientPatchesWithoutJvmAndFallsBackToItOnFailure() throws Exception {
        Path fast = script("fast-client", "printf '%s\\0' \"$@\" > \"$FAKE_OUT/fast.argv\"\nexit ${FAKE_FAST_RC:-0}\n");
        Path b = bundle("fast", ANNOTATED);
        String[] args = {"--root", "/r", "create", "-b", "fast", ID};
        Result ok = wrapper(SCRIPT, loudJava, dir, Map.of("CONTXRAY_FAST_CLIENT", fast.toString()), args);
        assertExecdRunc(ok, args);
        assertEquals(List.of("patch", "annotated", "fast"), nulSeparated(out.resolve("fast.argv")));
        assertFalse(Files.exists(out.resolve("java.called")));

        // contxray-record: mode all; the bundle defaults to the working directory
        Path record = dir.resolve("contxray-record");
        Files.createSymbolicLink(record, SCRIPT);
        Result all = wrapper(record, loudJava, b, Map.of("CONTXRAY_FAST_CLIENT", fast.toString()), "run", ID);
        assertExecdRunc(all, "run", ID);
        assertEquals(List.of("patch", "all", "."), nulSeparated(out.resolve("fast.argv")));

        // the daemon refused or is down (exit 3): the Java patcher runs, then runc
        Result fallback = wrapper(SCRIPT, recordingJava, dir, Map.of("CONTXRAY_FAST_CLIENT", fast.toString(), "FAKE_FAST_RC", "3"), args);
        assertExecdRunc(fallback, args);
        assertTrue(Files.exists(out.resolve("java.argv")), "the JVM patcher did not run after the fast client failed");

        // CONTXRAY_HOOK_BIN is honoured only by the Java patcher: no fast path
        Files.delete(out.resolve("fast.argv"));
        Result hookBin = wrapper(SCRIPT, recordingJava, dir, Map.of("CONTXRAY_FAST_CLIENT", fast.toString(), "CONTXRAY_HOOK_BIN", "/x"), args);
        assertExecdRunc(hookBin, args);
        assertFalse(Files.exists(out.resolve("fast.argv")));
    }

    @Test
    void patcherFailures() throws Exception {
        Path optional = bundle("optional", ANNOTATED);
        String[] args = {"create", "--bundle", optional.toString(), ID};
        // The JVM did not run (e.g. no jar): optional recording -> runc runs anyway.
        Result open = wrapper(SCRIPT, recordingJava, null, Map.of("FAKE_JAVA_RC", "1"), args);
        assertExecdRunc(open, args);
        assertTrue(open.stderr().endsWith("contxray-runc: patcher " + recordingJava
                + " -cp /nonexistent/contxray.jar failed (exit 1); container runs unrecorded\n"), open.stderr());

        Files.delete(out.resolve("runc.argv"));
        Path required = bundle("required", REQUIRED);
        String[] req = {"create", "--bundle", required.toString(), ID};
        Result closed = wrapper(SCRIPT, recordingJava, null, Map.of("FAKE_JAVA_RC", "1"), req);
        assertEquals(1, closed.code());
        assertFalse(Files.exists(out.resolve("runc.argv")), "runc must not run");
        Result closed127 = wrapper(SCRIPT, dir.resolve("no-such-java"), null, Map.of(), req);
        assertEquals(127, closed127.code());
        assertTrue(closed127.stderr().contains("contxray.record=required: refusing to start the container"), closed127.stderr());
        assertFalse(Files.exists(out.resolve("runc.argv")), "runc must not run");
    }

    @Test
    void aRolloutPolicySendsEveryCreateToThePatcherAndItsRefusalStands() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"rules\":[]}");
        Path b = bundle("plain", PLAIN);
        String[] args = {"create", "--bundle", b.toString(), ID};
        Map<String, String> env = Map.of("CONTXRAY_POLICY", policy.toString());
        assertExecdRunc(wrapper(SCRIPT, recordingJava, null, env, args), args);
        assertTrue(Files.exists(out.resolve("java.argv")), "not annotated, but the policy may name it: patcher asked");

        Files.delete(out.resolve("runc.argv"));
        Result refused = wrapper(SCRIPT, recordingJava, null, Map.of("CONTXRAY_POLICY", policy.toString(),
                "FAKE_JAVA_RC", "1"), args);
        assertEquals(1, refused.code(), refused.stderr());
        assertFalse(Files.exists(out.resolve("runc.argv")), "runc must not run");
    }

    @Test
    void endToEndWithTheRealPatcher() throws Exception {
        Path b = bundle("e2e", ANNOTATED);
        String[] args = {"--root", "/r", "--log-format", "json", "create", "--bundle", b.toString(), "--pid-file", "/p", ID};
        Result r = wrapper(SCRIPT, realJava, null, Map.of("CONTXRAY_HOOK_BIN", "/opt/cx/contxray"), args);
        assertExecdRunc(r, args);
        String config = Files.readString(b.resolve("config.json"));
        assertTrue(config.contains("\"createRuntime\":[{\"path\":\"/opt/cx/contxray\",\"args\":[\"contxray\",\"hook\",\"createRuntime\"],\"timeout\":15}]"), config);

        // Required but unparsable: the real patcher refuses, runc does not run.
        Files.delete(out.resolve("runc.argv"));
        Path broken = bundle("broken", "{\"annotations\":{\"contxray.record\":\"required\"");
        Result refused = wrapper(SCRIPT, realJava, null, Map.of(), "create", "--bundle", broken.toString(), ID);
        assertEquals(1, refused.code(), refused.stderr());
        assertTrue(refused.stderr().startsWith("contxray-runc: patching " + broken.resolve("config.json")), refused.stderr());
        assertFalse(Files.exists(out.resolve("runc.argv")));
        assertTrue(new File(testClassPath().split(File.pathSeparator)[0]).exists());
    }
}
