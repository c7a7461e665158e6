package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.ContainerEvent;
import io.contxray.model.EventLog;
import io.contxray.model.EventStats;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesBuilderTest {
    static final String C = "c0ffee";
    private long ts = 1_000_000_000L;

    private String time() {
        return "2026-11-23T01:00:00." + String.format("%09d", ts % 1_000_000_000L) + "Z";
    }

    ContainerEvent exec(int pid, int ppid, String filename, String... argv) {
        ts += 1_000_000;
        return ContainerEvent.exec(time(), ts, C, pid, pid, ppid, 0, 0, "x", filename, List.of(argv), argv.length,
                false, false);
    }

    ContainerEvent fork(int parent, int child) {
        ts += 1_000_000;
        return ContainerEvent.fork(time(), ts, C, child, parent, parent, "sh");
    }

    ContainerEvent exit(int pid, int code, int signal) {
        ts += 1_000_000;
        return ContainerEvent.exit(time(), ts, C, pid, pid, code, signal, "x");
    }

    /** runc init (pid 4321 = the registration pid) forks a helper, then execs the entrypoint sh, which runs cat and ls. */
    List<ContainerEvent> containerRun() {
        List<ContainerEvent> ev = new ArrayList<>();
        ev.add(fork(4321, 4322));                       // runtime set-up before the entrypoint
        ev.add(exec(4322, 4321, "/usr/bin/helper", "helper"));
        ev.add(exit(4322, 0, 0));
        ev.add(exec(4321, 4300, "/bin/sh", "sh", "-c", "cat /etc/hostname; ls /"));
        ev.add(fork(4321, 4330));
        ev.add(exec(4330, 4321, "/bin/cat", "cat", "/etc/hostname"));
        ev.add(exit(4330, 0, 0));
        ev.add(fork(4321, 4331));
        ev.add(exec(4331, 4321, "/bin/ls", "ls", "/"));
        ev.add(exit(4331, 0, 0));
        ev.add(exit(4321, 3, 0));
        return ev;
    }

    Processes build(int initPid, List<ContainerEvent> events) {
        ProcessesBuilder b = new ProcessesBuilder(initPid);
        events.forEach(b::accept);
        return b.build();
    }

    @Test
    void entrypointIsTheInitPidsFirstExecAndEarlierWorkIsRuntime() {
        Processes p = build(4321, containerRun());
        assertEquals(4, p.execCount());
        assertEquals(3, p.workloadExecCount());
        assertEquals(3, p.forkCount());
        assertEquals(4, p.exitCount());
        assertEquals(new Processes.Init(4321, "/bin/sh", List.of("sh", "-c", "cat /etc/hostname; ls /"),
                p.workloadInit().time()), p.workloadInit());
        assertEquals(List.of(4322), p.runtimePids());

        Map<Integer, Processes.Node> byPid = p.tree().stream()
                .collect(Collectors.toMap(Processes.Node::pid, Function.identity()));
        assertEquals("init", byPid.get(4321).role());
        assertEquals("runtime", byPid.get(4322).role());
        assertEquals("workload", byPid.get(4330).role());
        assertEquals(List.of(4322, 4330, 4331), byPid.get(4321).children());
        assertEquals(List.of("ls", "/"), byPid.get(4331).argv());
        assertEquals(3, byPid.get(4321).exitCode());
        assertEquals(2.0, byPid.get(4330).lifetimeMs(), 1e-9, "fork to exit: two 1 ms steps");
        assertEquals(List.of(4321), p.roots());

        List<Processes.ExecGroup> execs = p.execs();
        assertTrue(execs.get(0).runtime());
        assertEquals("/usr/bin/helper", execs.get(0).filename());
        assertEquals(List.of("/bin/sh", "/bin/cat", "/bin/ls"),
                execs.subList(1, 4).stream().map(Processes.ExecGroup::filename).toList());
    }

    @Test
    void execsAreAggregatedPerFilenameAndArgvWithBoundedPids() {
        List<ContainerEvent> ev = new ArrayList<>();
        ev.add(exec(10, 1, "/bin/sh", "sh"));
        int n = ProcessesBuilder.MAX_PIDS_PER_EXEC + 8;
        for (int i = 0; i < n; i++) {
            ev.add(fork(10, 100 + i));
            ev.add(exec(100 + i, 10, "/bin/true", "/bin/true"));
            ev.add(exit(100 + i, 0, 0));
        }
        ev.add(exec(200, 10, "/bin/true", "/bin/true", "other"));
        Processes p = build(10, ev);
        assertEquals(n + 2, p.execCount());
        Processes.ExecGroup storm = p.execs().get(1);
        assertEquals(n, storm.count());
        assertEquals(ProcessesBuilder.MAX_PIDS_PER_EXEC, storm.pids().size());
        assertEquals(8, storm.pidsOmitted());
        assertEquals(List.of("/bin/true", "other"), p.execs().get(2).argv());
        assertEquals(3, p.execs().size());
    }

    @Test
    void killedProcessAndReusedPid() {
        List<ContainerEvent> ev = new ArrayList<>();
        ev.add(exec(10, 1, "/bin/sh", "sh"));
        ev.add(fork(10, 11));
        ev.add(exec(11, 10, "/bin/sleep", "sleep", "9"));
        ev.add(exit(11, 0, 9));
        ev.add(fork(10, 11)); // pid 11 reused
        ev.add(exit(11, 1, 0));
        Processes p = build(10, ev);
        List<Processes.Node> elevens = p.tree().stream().filter(n -> n.pid() == 11).toList();
        assertEquals(2, elevens.size());
        assertEquals(9, elevens.get(0).signal());
        assertEquals("/bin/sleep", elevens.get(0).filename());
        assertNull(elevens.get(1).filename());
        assertEquals("sh", elevens.get(1).comm(), "a fork that never exec'd shows the parent's command name");
        assertEquals(1, elevens.get(1).exitCode());
        assertNull(elevens.get(1).signal());
    }

    @Test
    void withoutTheEntrypointNothingIsCalledRuntime() {
        List<ContainerEvent> ev = containerRun();
        Processes p = build(999, ev); // registration pid never seen
        assertNull(p.workloadInit());
        assertEquals(List.of(), p.runtimePids());
        assertEquals(4, p.workloadExecCount());
        assertTrue(p.tree().stream().allMatch(n -> "workload".equals(n.role())));
        assertTrue(p.execs().stream().noneMatch(Processes.ExecGroup::runtime));
    }

    @Test
    void processStillRunningHasNoExitOrLifetime() {
        Processes p = build(10, List.of(exec(10, 1, "/bin/sleep", "sleep", "1000")));
        Processes.Node n = p.tree().get(0);
        assertNull(n.exitCode());
        assertNull(n.lifetimeMs());
        assertEquals(List.of(), n.children());
    }

    @Test
    void analyzerReadsTheFirstRotatedAndCurrentLogIntoTheReport(@TempDir Path dir) throws Exception {
        List<ContainerEvent> ev = containerRun();
        StringBuilder first = new StringBuilder();
        StringBuilder older = new StringBuilder();
        StringBuilder newer = new StringBuilder();
        for (int i = 0; i < ev.size(); i++) {
            (i < 2 ? first : i < 4 ? older : newer).append(Json.mapper().writeValueAsString(ev.get(i))).append('\n');
        }
        newer.append("{\"type\":\"exec\",\"pid\":12"); // a torn last line (recorder killed mid-write)
        Files.writeString(dir.resolve(EventLog.FIRST), first, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(EventLog.ROTATED), older, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(EventLog.CURRENT), newer, StandardCharsets.UTF_8);
        Recording rec = new Recording(Fixtures.registration(), "2026-11-23T01:05:00Z", "x86_64", "tp_btf",
                Map.of(), Map.of(59, 4L), Map.of(), Map.of(), 0, false, List.of(), new EventStats(2, 1, 0, 7, 0, 0));
        Analyzer.write(rec, dir);
        JsonNode r = Json.mapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(4, r.at("/processes/execCount").asLong());
        assertEquals(4321, r.at("/processes/workloadInit/pid").asInt());
        assertEquals("/bin/sh", r.at("/processes/workloadInit/filename").asText());
        assertEquals(3, r.at("/drops/events").asLong());
        assertEquals(2, r.at("/drops/eventsByType/exec").asLong());
        assertEquals(7, r.at("/drops/rotated").asLong());
        assertTrue(r.at("/errors/0").asText().startsWith("1 unreadable line(s) in the event log"), r.at("/errors").toString());
        assertEquals("contxray.report/v1", r.path("schema").asText());
    }
}
