package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Syscall counts summed over runs, by name, in the four maps of report.json.
 */
public record RunCounts(SortedMap<String, Long> syscalls, SortedMap<String, Long> syscallsUnderFilter,
                        SortedMap<String, Long> syscallsBeforeFilter, SortedMap<String, Long> compatSyscalls) {
    public static final RunCounts NONE = new RunCounts(null, null, null, null);

    public RunCounts {
        syscalls = copy(syscalls);
        syscallsUnderFilter = copy(syscallsUnderFilter);
        syscallsBeforeFilter = copy(syscallsBeforeFilter);
        compatSyscalls = copy(compatSyscalls);
    }

    /** These counts plus a run's report.json's (v1 or v2: same field names). */
    public RunCounts plus(JsonNode report) {
        return new RunCounts(add(syscalls, report.path("syscalls")), add(syscallsUnderFilter, report.path("syscallsUnderFilter")),
                add(syscallsBeforeFilter, report.path("syscallsBeforeFilter")), add(compatSyscalls, report.path("compatSyscalls")));
    }

    /** Calls counted, all maps but the phase split (syscalls already holds both phases). */
    public long total() {
        return syscalls.values().stream().mapToLong(Long::longValue).sum()
                + compatSyscalls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static SortedMap<String, Long> add(SortedMap<String, Long> to, JsonNode counts) {
        SortedMap<String, Long> out = new TreeMap<>(to);
        counts.fields().forEachRemaining(e -> out.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        return out;
    }

    private static SortedMap<String, Long> copy(SortedMap<String, Long> m) {
        return m == null ? new TreeMap<>() : new TreeMap<>(m);
    }
}
