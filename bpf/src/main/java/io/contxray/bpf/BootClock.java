package io.contxray.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Converts the kernel's event times ({@code bpf_ktime_get_boot_ns}, CLOCK_BOOTTIME) into wall
 * clock instants, with the offset between CLOCK_REALTIME and CLOCK_BOOTTIME taken when created.
 */
public final class BootClock {
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_BOOTTIME = 7;

    private final long realMinusBootNs;
    /** The second last formatted by {@link #iso}: one event of a burst formats it, the rest fill in nanoseconds. */
    private long isoSecond = Long.MIN_VALUE;
    /** That second's text with room for ".nnnnnnnnnZ", filled in place for each event. */
    private byte[] isoText = new byte[0];

    private BootClock(long realMinusBootNs) {
        this.realMinusBootNs = realMinusBootNs;
    }

    /** Reads both clocks now (the boot clock twice, keeping the midpoint). */
    public static BootClock now() {
        long b1 = read(CLOCK_BOOTTIME);
        long r = read(CLOCK_REALTIME);
        long b2 = read(CLOCK_BOOTTIME);
        return new BootClock(r - (b1 + (b2 - b1) / 2));
    }

    /** For tests: a fixed offset. */
    public static BootClock withOffset(long realMinusBootNs) {
        return new BootClock(realMinusBootNs);
    }

    public Instant toInstant(long bootNs) {
        long wall = bootNs + realMinusBootNs;
        return Instant.ofEpochSecond(Math.floorDiv(wall, 1_000_000_000L), Math.floorMod(wall, 1_000_000_000L));
    }

    /**
     * The wall time of a kernel time as ISO-8601 UTC with all nine fraction digits
     * ("2026-11-23T13:47:22.181729955Z"), what Instant.parse reads. Cheaper than
     * toInstant().toString() at a few hundred thousand events a second. Not thread-safe.
     */
    public String iso(long bootNs) {
        long wall = bootNs + realMinusBootNs;
        long second = Math.floorDiv(wall, 1_000_000_000L);
        if (second != isoSecond) {
            String whole = Instant.ofEpochSecond(second).toString(); // "...:22Z"
            String prefix = whole.substring(0, whole.length() - 1) + ".";
            isoText = (prefix + "000000000Z").getBytes(StandardCharsets.ISO_8859_1);
            isoSecond = second;
        }
        int nanos = (int) Math.floorMod(wall, 1_000_000_000L);
        for (int at = isoText.length - 2; at >= isoText.length - 10; at--) {
            isoText[at] = (byte) ('0' + nanos % 10);
            nanos /= 10;
        }
        return new String(isoText, StandardCharsets.ISO_8859_1);
    }

    static long read(int clock) {
        Memory ts = new Memory(16);
        if (Libbpf.Loader.LIBC.clock_gettime(clock, ts) != 0) {
            throw new BpfException("clock_gettime", Native.getLastError(), "reading clock " + clock);
        }
        return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
    }
}
