package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.analyzer.Analyzer;
import io.contxray.model.Recording;
import io.contxray.model.Registration;
import io.contxray.model.StateDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Docker-style references to recordings, and read commands that leave the state dir as it was. */
class ContainerRefsTest {
    static final String WEB1 = "ab12" + "0".repeat(60);
    static final String WEB2 = "ab34" + "1".repeat(60);
    static final String DB = "cd56" + "2".repeat(60);

    @TempDir
    Path state;

    private void record(String id, String name, String image, String startedAt) throws IOException {
        Registration reg = new Registration(id, 0, 1L, "/sys/fs/cgroup/x", 1, null, Map.of(), startedAt, name, image);
        Recording rec = new Recording(reg, startedAt, "x86_64", "tp_btf", Map.of(157, 1L), Map.of(0, 3L, 1, 1L),
                Map.of(), Map.of(), 0, false, List.of());
        Analyzer.write(rec, new StateDir(state).containerDir(id));
    }

    private ContainerRefs refs() throws IOException {
        record(WEB1, "web", "nginx:1", "2026-12-01T10:00:00Z");
        record(WEB2, "web", "nginx:2", "2026-12-02T10:00:00Z");
        record(DB, "db", "redis", "2026-12-01T09:00:00Z");
        return new ContainerRefs(new StateDir(state));
    }

    @Test
    void idsPrefixesAndNames() throws IOException {
        ContainerRefs r = refs();
        assertEquals(DB, r.resolveId(DB));
        assertEquals(DB, r.resolveId("cd"));
        assertEquals(WEB1, r.resolveId("ab12"));
        assertEquals(DB, r.resolveId("db"));
        assertEquals(WEB2, r.resolveId("web"), "the latest recording of the name");
        assertEquals(WEB2, r.resolveId("web@1"));
        assertEquals(WEB1, r.resolveId("web@2"));
        assertEquals(state.resolve("containers").resolve(DB), r.resolve("db"));
    }

    @Test
    void ambiguousAndUnknownSayWhy() throws IOException {
        ContainerRefs r = refs();
        String amb = assertThrows(IllegalArgumentException.class, () -> r.resolveId("ab")).getMessage();
        assertTrue(amb.startsWith("id prefix \"ab\" matches 2 recordings: say which"), amb);
        assertTrue(amb.contains("\n  ab1200000000  web  nginx:1  2026-12-01T10:00:00Z"), amb);
        assertTrue(amb.contains("\n  ab3411111111  web  nginx:2  2026-12-02T10:00:00Z"), amb);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.resolveId("web@3")).getMessage()
                .startsWith("container web has 2 recording(s), not 3"));
        assertEquals("no recording of container \"nothere\" in " + state + " (not a recorded id, id prefix or container name)",
                assertThrows(IllegalArgumentException.class, () -> r.resolveId("nothere")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.resolveId("../etc"));
    }

    @Test
    void lsListsNewestFirstWithFilters() throws Exception {
        refs();
        assertEquals(List.of(WEB2, WEB1, DB), LsCommand.entries(new StateDir(state)).stream().map(LsCommand.Entry::id).toList());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new LsCommand()).execute("--state-dir", state.toString(), "-q", "--image", "nginx");
            new CommandLine(new LsCommand()).execute("--state-dir", state.toString(), "--name", "db");
            new CommandLine(new LsCommand()).execute("--state-dir", state.toString(), "--refs");
        } finally {
            System.setOut(out);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(WEB2, lines[0]);
        assertEquals(WEB1, lines[1]);
        assertTrue(lines[2].startsWith("ID "), lines[2]);
        assertTrue(lines[3].startsWith("cd5622222222  db ") && lines[3].endsWith("done"), lines[3]);
        assertEquals(List.of("ab3411111111", "web", "ab1200000000", "cd5622222222", "db"), List.of(lines).subList(4, 9));
    }

    @Test
    void pruneRemovesWhatTheSettingsSayAndADryRunNothing() throws Exception {
        refs();
        Map<String, String> before = tree();
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new PruneCommand()).execute("--state-dir", state.toString(), "--keep", "1", "--dry-run"));
            assertEquals(before, tree());
            assertEquals(2, new CommandLine(new PruneCommand()).execute("--state-dir", state.toString()));
            assertEquals(2, new CommandLine(new PruneCommand()).execute("--state-dir", state.toString(), "--older-than", "soon"));
            assertEquals(0, new CommandLine(new PruneCommand()).execute("--state-dir", state.toString(), "--keep", "1"));
        } finally {
            System.setOut(out);
        }
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("would remove 2 recording(s)"), buf.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(WEB2), new StateDir(state).containerIds());
    }

    /** Every file under the state dir with its content's digest, and every directory. */
    private Map<String, String> tree() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.toList()) {
                String key = state.relativize(p).toString();
                out.put(key, Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void readCommandsNeverWrite() throws Exception {
        refs();
        Map<String, String> before = tree();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            for (String ref : List.of("db", "ab12", WEB2, "web@2", "ab", "nothere", "deadbeef", "../x", "web@9")) {
                new CommandLine(new ReportCommand()).execute("--state-dir", state.toString(), ref);
                new CommandLine(new ReportCommand()).execute("--state-dir", state.toString(), "--json", ref);
                if (!List.of("nothere", "deadbeef", "../x").contains(ref)) { // those are images to profile
                    new CommandLine(new ProfileCommand()).execute("--state-dir", state.toString(), "--path", ref);
                }
                new CommandLine(new ProfileExportCommand()).execute("--state-dir", state.toString(), "--format", "docker", ref);
                new CommandLine(new DiffCommand()).execute("--state-dir", state.toString(), "db", ref);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(before, tree());
    }
}
