package io.contxray.bpf;

import java.util.Map;
import java.util.TreeMap;

/**
 * One slot's syscall counts, summed over all CPUs. Arrays are indexed by syscall number
 * (length {@link Layout#CX_NR_SYSCALLS}); "before" is the phase without a seccomp filter,
 * "filtered" the phase under one (what a profile must allow).
 */
public record SlotCounts(long[] beforeNative, long[] beforeCompat, long[] filteredNative,
                         long[] filteredCompat, long outOfRange) {

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
        return sum(beforeNative) + sum(beforeCompat) + sum(filteredNative) + sum(filteredCompat) + outOfRange;
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }
}
