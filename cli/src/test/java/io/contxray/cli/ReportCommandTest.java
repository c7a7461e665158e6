package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReportCommandTest {
    private static final String REPORT = """
            {"id": "c0ffee", "recording": {"method": "tp_btf", "cut": "none"},
             "files": {"method": "tracepoint syscalls/sys_exit_*", "events": 9, "failed": 2, "entries": 3, "omitted": 0,
              "byClass": {"container": [
                  {"path": "/etc/shadow", "access": "read", "count": 2, "errors": {"EACCES": 2}},
                  {"path": "/etc/nginx/nginx.conf", "access": "read", "count": 5}],
                "host-bind": [{"path": "/etc/hosts", "access": "read", "count": 1,
                  "hostSource": "/var/lib/docker/containers/c0ffee/hosts", "runtimeManaged": true}],
                "proc": []}},
             "capabilities": {"method": "tracepoint capability:cap_capable", "recommended": ["SETUID"],
              "dockerFlags": "--cap-drop ALL --cap-add SETUID",
              "required": [{"capability": "SETUID", "method": "tracepoint capability:cap_capable", "count": 4,
                "evidence": ["setuid x2"]}],
              "possible": [], "deniedChecks": [{"capability": "NET_ADMIN", "count": 1, "evidence": []}],
              "ignoredRuntimeChecks": [],
              "ignoredNoAuditChecks": [{"capability": "SYS_ADMIN", "count": 33, "evidence": [], "granted": true}]}}
            """;

    @Test
    void summarisesFilesByClassAndCapabilities() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ReportCommand cmd = new ReportCommand();
        cmd.filesPerClass = 1;
        cmd.print(Json.mapper().readTree(REPORT), Path.of("/state/containers/c0ffee/report.json"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("files      9 calls (2 failed), 3 distinct (path, access)"), out);
        assertTrue(out.contains("  container: 2 entries\n    read      /etc/nginx/nginx.conf  x5\n    ... 1 more"), out);
        assertTrue(out.contains("read      /etc/hosts  x1  (host /var/lib/docker/containers/c0ffee/hosts, managed by the engine)"), out);
        assertTrue(!out.contains("  proc:"), "empty classes are left out");
        assertTrue(out.contains("capabilities SETUID  (method tracepoint capability:cap_capable)\n"
                + "  --cap-drop ALL --cap-add SETUID\n  SETUID x4: setuid x2\n"
                + "  denied to the workload (it ran without): NET_ADMIN x1\n"
                + "  not needed, asked without auditing (overcommit, /proc): SYS_ADMIN x33 granted\n"), out);
    }

    @Test
    void readOnlyHostMountsSaySo() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new ReportCommand().print(Json.mapper().readTree("""
                {"id": "c0ffee", "files": {"byClass": {"host-bind": [
                  {"path": "/conf/app.ini", "access": "write", "count": 1, "errors": {"EROFS": 1},
                   "hostSource": "/srv/conf/app.ini", "hostReadOnly": true}]}}}
                """), Path.of("/r.json"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("write     /conf/app.ini  x1  failed: EROFS x1  (host /srv/conf/app.ini, read-only)"), out);
    }

    @Test
    void aUnionShowsItsRunsThenTheLatestRunInFull(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path c = tmp.resolve("containers/c0ffee");
        java.nio.file.Files.createDirectories(c.resolve("runs/3"));
        java.nio.file.Files.writeString(c.resolve("runs/3/report.json"), REPORT);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new ReportCommand().print(Json.mapper().readTree("""
                {"schema": "contxray.report/v2", "id": "c0ffee",
                 "runs": {"count": 3, "kept": 1, "dropped": 2, "latest": 3, "list": [
                   {"run": 3, "startedAt": "a", "stoppedAt": "b", "distinctSyscalls": 40, "errors": 0}]},
                 "syscalls": {"mkdir": 1, "read": 9}, "totals": {"syscalls": 10, "distinct": 2}, "errors": ["run 3: lost"]}
                """), c.resolve("report.json"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("runs       3 recorded, union of all (1 kept in runs/, 2 dropped past the retention bound"), out);
        assertTrue(out.contains("  run 3  a .. b  40 distinct syscalls\n"), out);
        assertTrue(out.contains("syscalls   10 calls, 2 distinct, over all runs"), out);
        assertTrue(out.contains("error      run 3: lost"), out);
        assertTrue(out.contains("latest run 3:\ncontainer  c0ffee\nreport     " + c.resolve("runs/3/report.json")), out);
        assertTrue(out.contains("files      9 calls (2 failed)"), "the latest run's detail follows: " + out);
    }
}
