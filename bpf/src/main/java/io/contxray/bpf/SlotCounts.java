package io.contxray.bpf;

import java.util.Map;
import java.util.TreeMap;

/**
 * One slot's syscall counts, summed over all CPUs. Arrays are indexed by syscall number
 * (length {@link Layout#CX_NR_SYSCALLS}; the x32 ones {@link Layout#CX_NR_X32}, by number without
 * {@link Layout#CX_X32_BIT}); "before" is the phase without a seccomp filter, "filtered" the phase
 * under one (what a profile must allow).
 */
public record SlotCounts(long[] beforeNative, long[] beforeCompat, long[] filteredNative,
                         long[] filteredCompat, long outOfRange, long[] beforeX32, long[] filteredX32) {

    /** Without x32 calls. */
    public SlotCounts(long[] beforeNative, long[] beforeCompat, long[] filteredNative, long[] filteredCompat, long outOfRange) {
        this(beforeNative, beforeCompat, filteredNative, filteredCompat, outOfRange, new long[Layout.CX_NR_X32],
                new long[Layout.CX_NR_X32]);
    }

    /** As {@link #nonZero(long[])}, x32 calls among them under their number as the kernel saw it (bit 30 set). */
    public static Map<Integer, Long> nonZero(long[] counts, long[] x32) {
        Map<Integer, Long> out = nonZero(counts);
        for (int nr = 0; nr < x32.length; nr++) {
            if (x32[nr] != 0) {
                out.put(Layout.CX_X32_BIT | nr, x32[nr]);
            }
        }
        return out;
    }

    /** Syscall number -> count for the non-zero entries, in number order. */
    public static Map<Integer, Long> nonZero(long[] counts) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int nr = 0; nr < counts.length; nr++) {
            if (counts[nr] != 0) {
                out.put(nr, counts[nr]);
            }
        }
        return out;
    }

    /** Every counted syscall, both phases and ABIs, including out-of-range numbers. */
    public long total() {
        return sum(beforeNative) + sum(beforeCompat) + sum(filteredNative) + sum(filteredCompat) + outOfRange
                + sum(beforeX32) + sum(filteredX32);
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }
}
