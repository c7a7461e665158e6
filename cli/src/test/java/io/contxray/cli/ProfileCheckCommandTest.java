package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** contxray profile check: exit 0 when not wider, 1 naming the syscall, 2 on a bad file. */
class ProfileCheckCommandTest {
    private static final String DOCKER = """
            {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
              {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "valueTwo": 0,
                "op": "SCMP_CMP_MASKED_EQ"}], "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}""";

    @TempDir
    Path tmp;

    private record Out(int code, String out, String err) {
    }

    private static Out run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new ProfileCheckCommand()).execute(args);
            return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void namesTheWiderSyscallAndHonoursCapAdd() throws Exception {
        Path docker = Files.writeString(tmp.resolve("default.json"), DOCKER);
        Path narrow = Files.writeString(tmp.resolve("narrow.json"), "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
                + "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\","
                + "\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}");
        Path wide = Files.writeString(tmp.resolve("wide.json"), "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
                + "{\"names\":[\"read\",\"clone\",\"mount\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        Out ok = run("--against-docker-default", docker.toString(), narrow.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("not wider than Docker's default on any rule (no capabilities)"), ok.out());
        Out bad = run("--against-docker-default", docker.toString(), narrow.toString(), wide.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.out().contains("  clone: the profile allows it with any argument, Docker's default allows it only when "
                + "(arg0 & 0x7e020000) == 0x0\n"), bad.out());
        assertTrue(bad.out().contains("  mount: the profile allows it with any argument, Docker's default refuses it\n"), bad.out());
        Out admin = run("--against-docker-default", docker.toString(), "--cap-add", "CAP_SYS_ADMIN", wide.toString());
        assertTrue(admin.out().contains("capabilities SYS_ADMIN") && !admin.out().contains("clone:"), admin.out());
    }

    @Test
    void badInputIsOneLineAndExit2() throws Exception {
        Path docker = Files.writeString(tmp.resolve("default.json"), "{");
        Out r = run("--against-docker-default", docker.toString(), tmp.resolve("nothing.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("contxray profile check: reading Docker's default profile " + docker + ": not JSON"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path good = Files.writeString(tmp.resolve("good.json"), DOCKER);
        Out missing = run("--against-docker-default", good.toString(), tmp.resolve("nothing.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file or directory"), missing.err());
    }
}
