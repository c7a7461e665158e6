package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimMainTest {
    @TempDir
    Path dir;

    record Run(int code, String err) {
    }

    Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShimMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    Path bundle(String name, String config) throws Exception {
        Path b = Files.createDirectory(dir.resolve(name));
        if (config != null) {
            Files.writeString(b.resolve("config.json"), config);
        }
        return b;
    }

    @Test
    void usage() {
        assertEquals(2, run("create", "x").code());
        assertEquals(2, run("--mode", "some", "--", "create", "x").code());
        assertEquals(ShimMain.USAGE + "\n", run("--", "create").err());
    }

    @Test
    void patchesOnCreateRunRestoreOnly() throws Exception {
        String annotated = "{\"annotations\":{\"contxray.record\":\"true\"}}";
        for (String cmd : new String[] {"create", "run", "restore"}) {
            Path b = bundle(cmd, annotated);
            Run r = run("--mode", "annotated", "--", "--root", "/r", "--log-format", "json", cmd, "--bundle", b.toString(), "id1");
            assertEquals(new Run(0, ""), r);
            assertTrue(Files.readString(b.resolve("config.json")).contains("\"createRuntime\""), cmd);
        }
        Path s = bundle("state", annotated);
        assertEquals(new Run(0, ""), run("--mode=all", "--", "state", "id1"));
        assertEquals(annotated, Files.readString(s.resolve("config.json")));
    }

    @Test
    void bundleDefaultsToTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(new Run(0, ""), run("--mode", "all", "--", "create", "id1"));
        assertTrue(Files.readString(dir.resolve("config.json")).contains("poststop"));
    }

    @Test
    void failsOpenUnlessRequired() throws Exception {
        Run missing = run("--mode", "annotated", "--", "create", "--bundle", dir.resolve("gone").toString(), "id1");
        assertEquals(0, missing.code());
        assertEquals("contxray-runc: patching " + dir.resolve("gone/config.json") + ": bundle directory " + dir.resolve("gone")
                + " does not exist (container runs unrecorded)\n", missing.err());

        Path noConfig = bundle("noconfig", null);
        assertEquals(0, run("--mode", "all", "--", "create", "-b", noConfig.toString(), "id1").code());

        Path broken = bundle("broken", "{\"annotations\":{\"contxray.record\":\"true\"}");
        Run open = run("--mode", "annotated", "--", "create", "-b=" + broken, "id1");
        assertEquals(0, open.code());
        assertTrue(open.err().startsWith("contxray-runc: patching " + broken.resolve("config.json") + ": not valid JSON: "), open.err());
        assertTrue(open.err().endsWith("(container runs unrecorded)\n"), open.err());
    }

    @Test
    void failsClosedWhenRequiredAndTellsTheRuntimeLog() throws Exception {
        Path broken = bundle("broken", "{\"annotations\":{\"contxray.record\" : \"required\"},,}");
        Path log = dir.resolve("log.json");
        Run r = run("--mode", "annotated", "--", "--root", "/r", "--log", log.toString(), "--log-format", "json",
                "create", "--bundle", broken.toString(), "id1");
        assertEquals(1, r.code());
        assertEquals(1, r.err().split("\n").length);
        assertTrue(r.err().endsWith("(contxray.record=required: refusing to start the container)\n"), r.err());
        String logged = Files.readString(log);
        assertTrue(logged.startsWith("{\"level\":\"error\",\"msg\":\"contxray-runc: patching "), logged);
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(logged);
        assertEquals("{\"annotations\":{\"contxray.record\" : \"required\"},,}", Files.readString(broken.resolve("config.json")));
    }
}
