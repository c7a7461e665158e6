package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppArmorProfileTest {
    /** The shape of an nginx recording's report.json, cut down. */
    static final String NGINX = """
            {"syscallsUnderFilter": {"read": 3, "socket": 6, "chown": 5},
             "files": {"omitted": 0, "byClass": {
               "container": [
                 {"path": "/etc/nginx/nginx.conf", "access": "read", "count": 1},
                 {"path": "/etc/nginx/conf.d", "access": "read", "count": 1},
                 {"path": "/usr/sbin/nginx", "access": "exec", "count": 1},
                 {"path": "/run/nginx.pid", "access": "create", "count": 1},
                 {"path": "/run/nginx.pid", "access": "unlink", "count": 1},
                 {"path": "/var/lib/nginx/body", "access": "mkdir", "count": 1},
                 {"path": "/tmp/up.new", "access": "rename", "newPath": "/tmp/up", "count": 1}],
               "proc": [{"path": "/proc/17/stat", "access": "read", "count": 2}],
               "unresolved": [{"path": "rel/x", "access": "read", "count": 1}]}},
             "capabilities": {"recommended": ["CHOWN", "SETUID"]},
             "network": {"listening": [{"family": "ipv4", "address": "0.0.0.0", "port": 80},
                                       {"family": "ipv6", "address": "::", "port": 80}],
                         "outbound": [], "inbound": [],
                         "datagrams": [{"protocol": "udp", "family": "ipv4", "remote": "127.0.0.11", "port": 53}],
                         "unix": [{"path": "/var/run/nscd/socket", "connects": 4}]},
             "argumentValues": {"syscalls": {"socket": {"values": [{"value": 1, "name": "AF_UNIX"},
                 {"value": 2, "name": "AF_INET"}, {"value": 16, "name": "AF_NETLINK"}]}}}}
            """;

    static RecordedAccess access(String json) throws Exception {
        return RecordedAccess.fromReport("c1", Json.mapper().readTree(json));
    }

    @Test
    void nginxRecordingGivesItsFilesExecsSocketsAndCapabilities() throws Exception {
        String p = AppArmorProfile.generate("cx-nginx", access(NGINX));
        List<String> lines = p.lines().map(String::strip).toList();
        assertTrue(lines.contains("profile cx-nginx flags=(attach_disconnected,mediate_deleted) {"), p);
        for (String rule : List.of("capability chown,", "capability setuid,", "network inet dgram,", "network inet stream,",
                "network inet6 stream,", "network netlink,", "network unix,", "/etc/nginx/nginx.conf{,/} mr,",
                "/etc/nginx/conf.d{,/} mr,", "/usr/sbin/nginx{,/} mrix,", "/run/nginx.pid{,/} wk,",
                "/var/lib/nginx/body{,/} wk,", "/tmp/up.new{,/} rwkl,", "/tmp/up{,/} rwkl,", "/proc/[0-9]*/stat{,/} mr,",
                "signal (receive) peer=unconfined,", "ptrace (read, readby) peer=cx-nginx,",
                "deny /proc/sysrq-trigger rwklx,", "deny /sys/firmware/** rwklx,", "/etc/resolv.conf r,", "/var/run/nscd/socket{,/} rw,")) {
            assertTrue(lines.contains(rule), rule + " in\n" + p);
        }
        assertFalse(p.contains("mount,"), "mount is denied when the workload never mounted");
        assertFalse(p.contains("ptrace (trace"), p);
        assertTrue(p.contains("# not allowed: 1 path(s)") && p.contains("rel/x"), p);
        assertTrue(p.endsWith("}\n"));
    }

    @Test
    void aDenyTheWorkloadWouldHitIsLeftOutAndItsSyscallsOpenTheirRules() throws Exception {
        String json = NGINX.replace("\"chown\": 5}", "\"chown\": 5, \"ptrace\": 1, \"mount\": 1, \"umount2\": 1}")
                .replace("\"proc\": [", "\"proc\": [{\"path\": \"/proc/sysrq-trigger\", \"access\": \"write\"},");
        String p = AppArmorProfile.generate("cx-nginx", access(json));
        assertFalse(p.contains("deny /proc/sysrq-trigger"), p);
        assertTrue(p.contains("  /proc/sysrq-trigger{,/} wk,"), p);
        assertTrue(p.contains("deny /proc/kcore rwklx,"), p);
        assertTrue(p.contains("  ptrace (trace, tracedby) peer=cx-nginx,\n  mount,\n  umount,\n"), p);
    }

    @Test
    void aFamilyAppArmorCannotNameAllowsAllSocketsRatherThanBreakTheProfile() throws Exception {
        String p = AppArmorProfile.generate("x", access(NGINX.replace("AF_NETLINK", "AF_NEWTHING")));
        assertTrue(p.contains("  network, # a socket family apparmor_parser has no name for: newthing\n"), p);
        assertFalse(p.contains("network inet"), p);
    }

    @Test
    void aMergeIsTheUnionAndATypeKnownInOneIsAnyTypeWhenAnotherDoesNotKnow() throws Exception {
        RecordedAccess a = access("{\"network\": {\"listening\": [{\"family\": \"ipv4\"}]}}");
        RecordedAccess b = access("{\"argumentValues\": {\"syscalls\": {\"socket\": {\"values\": [{\"name\": \"AF_INET\"}]}}},"
                + "\"files\": {\"byClass\": {\"container\": [{\"path\": \"/b\", \"access\": \"read\"}]}, \"omitted\": 3}}");
        RecordedAccess u = RecordedAccess.union(List.of(a, access("{\"network\": {\"datagrams\": [{\"protocol\": \"icmp\", \"family\": \"ipv4\"}]}}")));
        assertEquals("{inet=[dgram, raw, stream]}", u.network().toString());
        RecordedAccess all = RecordedAccess.union(List.of(a, b));
        assertEquals("{inet=[]}", all.network().toString());
        assertEquals(List.of("c1", "c1"), all.sources());
        String p = AppArmorProfile.generate("m", all);
        assertTrue(p.contains("# WARNING: 3 file accesses were counted but not listed"), p);
        assertTrue(p.contains("  /b{,/} mr,"), p);
    }

    @Test
    void aNameThatIsNoProfileNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppArmorProfile.generate("a b", access(NGINX)));
        assertTrue(e.getMessage().contains("\"a b\""), e.getMessage());
    }

    /** The real apparmor_parser (Debian's apparmor package) compiles it, without loading it into a kernel. */
    @Test
    void realApparmorParserCompilesIt(@TempDir Path dir) throws Exception {
        String parser = List.of("/usr/sbin/apparmor_parser", "/sbin/apparmor_parser").stream()
                .filter(f -> new File(f).canExecute()).findFirst().orElse(null);
        Assumptions.assumeTrue(parser != null, "apparmor_parser not installed (Debian package apparmor, install/deps.sh)");
        String odd = NGINX.replace("/tmp/up.new", "/tmp/with space/a*b{c},#@d");
        Path good = dir.resolve("good");
        Files.writeString(good, AppArmorProfile.generate("cx-nginx", access(odd)), StandardCharsets.UTF_8);
        assertEquals(0, compile(parser, good), Files.readString(good));
        Path bad = dir.resolve("bad"); // the control: a profile the parser refuses fails here
        Files.writeString(bad, Files.readString(good).replace("mrix,", "mrixq,"));
        assertTrue(compile(parser, bad) != 0);
    }

    static int compile(String parser, Path file) throws Exception {
        Process p = new ProcessBuilder(parser, "-Q", "-K", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("apparmor_parser did not finish within 60 s");
        }
        return p.exitValue();
    }
}
