package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * report.json's {@code processes} section.
 *
 * @param execCount         exec events recorded (runtime and workload)
 * @param workloadExecCount of these, the container's entrypoint and everything after it
 * @param forkCount         new processes seen
 * @param exitCount         processes seen ending
 * @param workloadInit      the workload's pid 1: the registration pid's first exec (the entrypoint);
 *                          null when that exec was not recorded
 * @param runtimePids       processes of the runtime's own set-up (runc init before it execs the
 *                          entrypoint, and what it forked before that): not the workload
 * @param execs             execs aggregated per (filename, argv), in order of first time
 * @param execsOmitted      execs not listed because distinct (filename, argv) pairs exceeded the bound
 * @param tree              every process seen, in order of appearance; children by pid
 * @param roots             pids of the tree's roots (their parent is not in the container)
 * @param treeOmitted       processes left out of {@code tree} beyond its bound (they are still counted)
 */
public record Processes(
        long execCount,
        long workloadExecCount,
        long forkCount,
        long exitCount,
        Init workloadInit,
        List<Integer> runtimePids,
        List<ExecGroup> execs,
        long execsOmitted,
        List<Node> tree,
        List<Integer> roots,
        long treeOmitted) {

    public static final Processes NONE = new Processes(0, 0, 0, 0, null, List.of(), List.of(), 0, List.of(), List.of(), 0);

    /** @param time when it exec'd the entrypoint */
    public record Init(int pid, String filename, List<String> argv, String time) {
    }

    /**
     * @param runtime     these execs happened before the entrypoint (the runtime's set-up)
     * @param pids        the first pids that ran it (at most {@link ProcessesBuilder#MAX_PIDS_PER_EXEC})
     * @param pidsOmitted further pids that ran it
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record ExecGroup(String filename, List<String> argv, boolean argvTruncated, long count, String firstTime,
                            List<Integer> pids, long pidsOmitted, boolean runtime) {
    }

    /**
     * A process (one pid's life; a reused pid is a new node).
     *
     * @param role       "runtime", "init" (the workload's pid 1) or "workload"
     * @param filename   of its last exec (null if it never exec'd while recorded)
     * @param comm       its command name when it never exec'd (e.g. a forked shell)
     * @param execs      how many times it exec'd
     * @param startTime  fork time, or when first seen (processes started before recording)
     * @param exitCode   null while it had not ended when the recording stopped
     * @param signal     the signal that killed it (exit code then 0), null if none
     * @param lifetimeMs from start to exit, null without an exit
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(int pid, Integer ppid, String role, String filename, List<String> argv, String comm, int execs,
                       String startTime, Integer exitCode, Integer signal, Double lifetimeMs, List<Integer> children) {
    }
}
