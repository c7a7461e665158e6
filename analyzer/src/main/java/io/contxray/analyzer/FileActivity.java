package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.SortedMap;

/**
 * report.json's {@code files}: what the container did to files, aggregated per (path, access),
 * never one line per syscall, grouped by where the path lives (see {@link PathClassifier}).
 *
 * @param method  how file events were recorded, or "none" when the log has none
 * @param events  file events and execs counted (listed or not)
 * @param failed  of these, calls that failed
 * @param entries distinct (path, access) entries listed
 * @param omitted events not (or not under all their accesses) listed because distinct entries exceeded
 *                {@link FilesBuilder#MAX_ENTRIES}
 * @param runtimeSetup file calls of the runtime's own init (runc:[...]) setting the container up,
 *                not listed: they are not the workload's
 * @param byClass entries per class (every class of {@link PathClassifier#CLASSES}), sorted by path
 */
public record FileActivity(String method, long events, long failed, long entries, long omitted, long runtimeSetup,
                           SortedMap<String, List<Entry>> byClass) {

    /**
     * One path and one kind of access.
     *
     * @param access         for opens: read, write, create, truncate or path (an open with several
     *                       is counted under each); exec; else the operation (unlink, rmdir, rename,
     *                       mkdir, chmod, chown, truncate)
     * @param newPath        rename's target
     * @param comms          the first distinct command names that did it (at most {@link FilesBuilder#MAX_COMMS})
     * @param errors         failed calls per errno name
     * @param hostSource     for host-bind: the path on the host
     * @param runtimeManaged for host-bind: a file the engine manages (hosts, resolv.conf), not a user's volume
     * @param hostReadOnly   for host-bind: the mount is read-only (writes to it fail with EROFS)
     * @param pathTruncated  the kernel cut the path (too long or too deep)
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Entry(String path, String access, String newPath, long count, String firstTime, List<String> comms,
                        SortedMap<String, Long> errors, String hostSource, boolean runtimeManaged, boolean hostReadOnly,
                        boolean pathTruncated) {
    }
}
