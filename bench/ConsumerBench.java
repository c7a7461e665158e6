package io.contxray.recorder;

import io.contxray.bpf.BootClock;
import io.contxray.bpf.EventDecoder;
import io.contxray.bpf.Layout;
import io.contxray.model.ContainerEvent;
import io.contxray.model.Json;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * bench/consumer.sh's measurement: what one file event costs the recorder's consumer thread once
 * it is out of the ring buffer, step by step, on records shaped like file-events.sh's distinct
 * opens (an absolute path of a missing file, ENOENT, a 64-hex container id). Compiled by the script
 * against the installed jar, in the recorder's package for its package-private steps.
 * Args: EVENTS ROUNDS DIR. Prints one tab-separated line per step: name, best ns/event over the
 * rounds, median ns/event.
 */
public final class ConsumerBench {
    private static final String ID = "0123456789abcdef".repeat(4);

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        byte[][] records = new byte[4096][];
        for (int i = 0; i < records.length; i++) {
            records[i] = record(i);
        }
        BootClock clock = BootClock.withOffset(1_790_000_000_000_000_000L);
        EventJson json = new EventJson();
        ObjectWriter mapper = Json.mapper().writer();
        String[] steps = {"decode", "decode+convert", "decode+convert+line", "decode+convert+jackson-line",
            "decode+convert+line+file"};
        long[][] ns = new long[steps.length][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            // every step once per round, in a rotating order, so drift hits them alike
            for (int k = 0; k < steps.length; k++) {
                int step = (k + round) % steps.length;
                long t0 = System.nanoTime();
                switch (step) {
                    case 0 -> {
                        for (int i = 0; i < n; i++) {
                            byte[] r = records[i & 4095];
                            sink += EventDecoder.decode(r, 0, r.length).pid();
                        }
                    }
                    case 1 -> {
                        for (int i = 0; i < n; i++) {
                            sink += event(records[i & 4095], clock).pid();
                        }
                    }
                    case 2 -> {
                        for (int i = 0; i < n; i++) {
                            sink += json.encode(event(records[i & 4095], clock));
                        }
                    }
                    case 3 -> {
                        for (int i = 0; i < n; i++) {
                            sink += mapper.writeValueAsBytes(event(records[i & 4095], clock)).length;
                        }
                    }
                    default -> {
                        try (EventLogWriter w = new EventLogWriter(dir, EventLogWriter.DEFAULT_MAX_BYTES)) {
                            for (int i = 0; i < n; i++) {
                                w.append(event(records[i & 4095], clock));
                            }
                        }
                        EventLogWriter.deleteLog(dir);
                    }
                }
                ns[step][round] = System.nanoTime() - t0;
            }
        }
        for (int s = 0; s < steps.length; s++) {
            long[] sorted = ns[s].clone();
            Arrays.sort(sorted);
            System.out.printf("%s\t%.0f\t%.0f%n", steps[s], sorted[0] / (double) n, sorted[rounds / 2] / (double) n);
        }
        System.err.println("(checksum " + sink + ")");
    }

    private static ContainerEvent event(byte[] r, BootClock clock) {
        return EventPump.toContainerEvent(EventDecoder.decode(r, 0, r.length), ID, clock);
    }

    /** A file event as the kernel sends an open of /nonexistent/f<i> that failed with ENOENT. */
    static byte[] record(int i) {
        byte[] path = ("/nonexistent/f" + (100_000 + i)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(Layout.FILE_EVENT_PATH + path.length + 1).order(ByteOrder.nativeOrder());
        b.putInt(Layout.EVENT_HEADER_TYPE, Layout.CX_EVENT_FILE);
        b.putInt(Layout.EVENT_HEADER_SLOT, 1);
        b.putLong(Layout.EVENT_HEADER_TS_NS, 86_400_000_000_000L + i * 5_000L);
        b.putInt(Layout.EVENT_HEADER_PID, 4242);
        b.putInt(Layout.EVENT_HEADER_TID, 4242);
        b.putLong(Layout.FILE_EVENT_RESULT, -2);
        b.putInt(Layout.FILE_EVENT_OP, Layout.CX_FILE_OPEN);
        b.putInt(Layout.FILE_EVENT_PATH_LEN, path.length + 1);
        b.put(Layout.FILE_EVENT_COMM, "open-loop".getBytes(StandardCharsets.UTF_8));
        b.put(Layout.FILE_EVENT_PATH, path);
        return b.array();
    }
}
