package io.contxray.analyzer;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A container's coverage.json: in how many of its runs (kept or dropped) each syscall, file path
 * and capability was seen.
 *
 * @param filesOmitted paths of dropped runs not counted: more than {@link DroppedRuns#MAX_FILES}
 */
public record RunCoverage(String schema, int runs, int kept, int dropped, SeenIn seenIn, long filesOmitted) {
    public static final String SCHEMA = "contxray.run-coverage/v1";

    /** Name -> runs it was seen in. */
    public record SeenIn(SortedMap<String, Integer> syscalls, SortedMap<String, Integer> files,
                         SortedMap<String, Integer> capabilities) {
        public static final SeenIn NONE = new SeenIn(null, null, null);

        public SeenIn {
            syscalls = syscalls == null ? new TreeMap<>() : new TreeMap<>(syscalls);
            files = files == null ? new TreeMap<>() : new TreeMap<>(files);
            capabilities = capabilities == null ? new TreeMap<>() : new TreeMap<>(capabilities);
        }
    }
}
