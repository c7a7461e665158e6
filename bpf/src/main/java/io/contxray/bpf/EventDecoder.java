package io.contxray.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ring buffer records laid out as in bpf/contxray.h (see {@link Layout}) into
 * {@link ProcessEvent}s. Pure: no kernel, no libbpf; host byte order.
 */
public final class EventDecoder {
    private EventDecoder() {
    }

    /** Thrown for a record that is too short or of an unknown type. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }

    public static ProcessEvent decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public static ProcessEvent decode(byte[] data, int offset, int length) {
        if (length < Layout.EVENT_HEADER_SIZE) {
            throw new MalformedEventException("event of " + length + " bytes is shorter than its header ("
                    + Layout.EVENT_HEADER_SIZE + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length).slice().order(ByteOrder.nativeOrder());
        int type = b.getInt(Layout.EVENT_HEADER_TYPE);
        int slot = b.getInt(Layout.EVENT_HEADER_SLOT);
        long ts = b.getLong(Layout.EVENT_HEADER_TS_NS);
        int pid = b.getInt(Layout.EVENT_HEADER_PID);
        int tid = b.getInt(Layout.EVENT_HEADER_TID);
        switch (type) {
            case Layout.CX_EVENT_EXEC -> {
                need(length, Layout.EXEC_EVENT_SIZE, "exec");
                int flags = b.getInt(Layout.EXEC_EVENT_FLAGS);
                int argsLen = Math.max(0, Math.min(b.getInt(Layout.EXEC_EVENT_ARGS_LEN), Layout.CX_ARGS_LEN));
                boolean argsTruncated = (flags & Layout.CX_EXEC_ARGS_TRUNCATED) != 0;
                return new ProcessEvent.Exec(slot, ts, pid, tid, b.getInt(Layout.EXEC_EVENT_PPID),
                        b.getInt(Layout.EXEC_EVENT_UID), b.getInt(Layout.EXEC_EVENT_GID),
                        cString(b, Layout.EXEC_EVENT_COMM, Layout.CX_COMM_LEN),
                        cString(b, Layout.EXEC_EVENT_FILENAME, Layout.CX_FILENAME_LEN),
                        b.getInt(Layout.EXEC_EVENT_ARGC),
                        splitArgs(b, Layout.EXEC_EVENT_ARGS, argsLen),
                        argsTruncated, (flags & Layout.CX_EXEC_FILENAME_TRUNCATED) != 0);
            }
            case Layout.CX_EVENT_FORK -> {
                need(length, Layout.FORK_EVENT_SIZE, "fork");
                return new ProcessEvent.Fork(slot, ts, pid, tid, b.getInt(Layout.FORK_EVENT_CHILD_PID),
                        cString(b, Layout.FORK_EVENT_COMM, Layout.CX_COMM_LEN));
            }
            case Layout.CX_EVENT_EXIT -> {
                need(length, Layout.EXIT_EVENT_SIZE, "exit");
                return new ProcessEvent.Exit(slot, ts, pid, tid, b.getInt(Layout.EXIT_EVENT_EXIT_CODE),
                        cString(b, Layout.EXIT_EVENT_COMM, Layout.CX_COMM_LEN));
            }
            case Layout.CX_EVENT_NET -> {
                need(length, Layout.NET_EVENT_SIZE, "net");
                int family = Short.toUnsignedInt(b.getShort(Layout.NET_EVENT_FAMILY));
                int addrLen = family == 10 ? 16 : 4;
                byte[] local = new byte[addrLen];
                byte[] remote = new byte[addrLen];
                b.get(Layout.NET_EVENT_LADDR, local);
                b.get(Layout.NET_EVENT_RADDR, remote);
                return new ProcessEvent.Net(slot, ts, pid, tid, b.getInt(Layout.NET_EVENT_KIND), family, local,
                        Short.toUnsignedInt(b.getShort(Layout.NET_EVENT_LPORT)), remote,
                        Short.toUnsignedInt(b.getShort(Layout.NET_EVENT_RPORT)),
                        cString(b, Layout.NET_EVENT_COMM, Layout.CX_COMM_LEN));
            }
            case Layout.CX_EVENT_FILE -> {
                return file(b, length, slot, ts, pid, tid);
            }
            case Layout.CX_EVENT_SOCK -> {
                need(length, Layout.SOCK_EVENT_SIZE, "socket");
                int family = Short.toUnsignedInt(b.getShort(Layout.SOCK_EVENT_FAMILY));
                byte[] addr = new byte[family == 2 ? 4 : family == 10 ? 16 : 0];
                b.get(Layout.SOCK_EVENT_ADDR, addr);
                return new ProcessEvent.Sock(slot, ts, pid, tid, b.getInt(Layout.SOCK_EVENT_KIND),
                        b.getLong(Layout.SOCK_EVENT_RESULT), family, Short.toUnsignedInt(b.getShort(Layout.SOCK_EVENT_TYPE)),
                        Short.toUnsignedInt(b.getShort(Layout.SOCK_EVENT_PROTOCOL)), addr,
                        Short.toUnsignedInt(b.getShort(Layout.SOCK_EVENT_PORT)),
                        family == 1 ? unixPath(b, b.getInt(Layout.SOCK_EVENT_PATH_LEN)) : null,
                        cString(b, Layout.SOCK_EVENT_COMM, Layout.CX_COMM_LEN), b.getLong(Layout.SOCK_EVENT_KEY));
            }
            case Layout.CX_EVENT_CAP -> {
                need(length, Layout.CAP_EVENT_SIZE, "capability");
                int outcome = b.getInt(Layout.CAP_EVENT_OUTCOME);
                return new ProcessEvent.Capability(slot, ts, pid, tid, b.getInt(Layout.CAP_EVENT_CAP),
                        (outcome & Layout.CX_CAP_GRANTED) != 0, (outcome & Layout.CX_CAP_RUNTIME) != 0,
                        cString(b, Layout.CAP_EVENT_COMM, Layout.CX_COMM_LEN));
            }
            default -> throw new MalformedEventException("unknown event type " + type + " (" + length + " bytes)");
        }
    }

    /** A file event is cut after path, or after dir, when the rest is unused (see contxray.h). */
    private static ProcessEvent.File file(ByteBuffer b, int length, int slot, long ts, int pid, int tid) {
        need(length, Layout.FILE_EVENT_PATH + 1, "file");
        int info = b.getInt(Layout.FILE_EVENT_INFO);
        int pathLen = Math.min(b.getInt(Layout.FILE_EVENT_PATH_LEN), Layout.CX_PATH_LEN);
        need(length, Layout.FILE_EVENT_PATH + Math.max(pathLen, 1), "file");
        String path = cString(b, Layout.FILE_EVENT_PATH, Math.min(pathLen, length - Layout.FILE_EVENT_PATH));
        List<String> dir = List.of();
        if ((info & Layout.CX_FILE_DIR) != 0) {
            need(length, Layout.FILE_EVENT_NEW_PATH, "file with a directory");
            int dirLen = Math.max(0, Math.min(b.getInt(Layout.FILE_EVENT_DIR_LEN), Layout.CX_DIR_LEN));
            dir = splitArgs(b, Layout.FILE_EVENT_DIR, dirLen);
        }
        String newPath = null;
        if ((info & Layout.CX_FILE_NEW_PATH) != 0) {
            need(length, Layout.FILE_EVENT_SIZE, "file with a new path");
            newPath = cString(b, Layout.FILE_EVENT_NEW_PATH, Layout.CX_PATH_LEN);
        }
        return new ProcessEvent.File(slot, ts, pid, tid, b.getInt(Layout.FILE_EVENT_OP),
                b.getLong(Layout.FILE_EVENT_RESULT), b.getInt(Layout.FILE_EVENT_FLAGS), info,
                cString(b, Layout.FILE_EVENT_COMM, Layout.CX_COMM_LEN), path, dir, newPath,
                b.getLong(Layout.FILE_EVENT_KEY));
    }

