package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds and runs the small C programs under src/test/c. */
final class TestTools {
    private TestTools() {
    }

    /** The bpf module folder (holds contxray.h); Maven passes it, else the working directory. */
    static Path moduleDir() {
        return Path.of(System.getProperty("contxray.bpf.dir", "")).toAbsolutePath();
    }

    /** Compiles src/test/c/NAME.c into dir/NAME with gcc, failing the test on any warning. */
    static Path compile(String name, Path dir, String... extraFlags) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror"));
        cmd.addAll(List.of(extraFlags));
        cmd.addAll(List.of("-I", moduleDir().toString(), "-o", out.toString(),
                moduleDir().resolve("src/test/c/" + name + ".c").toString()));
        run(cmd);
        return out;
    }

    /** Runs a command, asserts exit 0, returns stdout (stderr is kept in the failure message). */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), () -> "failed: " + cmd + "\n" + out);
        return out;
    }

    /**
     * Why i386 calls through int 0x80 cannot be made here, or null where they can: some VMs kill
     * every int 0x80 with SIGSEGV although the kernel has IA32 emulation. Probed by the helper
     * itself (one getcpu), so a test skips exactly where its own calls would fail.
     */
    static String int80Refusal(Path syscallHelper) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(syscallHelper.toString(), "compat", "1").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: the int 0x80 probe");
        return switch (p.exitValue()) {
            case 0 -> null;
            case 128 + 11 -> "this host kills int 0x80 with SIGSEGV: 32-bit syscalls cannot be made here";
            default -> "int 0x80 getcpu failed on this host (exit " + p.exitValue() + "): " + out;
        };
    }

    /** Where cgroup v2 is mounted (hybrid hosts: /sys/fs/cgroup/unified), from /proc/self/mountinfo. */
    static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && "cgroup2".equals(f[dash + 1])) {
                return Path.of(f[4]);
            }
        }
        throw new IllegalStateException("no cgroup2 mount in /proc/self/mountinfo");
    }
}
