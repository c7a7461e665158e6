package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.bpf.BootClock;
import io.contxray.bpf.ProcessEvent;
import io.contxray.model.ContainerEvent;
import io.contxray.model.EventLog;
import io.contxray.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogWriterTest {
    static ContainerEvent exec(int pid) {
        return ContainerEvent.exec("2026-11-23T01:00:00Z", pid, "c0ffee", pid, pid, 1, 0, 0, "true", "/bin/true",
                List.of("/bin/true", "x" + pid), 2, false, false);
    }

    static int lineLength(ContainerEvent e) throws Exception {
        return Json.mapper().writeValueAsBytes(e).length + 1;
    }

    @Test
    void linesAreBufferedThenFlushedAndReadBack(@TempDir Path dir) throws Exception {
        try (EventLogWriter w = new EventLogWriter(dir, EventLogWriter.DEFAULT_MAX_BYTES)) {
            w.append(exec(10));
            w.append(ContainerEvent.exit("2026-11-23T01:00:01Z", 2, "c0ffee", 10, 10, 3, 0, "true"));
            assertEquals(0, Files.size(dir.resolve(EventLog.CURRENT)), "buffered until flushed");
            w.flush();
            assertTrue(Files.size(dir.resolve(EventLog.CURRENT)) > 0);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(EventLog.CURRENT))));
        List<String> lines = Files.readAllLines(dir.resolve(EventLog.CURRENT));
        assertEquals(2, lines.size());
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertEquals("exec", first.get("type").asText());
        assertEquals("c0ffee", first.get("container").asText());
        assertEquals("/bin/true", first.get("filename").asText());
        assertEquals("x10", first.get("argv").get(1).asText());
        assertFalse(first.has("exitCode"), "fields of other types are left out");
        assertFalse(first.has("argvTruncated"));
        assertEquals(3, Json.mapper().readTree(lines.get(1)).get("exitCode").asInt());

        List<ContainerEvent> back = new ArrayList<>();
        EventLog.ReadResult r = EventLog.read(dir, back::add);
        assertEquals(2, r.events());
        assertEquals(exec(10), back.get(0));
    }

    @Test
    void rotationKeepsTheFirstFileAndOneOldFileAndCountsWhatItDeletes(@TempDir Path dir) throws Exception {
        int len = lineLength(exec(100)); // all lines below have the same length (pids 100..199)
        long bound = 3L * len;           // three lines per file
        int n = 10;
        try (EventLogWriter w = new EventLogWriter(dir, bound)) {
            for (int i = 0; i < n; i++) {
                w.append(exec(100 + i));
            }
            // files: [0,1,2] -> kept as the first, [3,4,5] -> rotated, [6,7,8] -> rotated (deletes 3), [9]
            assertEquals(3, w.rotated());
            assertEquals(0, w.failed());
        }
        assertEquals(3, Files.readAllLines(dir.resolve(EventLog.FIRST)).size());
        assertEquals(3, Files.readAllLines(dir.resolve(EventLog.ROTATED)).size());
        assertEquals(1, Files.readAllLines(dir.resolve(EventLog.CURRENT)).size());
        assertTrue(Files.size(dir.resolve(EventLog.CURRENT)) <= bound);
        List<Integer> pids = new ArrayList<>();
        EventLog.read(dir, e -> pids.add(e.pid()));
        assertEquals(List.of(100, 101, 102, 106, 107, 108, 109), pids, "oldest first: the first file, rotated, current");
        assertEquals(3, Json.mapper().readTree(dir.resolve(EventLog.STATE).toFile()).get("rotatedEvents").asLong());

        // a restarted recorder appends, keeps the count and the first file
        try (EventLogWriter w = new EventLogWriter(dir, bound)) {
            assertEquals(3, w.rotated());
            w.append(exec(110));
            w.append(exec(111));
            w.append(exec(112)); // 109,110,111 fill the file: rotates, deleting 106..108
            assertEquals(6, w.rotated());
        }
        assertEquals(3, EventLog.countLines(dir.resolve(EventLog.FIRST)));
        assertEquals(n + 3, 6 + EventLog.countLines(dir.resolve(EventLog.FIRST))
                + EventLog.countLines(dir.resolve(EventLog.ROTATED))
                + EventLog.countLines(dir.resolve(EventLog.CURRENT)), "kept + rotated away = written");
        EventLogWriter.deleteLog(dir);
        for (String name : new String[] {EventLog.FIRST, EventLog.ROTATED, EventLog.CURRENT, EventLog.STATE}) {
            assertFalse(Files.exists(dir.resolve(name)), name);
        }
    }

    @Test
    void aLineLongerThanTheBoundIsStillWritten(@TempDir Path dir) throws Exception {
        try (EventLogWriter w = new EventLogWriter(dir, 10)) {
            w.append(exec(1));
            w.append(exec(2));
            w.append(exec(3));
            assertEquals(0, w.rotated(), "the first two rotations delete nothing");
        }
        assertEquals(1, EventLog.countLines(dir.resolve(EventLog.CURRENT)));
        assertEquals(1, EventLog.countLines(dir.resolve(EventLog.FIRST)));
        assertEquals(1, EventLog.countLines(dir.resolve(EventLog.ROTATED)));
        assertThrows(IllegalArgumentException.class, () -> new EventLogWriter(dir, 0));
    }

    @Test
    void writesAfterCloseAreCountedNotLost(@TempDir Path dir) throws Exception {
        EventLogWriter w = new EventLogWriter(dir, 1000);
        w.close();
        w.append(exec(1));
        assertEquals(1, w.failed());
        assertNull(w.firstFailure());
        EventLogWriter.deleteLog(dir);
        assertFalse(Files.exists(dir.resolve(EventLog.CURRENT)));
    }

    @Test
    void kernelEventsBecomeLogLines() {
        BootClock clock = BootClock.withOffset(1_700_000_000_000_000_000L);
        ContainerEvent x = EventPump.toContainerEvent(new ProcessEvent.Exec(1, 5_000_000_000L, 42, 42, 7, -2, 100,
                "true", "/bin/true", 3, List.of("/bin/true", "a", "b"), false, false), "c0ffee", clock);
        assertEquals("exec", x.type());
        assertEquals("2023-11-14T22:13:25.000000000Z", x.time(), "always nine fraction digits");
        assertEquals(4294967294L, x.uid(), "uids are unsigned");
        assertEquals(7, x.ppid());
        assertEquals(List.of("/bin/true", "a", "b"), x.argv());
        assertNull(x.argvTruncated());

        ContainerEvent f = EventPump.toContainerEvent(new ProcessEvent.Fork(1, 1, 42, 43, 50, "sh"), "c0ffee", clock);
        assertEquals(50, f.pid());
        assertEquals(42, f.ppid());
        assertEquals(43, f.tid());

        ContainerEvent e = EventPump.toContainerEvent(new ProcessEvent.Exit(1, 1, 50, 50, 0x0300, "sh"), "c0ffee", clock);
        assertEquals(3, e.exitCode());
        assertEquals(0, e.signal());
    }
}
