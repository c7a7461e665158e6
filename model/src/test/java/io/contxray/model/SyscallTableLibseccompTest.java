package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every name in the embedded tables must be the one libseccomp (what runc resolves a profile's
 * names with) knows for that number: an audit name like "pread" was silently dropped by runc and
 * the profile lacked pread64. Needs gcc and libseccomp.so.2 (installed with runc).
 */
class SyscallTableLibseccompTest {
    static final Path LIBSECCOMP = Path.of("/usr/lib/x86_64-linux-gnu/libseccomp.so.2");
    /** Newer than libseccomp 2.5.4 (bookworm) knows: their names come from the kernel. */
    static final int NEWER_THAN_LIBSECCOMP = 451;

    @Test
    void everyNameResolvesToItsNumber(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.exists(LIBSECCOMP), "libseccomp.so.2 not installed");
        Path checker = tmp.resolve("seccomp_names");
        Process cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", checker.toString(),
                Path.of("src/test/c/seccomp_names.c").toAbsolutePath().toString(), "-l:libseccomp.so.2")
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc: " + ccOut);

        for (Map.Entry<String, String> t : Map.of("x86_64", "x86_64", "aarch64", "aarch64", "i386", "x86").entrySet()) {
            Process p = new ProcessBuilder(checker.toString(), t.getValue()).start();
            try (InputStream table = SyscallTable.class.getResourceAsStream("syscalls-" + t.getKey() + ".tsv");
                 var in = p.getOutputStream()) {
                table.transferTo(in);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            List<String> wrong = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                int nr = Integer.parseInt(f[0]);
                int resolved = Integer.parseInt(f[2]);
                // i386 socket and ipc calls: libseccomp answers with its multiplexer pseudo numbers
                boolean multiplexed = t.getKey().equals("i386") && resolved <= -100;
                boolean tooNew = nr >= NEWER_THAN_LIBSECCOMP && resolved == -1;
                if (!multiplexed && !tooNew) {
                    wrong.add(line);
                }
            }
            assertEquals(List.of(), wrong, t.getKey() + ": names libseccomp resolves differently");
        }
    }
}
