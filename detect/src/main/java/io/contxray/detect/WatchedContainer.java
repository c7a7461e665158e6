package io.contxray.detect;

import io.contxray.analyzer.PathClassifier;
import io.contxray.model.ContainerEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the detector keeps about one watched container while it runs: its process table (for
 * sessions and ancestry), the paths written in it since it started (drift), the ports it listened
 * on. Bounded: past the limits new entries are counted, not kept. Used by one thread (the event
 * thread) at a time.
 */
final class WatchedContainer {
    static final int MAX_PROCS = 32_768;
    static final int MAX_WRITTEN = 65_536;

    final String id;
    final int initPid;
    final PathClassifier paths;
    volatile String name;
    volatile String image;
    private final Map<Integer, Proc> procs = new HashMap<>();
    private final Set<String> written = new HashSet<>();
    private final Set<Integer> listened = new HashSet<>();
    long untracked;

    WatchedContainer(String id, int initPid, String name, String image, PathClassifier paths) {
        this.id = id;
        this.initPid = initPid;
        this.name = name;
        this.image = image;
        this.paths = paths;
    }

    Proc proc(int pid) {
        return procs.get(pid);
    }

    /** Updates the process table from an exec, fork or exit; returns the event's process (null for exit). */
    Proc track(ContainerEvent e) {
        switch (e.type()) {
            case ContainerEvent.FORK -> {
                Proc parent = procs.get(e.ppid());
                Proc child = new Proc(e.pid(), parent, parent == null ? null : parent.filename(),
                        parent == null ? List.of() : parent.argv(), sessionOf(e.pid(), parent));
                put(child);
                return child;
            }
            case ContainerEvent.EXEC -> {
                Proc known = procs.get(e.pid());
                Proc p;
                if (known != null) {
                    p = known.exec(e.filename(), e.argv());
                } else {
                    Proc parent = e.ppid() == null ? null : procs.get(e.ppid());
                    p = new Proc(e.pid(), parent, e.filename(), e.argv(), sessionOf(e.pid(), parent));
                }
                put(p);
                return p;
            }
            case ContainerEvent.EXIT -> {
                procs.remove(e.pid());
                return null;
            }
            default -> {
                return procs.get(e.pid());
            }
        }
    }

    /** pid 1 and its descendants are the container's own; a process whose parent was never seen came from outside. */
    private String sessionOf(int pid, Proc parent) {
        if (pid == initPid) {
            return Session.INIT;
        }
        return parent == null ? Session.EXEC : parent.session();
    }

    private void put(Proc p) {
        if (procs.size() >= MAX_PROCS && !procs.containsKey(p.pid())) {
            untracked++;
            return;
        }
        procs.put(p.pid(), p);
    }

    /** Remembers a path written in the container (a later exec of it is drift). */
    void written(String path) {
        if (written.size() >= MAX_WRITTEN) {
            if (!written.contains(path)) {
                untracked++;
            }
            return;
        }
        written.add(path);
    }

    boolean wasWritten(String path) {
        return written.contains(path);
    }

    /** Whether the port is new to the container (and remembers it). */
    boolean newListen(int port) {
        return listened.add(port);
    }
}
