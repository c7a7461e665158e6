package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contxray.model.EventStats;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
        @JsonInclude(JsonInclude.Include.NON_NULL) SortedMap<String, Long> x32Syscalls,
        @JsonInclude(JsonInclude.Include.NON_NULL) ArgumentFilters.Section argumentValues,
        Processes processes,
        Network network,
        FileActivity files,
        Capabilities capabilities,
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
     * @param outOfRange   calls with numbers the kernel side could not count per syscall (no native, compat or x32 table has them)
     * @param events       events the kernel ring buffer had no room for (all types)
     * @param eventsByType the same per type: exec, fork, exit, net, file, capability
     * @param rotated      events deleted from events.jsonl's rotated file to bound its size
     */
    public record Drops(long outOfRange, long events, SortedMap<String, Long> eventsByType, long rotated) {
        public static Drops of(long outOfRange, EventStats stats) {
            return new Drops(outOfRange, stats.dropped(), new TreeMap<>(Map.of("exec", stats.droppedExec(),
                    "fork", stats.droppedFork(), "exit", stats.droppedExit(), "net", stats.droppedNet(),
                    "file", stats.droppedFile(), "capability", stats.droppedCapability())), stats.rotated());
        }
    }
}
