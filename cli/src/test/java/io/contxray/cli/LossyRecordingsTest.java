package io.contxray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** profile merge and export refuse a lossy recording (exit 2, one line) unless --allow-lossy, which marks the merge. */
class LossyRecordingsTest {
    private static final String PROFILE = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
            + "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";

    @TempDir
    Path dir;

    private Path recording(String name, long fileDrops, long rotated) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("seccomp.json"), PROFILE);
        Files.writeString(d.resolve("report.json"), "{\"drops\": {\"outOfRange\": 0, \"events\": " + fileDrops
                + ", \"eventsByType\": {\"file\": " + fileDrops + "}, \"rotated\": " + rotated + "}}");
        return d;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(command).execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aLossyRecordingIsRefusedByMergeAndExportWithItsCounts() throws Exception {
        Path clean = recording("clean", 0, 0);
        Path lossy = recording("lossy", 12, 7);
        Path out = dir.resolve("merged");
        Result r = run(new ProfileMergeCommand(), "-o", out.toString(), clean.toString(), lossy.toString());
        assertEquals(2, r.code());
        assertEquals("contxray profile merge: recording " + lossy + " is lossy: the kernel dropped 12 event(s) (file 12); "
                + "7 event(s) rotated out of events.jsonl; a profile from it may miss what was lost (--allow-lossy to use it "
                + "anyway)\n", r.err());
        assertFalse(Files.exists(out), "nothing written");
        for (String format : new String[] {"docker", "apparmor", "network-summary"}) {
            Result e = run(new ProfileExportCommand(), "--format", format, lossy.toString());
            assertEquals(2, e.code(), format);
            assertTrue(e.err().startsWith("contxray profile export: recording " + lossy + " is lossy: the kernel dropped 12"),
                    e.err());
            assertEquals("", e.out());
        }
        assertEquals(0, run(new ProfileExportCommand(), "--format", "docker", clean.toString()).code());
    }

    @Test
    void allowLossyGoesOnWarnsAndMarksTheMerge() throws Exception {
        Path lossy = recording("lossy", 0, 5);
        Path out = dir.resolve("merged");
        Result r = run(new ProfileMergeCommand(), "--allow-lossy", "-o", out.toString(), lossy.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("warning: recording " + lossy + " is lossy: 5 event(s) rotated out of events.jsonl\n", r.err());
        assertEquals("5 event(s) rotated out of events.jsonl",
                Json.mapper().readTree(out.resolve("lossy.json").toFile()).path("lostIn").path(lossy.toString()).asText());
        Result e = run(new ProfileExportCommand(), "--format", "docker", out.toString());
        assertEquals(0, e.code());
        assertEquals("warning: " + out + " was merged from lossy recordings (see its lossy.json)\n", e.err());
        // a merge again without the lossy one takes the mark away
        Path clean = recording("clean", 0, 0);
        assertEquals(0, run(new ProfileMergeCommand(), "-o", out.toString(), clean.toString()).code());
        assertFalse(Files.exists(out.resolve("lossy.json")));
    }
}
