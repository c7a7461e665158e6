package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        Processes processes,
        Network network,
        @JsonInclude(JsonInclude.Include.NON_NULL) RolloutCheck.Rollout rollout,
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

    /**
     * Nothing is lost silently: what the record does not hold is counted here.
     *
     * @param outOfRange   calls with numbers the kernel side could not count per syscall (>= 512, e.g. x32)
     * @param events       events the kernel ring buffer had no room for (all types)
     * @param eventsByType the same per type: exec, fork, exit, net
     * @param rotated      events deleted from events.jsonl's rotated file to bound its size
     */
    public record Drops(long outOfRange, long events, SortedMap<String, Long> eventsByType, long rotated) {
        public Drops(long outOfRange) {
            this(outOfRange, 0, new java.util.TreeMap<>(java.util.Map.of("exec", 0L, "fork", 0L, "exit", 0L, "net", 0L)), 0);
        }
    }
}
