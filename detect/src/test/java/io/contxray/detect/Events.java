package io.contxray.detect;

import io.contxray.model.ContainerEvent;
import java.util.List;

/** Events of the test container "c1" (pid 1 = host pid 100) as the recorder writes them. */
final class Events {
    static final String ID = "c1";
    static final int INIT = 100;
    static final String T = "2026-12-07T13:00:00Z";

    private Events() {
    }

    static ContainerEvent exec(int pid, int ppid, String filename, String... argv) {
        return ContainerEvent.exec(T, 1, ID, pid, pid, ppid, 0, 0, EventFacts.basename(filename), filename, List.of(argv),
                argv.length, false, false);
    }

    static ContainerEvent fork(int child, int parent) {
        return ContainerEvent.fork(T, 1, ID, child, parent, parent, "sh");
    }

    static ContainerEvent exit(int pid) {
        return ContainerEvent.exit(T, 1, ID, pid, pid, 0, 0, "sh");
    }

    static ContainerEvent open(int pid, String path, String... access) {
        return ContainerEvent.file(T, 1, ID, pid, pid, "sh", "open", path, null, List.of(access), 0, 3, null, false, null);
    }

    static ContainerEvent file(int pid, String op, String path, String newPath) {
        return ContainerEvent.file(T, 1, ID, pid, pid, "sh", op, path, newPath, null, null, 0, null, false, null);
    }

    static ContainerEvent failedOpen(int pid, String path, String errno, String... access) {
        return ContainerEvent.file(T, 1, ID, pid, pid, "sh", "open", path, null, List.of(access), 0, -13, errno, false, null);
    }

    static ContainerEvent listen(int pid, int port) {
        return ContainerEvent.net(T, 1, ID, pid, pid, "nc", "listen", "ipv4", "0.0.0.0", port, "0.0.0.0", 0);
    }

    static ContainerEvent connect(int pid, String addr, int port) {
        return ContainerEvent.net(T, 1, ID, pid, pid, "wget", "connect", "ipv4", "172.17.0.2", 40000, addr, port);
    }

    static ContainerEvent unixConnect(int pid, String path) {
        return ContainerEvent.socket(T, 1, ID, pid, pid, "curl", "unix-connect", "unix", null, null, path, 0, null, null);
    }

    static ContainerEvent rawSend(int pid) {
        return ContainerEvent.socket(T, 1, ID, pid, pid, "ping", "raw-send", "ipv4", "172.17.0.3", null, null, 64, null, null);
    }

    static ContainerEvent capability(int pid, String cap, boolean granted, String phase) {
        return ContainerEvent.capability(T, 1, ID, pid, pid, "x", cap, granted, phase, "tracepoint");
    }
}
