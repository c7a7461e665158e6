package io.contxray.analyzer;

import java.util.List;
import java.util.SortedMap;

/**
 * report.json (schema contxray.report/v1). Component order is the order in the file; count maps
 * are sorted by syscall name.
 */
public record Report(
        String schema,
        String id,
        String name,
        String image,
        long cgroupId,
        String cgroupPath,
        String bundle,
        int pid,
        String startedAt,
        String stoppedAt,
        RecordingInfo recording,
        SortedMap<String, Long> syscalls,
        SortedMap<String, Long> syscallsUnderFilter,
        SortedMap<String, Long> syscallsBeforeFilter,
        SortedMap<String, Long> compatSyscalls,
        Totals totals,
        Drops drops,
        List<String> errors) {

    public static final String SCHEMA = "contxray.report/v1";

    /**
     * @param method how the recorder attached (tp_btf, raw_tracepoint)
     * @param cut    "seccomp-filter" or "none" (see {@link Cut})
     */
    public record RecordingInfo(String method, String arch, String cut, String cutExplanation, boolean recoveredAfterRestart) {
    }

    /**
     * @param syscalls calls counted, native and compat, all phases
     * @param distinct distinct syscalls seen (native names plus compat names)
     */
    public record Totals(long syscalls, int distinct) {
    }

    /** @param outOfRange calls with numbers the kernel side could not count per syscall (>= 512, e.g. x32) */
    public record Drops(long outOfRange) {
    }
}
