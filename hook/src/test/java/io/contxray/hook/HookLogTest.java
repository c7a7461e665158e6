package io.contxray.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookLogTest {
    @TempDir
    Path dir;

    @Test
    void linesGoToStderrAndAreAppendedWithATimestamp() throws Exception {
        Path log = dir.resolve("sub/hook.log");
        for (String msg : new String[] {"first", "second"}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(new HookLog(err, log), false, StandardCharsets.UTF_8)) {
                out.println("contxray: " + msg);
            }
            assertEquals("contxray: " + msg + "\n", err.toString(StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ contxray: first"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" contxray: second"));
    }

    @Test
    void silentHookLeavesNoLog() throws Exception {
        Path log = dir.resolve("hook.log");
        new PrintStream(new HookLog(new ByteArrayOutputStream(), log)).close();
        assertFalse(Files.exists(log));
    }

    @Test
    void unwritableLogNeverFailsTheHook() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(new HookLog(err, notADir.resolve("hook.log")))) {
            out.println("still shown");
        }
        assertEquals("still shown\n", err.toString());
    }
}
