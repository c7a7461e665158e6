package io.contxray.analyzer;

import io.contxray.model.ContainerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Processes} from a container's events, fed in log order (the kernel ring buffer's
 * order: a fork is always before anything its child does).
 *
 * <p>Runtime vs workload is decided by exec: the first exec of the registration pid (the process
 * the runtime reported as the container's init, i.e. {@code runc init}) is the entrypoint and
 * that process is the workload's pid 1. Everything before that exec is the runtime's set-up.
 * When that exec is not in the log (e.g. a recording recovered without events), nothing is
 * called runtime and {@code workloadInit} is null.
 */
public final class ProcessesBuilder {
    public static final int MAX_PIDS_PER_EXEC = 32;
    public static final int MAX_TREE_NODES = 10_000;
    public static final int MAX_EXEC_GROUPS = 5_000;
    /** Execs held back until the entrypoint is seen; beyond this, give up telling runtime from workload. */
    static final int MAX_PENDING = 10_000;

    private final int initPid;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, Node> byPid = new HashMap<>();
    private final Map<ExecKey, Group> groups = new LinkedHashMap<>();
    private final List<ContainerEvent> pendingExecs = new ArrayList<>();
    private boolean cutDecided; // the entrypoint was seen, or we gave up waiting for it
    private ContainerEvent entrypoint;
    private Node initNode;
    private long execCount;
    private long workloadExecCount;
    private long forkCount;
    private long exitCount;
    private long groupsOmitted;

    private record ExecKey(String filename, List<String> argv, boolean runtime) {
    }

    private static final class Group {
        final String filename;
        final List<String> argv;
        boolean argvTruncated;
        long count;
        final String firstTime;
        final List<Integer> pids = new ArrayList<>();
        long pidsOmitted;
        final boolean runtime;

        Group(ContainerEvent e, boolean runtime) {
            this.filename = e.filename();
            this.argv = e.argv() == null ? List.of() : e.argv();
            this.firstTime = e.time();
            this.runtime = runtime;
        }
    }

    private static final class Node {
        final int pid;
        Integer ppid;
        final String startTime;
        final long startTs;
        final boolean forkSeen;
        String comm;
        ContainerEvent lastExec;
        int execs;
        Integer exitCode;
        Integer signal;
        long endTs = -1;
        final List<Integer> children = new ArrayList<>();

        Node(int pid, Integer ppid, ContainerEvent first, boolean forkSeen) {
            this.pid = pid;
            this.ppid = ppid;
            this.startTime = first.time();
            this.startTs = first.ts();
            this.forkSeen = forkSeen;
        }

        boolean ended() {
            return endTs >= 0;
        }
    }

    /** @param initPid the registration's pid (host pid of the runtime's init process) */
    public ProcessesBuilder(int initPid) {
        this.initPid = initPid;
    }

    public void accept(ContainerEvent e) {
        if (e == null || e.type() == null) {
            return;
        }
        switch (e.type()) {
            case ContainerEvent.FORK -> fork(e);
            case ContainerEvent.EXEC -> exec(e);
            case ContainerEvent.EXIT -> exit(e);
            default -> {
                // other kinds of events (files, network) are not about processes
            }
        }
    }

    private void fork(ContainerEvent e) {
        forkCount++;
        Node parent = e.ppid() == null ? null : live(e.ppid(), null, e);
        Node child = newNode(e.pid(), e.ppid(), e, true);
        child.comm = e.comm(); // inherited from the parent until it execs
        if (parent != null) {
            parent.children.add(child.pid);
            if (parent.comm == null) {
                parent.comm = e.comm();
            }
        }
    }

    private void exec(ContainerEvent e) {
        execCount++;
        Node n = live(e.pid(), e.ppid(), e);
        if (n.ppid == null) {
            n.ppid = e.ppid();
        }
        n.execs++;
        n.lastExec = e;
        if (!cutDecided && e.pid() == initPid) {
            // the entrypoint: everything held back so far was the runtime's
            entrypoint = e;
            initNode = n;
            cutDecided = true;
            for (ContainerEvent r : pendingExecs) {
                group(r, true);
            }
            pendingExecs.clear();
        }
        if (!cutDecided) {
            pendingExecs.add(e);
            if (pendingExecs.size() > MAX_PENDING) {
                giveUpCut();
            }
            return;
        }
        workloadExecCount++;
        group(e, false);
    }

    private void giveUpCut() {
        cutDecided = true;
        for (ContainerEvent r : pendingExecs) {
            workloadExecCount++;
            group(r, false);
        }
        pendingExecs.clear();
    }

    private void exit(ContainerEvent e) {
        exitCount++;
        Node n = byPid.get(e.pid());
        if (n == null || n.ended()) {
            n = newNode(e.pid(), e.ppid(), e, false);
        }
        n.exitCode = e.exitCode();
        n.signal = e.signal() == null || e.signal() == 0 ? null : e.signal();
        n.endTs = e.ts();
        if (n.comm == null) {
            n.comm = e.comm();
        }
    }

    /** The live node of a pid, created if unknown or if the pid's previous process ended. */
    private Node live(int pid, Integer ppid, ContainerEvent e) {
        Node n = byPid.get(pid);
        if (n == null || n.ended()) {
            n = newNode(pid, ppid, e, false);
            Node parent = ppid == null ? null : byPid.get(ppid);
            if (parent != null && !parent.ended()) {
                parent.children.add(pid);
            }
        }
        return n;
    }

    private Node newNode(int pid, Integer ppid, ContainerEvent e, boolean forkSeen) {
        Node n = new Node(pid, ppid, e, forkSeen);
        if (!forkSeen && !ContainerEvent.EXEC.equals(e.type())) {
            n.comm = e.comm();
        }
        nodes.add(n);
        byPid.put(pid, n);
        return n;
    }

    private void group(ContainerEvent e, boolean runtime) {
        ExecKey key = new ExecKey(e.filename(), e.argv() == null ? List.of() : e.argv(), runtime);
        Group g = groups.get(key);
        if (g == null) {
            if (groups.size() >= MAX_EXEC_GROUPS) {
                groupsOmitted++;
                return;
            }
            g = new Group(e, runtime);
            groups.put(key, g);
        }
        g.count++;
        if (Boolean.TRUE.equals(e.argvTruncated())) {
            g.argvTruncated = true;
        }
        if (g.pids.size() < MAX_PIDS_PER_EXEC) {
            g.pids.add(e.pid());
        } else {
            g.pidsOmitted++;
        }
    }

    /** Exec groups that did not fit (distinct (filename, argv) beyond {@link #MAX_EXEC_GROUPS}). */
    public long execGroupsOmitted() {
        return groupsOmitted;
    }

    public Processes build() {
        if (!cutDecided) {
            giveUpCut();
        }
        long cutTs = entrypoint == null ? Long.MIN_VALUE : entrypoint.ts();
        List<Integer> runtimePids = new ArrayList<>();
        List<Processes.Node> tree = new ArrayList<>();
        List<Integer> roots = new ArrayList<>();
        Map<Integer, Boolean> present = new HashMap<>();
        for (Node n : nodes) {
            present.put(n.pid, true);
        }
        long omitted = 0;
        for (Node n : nodes) {
            String role = role(n, cutTs);
            if ("runtime".equals(role)) {
                runtimePids.add(n.pid);
            }
            if (n.ppid == null || !present.containsKey(n.ppid)) {
                roots.add(n.pid);
            }
            if (tree.size() >= MAX_TREE_NODES) {
                omitted++;
                continue;
            }
            ContainerEvent x = n.lastExec;
            Double lifetime = n.ended() ? (n.endTs - n.startTs) / 1e6 : null;
            tree.add(new Processes.Node(n.pid, n.ppid, role, x == null ? null : x.filename(),
                    x == null ? null : x.argv(), x == null ? n.comm : null, n.execs, n.startTime,
                    n.ended() ? n.exitCode : null, n.signal, lifetime, List.copyOf(n.children)));
        }
        List<Processes.ExecGroup> execs = new ArrayList<>();
        for (Group g : groups.values()) {
            execs.add(new Processes.ExecGroup(g.filename, g.argv, g.argvTruncated, g.count, g.firstTime,
                    List.copyOf(g.pids), g.pidsOmitted, g.runtime));
        }
        Processes.Init init = entrypoint == null ? null
                : new Processes.Init(entrypoint.pid(), entrypoint.filename(), entrypoint.argv(), entrypoint.time());
        return new Processes(execCount, workloadExecCount, forkCount, exitCount, init, runtimePids, execs,
                groupsOmitted, tree, roots, omitted);
    }

    /** runtime: existed before the entrypoint and did not exec after it; init: the registration pid after its exec. */
    private String role(Node n, long cutTs) {
        if (entrypoint == null) {
            return "workload";
        }
        if (n == initNode) {
            return "init";
        }
        boolean startedBefore = n.startTs < cutTs;
        boolean execAfter = n.lastExec != null && n.lastExec.ts() >= cutTs;
        return startedBefore && !execAfter ? "runtime" : "workload";
    }
}