    /** sun_path: a file path up to its NUL, or an abstract name (leading NUL) shown as "@name". */
    static String unixPath(ByteBuffer b, int len) {
        int n = Math.max(0, Math.min(len, Layout.CX_UNIX_PATH_LEN));
        if (n > 0 && b.get(Layout.SOCK_EVENT_PATH) == 0) {
            byte[] name = new byte[n - 1];
            b.get(Layout.SOCK_EVENT_PATH + 1, name);
            return "@" + new String(name, StandardCharsets.UTF_8).replace('\0', '@');
        }
        return cString(b, Layout.SOCK_EVENT_PATH, n);
    }

    private static void need(int length, int size, String what) {
        if (length < size) {
            throw new MalformedEventException(what + " event of " + length + " bytes, expected " + size);
        }
    }

    /**
     * A NUL-terminated string in a fixed buffer; the whole buffer when it has no NUL. Scans the
     * backing array rather than the buffer: a byte at a time through ByteBuffer.get was a tenth of
     * an event's decoding cost with the daemon's C1-only JIT.
     */
    static String cString(ByteBuffer b, int offset, int max) {
        byte[] a = b.array();
        int start = b.arrayOffset() + offset;
        int end = start + Math.min(max, b.limit() - offset);
        int at = start;
        while (at < end && a[at] != 0) {
            at++;
        }
        return new String(a, start, at - start, StandardCharsets.UTF_8);
    }

    /**
     * Splits the argument area (NUL-separated strings, as in a process's memory) into arguments.
     * A last argument without its NUL (the area was cut) is kept as it is.
     */
    static List<String> splitArgs(ByteBuffer b, int offset, int len) {
        List<String> out = new ArrayList<>();
        int start = 0;
        byte[] a = b.array();
        int base = b.arrayOffset() + offset;
        len = Math.min(len, b.limit() - offset); // the array may hold stale bytes past the record
        for (int i = 0; i < len; i++) {
            if (a[base + i] == 0) {
                out.add(string(b, offset + start, i - start));
                start = i + 1;
            }
        }
        if (start < len) {
            out.add(string(b, offset + start, len - start));
        }
        return out;
    }

    /** Same as {@link #splitArgs(ByteBuffer, int, int)} over a whole array (tests, callers with raw bytes). */
    public static List<String> splitArgs(byte[] area, int len) {
        return splitArgs(ByteBuffer.wrap(area), 0, Math.min(len, area.length));
    }

    private static String string(ByteBuffer b, int offset, int len) {
        return new String(b.array(), b.arrayOffset() + offset, len, StandardCharsets.UTF_8);
    }
}
