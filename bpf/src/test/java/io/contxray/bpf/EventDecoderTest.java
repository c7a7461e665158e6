package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records built byte by byte per contxray.h (offsets from Layout, which LayoutTest checks). */
class EventDecoderTest {

    private static ByteBuffer header(int size, int type, int slot, long ts, int pid, int tid) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        b.putInt(Layout.EVENT_HEADER_TYPE, type);
        b.putInt(Layout.EVENT_HEADER_SLOT, slot);
        b.putLong(Layout.EVENT_HEADER_TS_NS, ts);
        b.putInt(Layout.EVENT_HEADER_PID, pid);
        b.putInt(Layout.EVENT_HEADER_TID, tid);
        return b;
    }

    private static void put(ByteBuffer b, int offset, byte[] bytes) {
        b.put(offset, bytes, 0, bytes.length);
    }

    static byte[] exec(int slot, int pid, String filename, byte[] args, int argsLen, int argc, int flags) {
        ByteBuffer b = header(Layout.EXEC_EVENT_SIZE, Layout.CX_EVENT_EXEC, slot, 123_456_789L, pid, pid + 1);
        b.putInt(Layout.EXEC_EVENT_PPID, 1);
        b.putInt(Layout.EXEC_EVENT_UID, 1000);
        b.putInt(Layout.EXEC_EVENT_GID, 100);
        b.putInt(Layout.EXEC_EVENT_ARGC, argc);
        b.putInt(Layout.EXEC_EVENT_ARGS_LEN, argsLen);
        b.putInt(Layout.EXEC_EVENT_FLAGS, flags);
        put(b, Layout.EXEC_EVENT_COMM, "true\0".getBytes(StandardCharsets.UTF_8));
        put(b, Layout.EXEC_EVENT_FILENAME, (filename + "\0").getBytes(StandardCharsets.UTF_8));
        put(b, Layout.EXEC_EVENT_ARGS, args);
        // stale bytes after args_len (ring buffer memory is not zeroed) must be ignored
        if (argsLen + 4 <= Layout.CX_ARGS_LEN) {
            put(b, Layout.EXEC_EVENT_ARGS + argsLen, "junk".getBytes(StandardCharsets.UTF_8));
        }
        return b.array();
    }

    @Test
    void fileEventCutAfterItsPath() {
        String path = "/etc/hostname";
        int size = Layout.FILE_EVENT_PATH + path.length() + 1; // what the kernel sends for an absolute path
        ByteBuffer b = header(size, Layout.CX_EVENT_FILE, 3, 5, 40, 41);
        b.putLong(Layout.FILE_EVENT_RESULT, -13);
        b.putLong(Layout.FILE_EVENT_KEY, 0xfeedL);
        b.putInt(Layout.FILE_EVENT_OP, Layout.CX_FILE_OPEN);
        b.putInt(Layout.FILE_EVENT_FLAGS, 02);
        b.putInt(Layout.FILE_EVENT_PATH_LEN, path.length() + 1);
        put(b, Layout.FILE_EVENT_COMM, "cat\0".getBytes(StandardCharsets.UTF_8));
        put(b, Layout.FILE_EVENT_PATH, (path + "\0").getBytes(StandardCharsets.UTF_8));
        ProcessEvent.File f = (ProcessEvent.File) EventDecoder.decode(b.array());
        assertEquals(new ProcessEvent.File(3, 5, 40, 41, Layout.CX_FILE_OPEN, -13, 02, 0, "cat", path, List.of(), null,
                0xfeedL), f);
    }

    @Test
    void fileEventWithDirectoryAndNewPath() {
        ByteBuffer b = header(Layout.FILE_EVENT_SIZE, Layout.CX_EVENT_FILE, 3, 5, 40, 41);
        b.putInt(Layout.FILE_EVENT_OP, Layout.CX_FILE_RENAME);
        b.putInt(Layout.FILE_EVENT_INFO, Layout.CX_FILE_DIR | Layout.CX_FILE_NEW_PATH);
        b.putInt(Layout.FILE_EVENT_PATH_LEN, 4);
        b.putInt(Layout.FILE_EVENT_DIR_LEN, 8);
        put(b, Layout.FILE_EVENT_PATH, "old\0".getBytes(StandardCharsets.UTF_8));
        put(b, Layout.FILE_EVENT_DIR, "app\0var\0junk".getBytes(StandardCharsets.UTF_8));
        put(b, Layout.FILE_EVENT_NEW_PATH, "new\0".getBytes(StandardCharsets.UTF_8));
        ProcessEvent.File f = (ProcessEvent.File) EventDecoder.decode(b.array());
        assertEquals(List.of("app", "var"), f.dirNames(), "leaf first, stale bytes after dir_len ignored");
        assertEquals("new", f.newPath());
        assertThrows(EventDecoder.MalformedEventException.class,
                () -> EventDecoder.decode(java.util.Arrays.copyOf(b.array(), Layout.FILE_EVENT_NEW_PATH)),
                "a record claiming a new path must hold it");
    }

    @Test
    void capabilityEvent() {
        ByteBuffer b = header(Layout.CAP_EVENT_SIZE, Layout.CX_EVENT_CAP, 2, 7, 50, 50);
        b.putInt(Layout.CAP_EVENT_CAP, 10);
        b.putInt(Layout.CAP_EVENT_OUTCOME, Layout.CX_CAP_GRANTED);
        put(b, Layout.CAP_EVENT_COMM, "httpd\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ProcessEvent.Capability(2, 7, 50, 50, 10, true, false, "httpd"),
                EventDecoder.decode(b.array()));
    }

    @Test
    void netEventsOfBothFamilies() {
        ByteBuffer b = header(Layout.NET_EVENT_SIZE, Layout.CX_EVENT_NET, 4, 99, 321, 322);
        b.putInt(Layout.NET_EVENT_KIND, Layout.CX_NET_CONNECT);
        b.putShort(Layout.NET_EVENT_FAMILY, (short) 2);
        b.putShort(Layout.NET_EVENT_LPORT, (short) 40000); // above 32767: read unsigned
        b.putShort(Layout.NET_EVENT_RPORT, (short) 80);
        put(b, Layout.NET_EVENT_LADDR, new byte[] {(byte) 172, 17, 0, 2});
        put(b, Layout.NET_EVENT_RADDR, new byte[] {(byte) 172, 17, 0, 3});
        put(b, Layout.NET_EVENT_COMM, "wget\0".getBytes(StandardCharsets.UTF_8));
        ProcessEvent.Net n = (ProcessEvent.Net) EventDecoder.decode(b.array());
        assertEquals(4, n.slot());
        assertEquals(Layout.CX_NET_CONNECT, n.kind());
        assertEquals(40000, n.localPort());
        assertEquals(80, n.remotePort());
        assertEquals(4, n.remote().length);
        assertEquals(3, n.remote()[3]);
        assertEquals("wget", n.comm());

        ByteBuffer v6 = header(Layout.NET_EVENT_SIZE, Layout.CX_EVENT_NET, 0, 1, 1, 1);
        v6.putShort(Layout.NET_EVENT_FAMILY, (short) 10);
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        put(v6, Layout.NET_EVENT_RADDR, loopback);
        ProcessEvent.Net n6 = (ProcessEvent.Net) EventDecoder.decode(v6.array());
        assertEquals(16, n6.remote().length);
        assertEquals(1, n6.remote()[15]);
        assertThrows(EventDecoder.MalformedEventException.class,
                () -> EventDecoder.decode(java.util.Arrays.copyOf(b.array(), Layout.NET_EVENT_SIZE - 1)));
    }

    @Test
    void execWithArguments() {
        byte[] args = "/bin/true\0a\0b\0".getBytes(StandardCharsets.UTF_8);
        ProcessEvent e = EventDecoder.decode(exec(3, 42, "/bin/true", args, args.length, 3, 0));
        ProcessEvent.Exec x = (ProcessEvent.Exec) e;
        assertEquals(3, x.slot());
        assertEquals(123_456_789L, x.tsNs());
        assertEquals(42, x.pid());
        assertEquals(43, x.tid());
        assertEquals(1, x.ppid());
        assertEquals(1000, x.uid());
        assertEquals(100, x.gid());
        assertEquals("true", x.comm());
        assertEquals("/bin/true", x.filename());
        assertEquals(3, x.argc());
        assertEquals(List.of("/bin/true", "a", "b"), x.argv());
        assertFalse(x.argvTruncated());
        assertFalse(x.filenameTruncated());
    }

    @Test
    void truncatedArgumentsKeepThePartialLastOne() {
        byte[] area = new byte[Layout.CX_ARGS_LEN];
        byte[] head = "sh\0-c\0".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, area, 0, head.length);
        for (int i = head.length; i < area.length; i++) {
            area[i] = 'x'; // one long argument that does not end in the buffer
        }
        ProcessEvent.Exec x = (ProcessEvent.Exec) EventDecoder.decode(
                exec(0, 7, "/bin/sh", area, Layout.CX_ARGS_LEN, 3, Layout.CX_EXEC_ARGS_TRUNCATED));
        assertTrue(x.argvTruncated());
        assertEquals(3, x.argc(), "the full count comes from the kernel");
        assertEquals(3, x.argv().size());
        assertEquals(Layout.CX_ARGS_LEN - head.length, x.argv().get(2).length());
    }

    @Test
    void argsLengthIsBoundedAndEmptyArgumentsKept() {
        byte[] args = "a\0\0b\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", "", "b"), EventDecoder.splitArgs(args, args.length));
        assertEquals(List.of("a", ""), EventDecoder.splitArgs(args, 2 + 1));
        assertEquals(List.of(), EventDecoder.splitArgs(args, 0));
        // a bogus args_len beyond the buffer is clamped, not an exception
        ProcessEvent.Exec x = (ProcessEvent.Exec) EventDecoder.decode(exec(0, 1, "/x", args, 100_000, 3, 0));
        assertEquals("b", x.argv().get(2));
    }

    @Test
    void filenameFillingItsBufferIsFlaggedAndNotOverrun() {
        String longName = "/" + "d".repeat(Layout.CX_FILENAME_LEN - 1);
        byte[] ev = exec(0, 1, "", new byte[0], 0, 0, Layout.CX_EXEC_FILENAME_TRUNCATED);
        System.arraycopy(longName.getBytes(StandardCharsets.UTF_8), 0, ev, Layout.EXEC_EVENT_FILENAME, Layout.CX_FILENAME_LEN);
        ev[Layout.EXEC_EVENT_ARGS] = 'z'; // the byte right after the filename buffer
        ProcessEvent.Exec x = (ProcessEvent.Exec) EventDecoder.decode(ev);
        assertEquals(Layout.CX_FILENAME_LEN, x.filename().length());
        assertTrue(x.filenameTruncated());
        assertEquals(List.of(), x.argv());
    }

    @Test
    void forkAndExit() {
        ByteBuffer f = header(Layout.FORK_EVENT_SIZE, Layout.CX_EVENT_FORK, 5, 10, 100, 101);
        f.putInt(Layout.FORK_EVENT_CHILD_PID, 200);
        put(f, Layout.FORK_EVENT_COMM, "sh".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ProcessEvent.Fork(5, 10, 100, 101, 200, "sh"), EventDecoder.decode(f.array()));

        ByteBuffer x = header(Layout.EXIT_EVENT_SIZE, Layout.CX_EVENT_EXIT, 5, 20, 200, 200);
        x.putInt(Layout.EXIT_EVENT_EXIT_CODE, 3 << 8);
        put(x, Layout.EXIT_EVENT_COMM, "0123456789abcdef".getBytes(StandardCharsets.UTF_8)); // no NUL: 16 chars
        ProcessEvent.Exit exit = (ProcessEvent.Exit) EventDecoder.decode(x.array());
        assertEquals(3, exit.exitCode());
        assertEquals(0, exit.signal());
        assertEquals("0123456789abcdef", exit.comm());
        assertEquals(9, new ProcessEvent.Exit(0, 0, 1, 1, 9, "").signal(), "killed by SIGKILL");
    }

    @Test
    void malformedRecordsAreRejectedWithAReason() {
        var e = assertThrows(EventDecoder.MalformedEventException.class, () -> EventDecoder.decode(new byte[10]));
        assertTrue(e.getMessage().contains("shorter than its header"), e.getMessage());
        byte[] unknown = header(Layout.EVENT_HEADER_SIZE, 99, 0, 0, 0, 0).array();
        assertTrue(assertThrows(EventDecoder.MalformedEventException.class, () -> EventDecoder.decode(unknown))
                .getMessage().contains("unknown event type 99"));
        byte[] shortExec = header(Layout.FORK_EVENT_SIZE, Layout.CX_EVENT_EXEC, 0, 0, 0, 0).array();
        assertThrows(EventDecoder.MalformedEventException.class, () -> EventDecoder.decode(shortExec));
    }

    @Test
    void bootClockConvertsToWallTime() {
        BootClock c = BootClock.withOffset(1_700_000_000_000_000_000L);
        assertEquals(Instant.ofEpochSecond(1_700_000_001L, 5), c.toInstant(1_000_000_005L));
        // the real clocks: boot time is positive and the offset puts "now" near the wall clock
        long boot = BootClock.read(BootClock.CLOCK_BOOTTIME);
        assertTrue(boot > 0);
        long skewMs = Math.abs(BootClock.now().toInstant(boot).toEpochMilli() - System.currentTimeMillis());
        assertTrue(skewMs < 5_000, "skew " + skewMs + " ms");
    }

    @Test
    void isoTimesAlwaysHaveNineDigitsAndParseBack() {
        BootClock c = BootClock.withOffset(1_700_000_000_000_000_000L);
        assertEquals("2023-11-14T22:13:21.000000005Z", c.iso(1_000_000_005L));
        assertEquals("2023-11-14T22:13:21.999999999Z", c.iso(1_999_999_999L), "same second: the cached prefix");
        assertEquals("2023-11-14T22:13:22.000000000Z", c.iso(2_000_000_000L), "the next second");
        for (long t : new long[] {7, 123_456_789_012L, 987_654_321L}) {
            assertEquals(c.toInstant(t), Instant.parse(c.iso(t)));
        }
    }
}
