package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.Analyzer;
import io.contxray.model.ArgumentValues;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.Registration;
import io.contxray.model.StateDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Argument rules (on by default) in profile merge, profile ID, export and report, on recordings written by the analyzer. */
class ArgFiltersCommandTest {
    private static final int SOCKET = 41; // x86_64

    @TempDir
    Path state;

    private void record(String id, long family, long count) throws Exception {
        Registration reg = new Registration(id, 0, 1L, "/sys/fs/cgroup/x", 1, null, Map.of(), "2026-11-23T01:00:00Z", null, null);
        Recording rec = new Recording(reg, "2026-11-23T01:00:01Z", "x86_64", "tp_btf", Map.of(157, 1L),
                Map.of(0, 3L, 59, 1L, SOCKET, count), Map.of(), Map.of(), 0, false, List.of(), null, null,
                new ArgumentValues(List.of(new ArgumentValues.Value(SOCKET, true, family, count)), 0));
        Analyzer.write(rec, new StateDir(state).containerDir(id));
    }

    private static String run(Object command, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(command).execute(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mergeWritesOneRuleAFamilyAndExportShowsThem() throws Exception {
        record("a1a1a1", 2, 3);
        record("b2b2b2", 1, 1);
        Path out = state.resolve("merged");
        String said = run(new ProfileMergeCommand(), "-o", out.toString(), "--state-dir", state.toString(),
                "a1a1a1", "b2b2b2");
        assertTrue(said.contains("argument filter: socket only for AF_INET AF_UNIX\n"), said);
        JsonNode p = Json.mapper().readTree(out.resolve("seccomp.json").toFile());
        assertFalse(p.at("/syscalls/0/names").toString().contains("\"socket\""), p.toString());
        assertEquals("[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]", p.at("/syscalls/1/args").toString());
        assertEquals("[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]", p.at("/syscalls/2/args").toString());
        JsonNode coverage = Json.mapper().readTree(out.resolve("coverage.json").toFile());
        assertEquals("{\"AF_INET\":1,\"AF_UNIX\":1}", coverage.at("/argumentFilters/socket/seenIn").toString());

        String k8s = run(new ProfileExportCommand(), "--format", "kubernetes", "--name", "web", out.toString());
        assertEquals(2, Json.mapper().readTree(k8s).at("/spec/syscalls/2/args/0/value").asInt(), k8s);
        String docker = run(new ProfileExportCommand(), "--format", "docker", out.toString());
        assertEquals(p.get("syscalls"), Json.mapper().readTree(docker).get("syscalls"));

        // --no-arg-filters: no argument rule, and no coverage of them
        Path plain = state.resolve("plain");
        String off = run(new ProfileMergeCommand(), "--no-arg-filters", "-o", plain.toString(), "--state-dir", state.toString(),
                "a1a1a1", "b2b2b2");
        assertTrue(off.contains("warning: socket: allowed with any argument (argument rules off)"), off);
        assertFalse(Files.readString(plain.resolve("seccomp.json")).contains("args"));
        assertFalse(Files.readString(plain.resolve("coverage.json")).contains("argumentFilters"));
    }

    @Test
    void oneRecordingsProfileHasItsRulesAndTheReportSummary() throws Exception {
        record("c3c3c3", 10, 2);
        String p = run(new ProfileCommand(), "--state-dir", state.toString(), "c3c3c3");
        assertEquals(10, Json.mapper().readTree(p).at("/syscalls/1/args/0/value").asInt(), p);
        String any = run(new ProfileCommand(), "--no-arg-filters", "--state-dir", state.toString(), "c3c3c3");
        assertFalse(any.contains("args"), any);

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ReportCommand.printArguments(Json.mapper().readTree(new StateDir(state).containerDir("c3c3c3")
                .resolve("report.json").toFile()).path("argumentValues"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("arguments  socket(AF_INET6 x2)\n", buf.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream rules = new ByteArrayOutputStream();
        ReportCommand.printArgumentRules(new StateDir(state).containerDir("c3c3c3").resolve("seccomp.json"),
                new PrintStream(rules, true, StandardCharsets.UTF_8));
        assertEquals("arg rules  socket only for AF_INET6\n", rules.toString(StandardCharsets.UTF_8));
    }
}
