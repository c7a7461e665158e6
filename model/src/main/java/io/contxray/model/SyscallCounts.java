package io.contxray.model;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Arithmetic on syscall count maps (number or name -> calls). */
public final class SyscallCounts {
    private SyscallCounts() {
    }

    /** Key-wise sum of two count maps. */
    public static <K extends Comparable<K>> SortedMap<K, Long> merge(Map<K, Long> a, Map<K, Long> b) {
        SortedMap<K, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * A recorded native map split into the architecture's own calls and its x32 ABI calls (x86_64
     * numbers with {@link SyscallTable#X32_BIT}; here without the bit, as x32's table numbers them).
     */
    public record Split(SortedMap<Integer, Long> own, SortedMap<Integer, Long> x32) {
    }

    public static Split splitX32(Map<Integer, Long> counts, SyscallTable table) {
        SortedMap<Integer, Long> own = new TreeMap<>();
        SortedMap<Integer, Long> x32 = new TreeMap<>();
        counts.forEach((nr, n) -> {
            if (table.isX32(nr)) {
                x32.put(nr & ~SyscallTable.X32_BIT, n);
            } else {
                own.put(nr, n);
            }
        });
        return new Split(Collections.unmodifiableSortedMap(own), Collections.unmodifiableSortedMap(x32));
    }

    public static long total(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts keyed by the table's names; unknown numbers become "syscall_&lt;nr&gt;". */
    public static SortedMap<String, Long> byName(Map<Integer, Long> counts, SyscallTable table) {
        return byName(counts, table::name);
    }

    /** Counts keyed by {@code namer}'s names; numbers that share a name are added up. */
    public static SortedMap<String, Long> byName(Map<Integer, Long> counts, IntFunction<String> namer) {
        SortedMap<String, Long> out = new TreeMap<>();
        counts.forEach((nr, n) -> out.merge(namer.apply(nr), n, Long::sum));
        return Collections.unmodifiableSortedMap(out);
    }
}
