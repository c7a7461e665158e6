package io.contxray.detect;

import static io.contxray.detect.Events.INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.BundleMounts;
import io.contxray.model.ContainerEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each default rule: a case that fires it (and only it) and a near miss that does not. */
class DefaultRulesTest {
    /** A container whose pid 1 is httpd, with a user volume on /data and Docker's /etc/hosts. */
    private static Detector container() {
        Detector d = new Detector(RuleFiles.defaults(), Clock.systemUTC());
        d.watch(Events.ID, INIT, "web", "busybox", List.of(
                new BundleMounts.Mount("/data", "bind", "/srv/data", List.of("rbind", "rw")),
                new BundleMounts.Mount("/etc/hosts", "bind", "/var/lib/docker/containers/c1/hosts", List.of("rbind"))));
        d.check(Events.ID, Events.exec(INIT, 90, "/bin/httpd", "httpd", "-f"));
        return d;
    }

    /** The rule ids the events raise, in order. */
    private static List<String> fired(ContainerEvent... events) {
        Detector d = container();
        List<String> out = new ArrayList<>();
        for (ContainerEvent e : events) {
            d.check(Events.ID, e).forEach(a -> out.add(a.rule()));
        }
        return out;
    }

    private static ContainerEvent child(int pid) {
        return Events.fork(pid, INIT);
    }

    @Test
    void everyDefaultRuleIsTestedHere() {
        List<String> ids = RuleFiles.defaults().rules().stream().map(Rule::id).toList();
        assertEquals(List.of("shell-in-exec-session", "shell-in-container", "package-manager", "write-below-system-dir",
                "drift-exec", "sensitive-file-read", "new-listening-port", "privileged-operation-attempt", "raw-socket",
                "container-engine-socket", "write-host-bind"), ids);
    }

    @Test
    void shellInExecSession() {
        assertEquals(List.of("shell-in-exec-session"), fired(Events.exec(200, 7, "/bin/sh", "sh", "-c", "id")));
        assertEquals(List.of("shell-in-exec-session"), fired(Events.exec(200, 7, "/usr/bin/python3.11", "python3")));
        assertEquals(List.of(), fired(Events.exec(200, 7, "/bin/cat", "cat", "/etc/hostname")));
    }

    @Test
    void shellInContainerIsAnEventAndPid1ItselfIsNot() {
        assertEquals(List.of("shell-in-container"), fired(child(101), Events.exec(101, INIT, "/bin/sh", "sh", "-c", "x")));
        assertEquals(List.of(), fired(Events.exec(INIT, 90, "/bin/sh", "sh", "-c", "httpd -f")));
        assertEquals(Level.EVENT, RuleFiles.defaults().rules().get(1).level());
    }

    @Test
    void packageManager() {
        assertEquals(List.of("package-manager"), fired(child(101), Events.exec(101, INIT, "/sbin/apk", "apk", "add", "curl")));
        assertEquals(List.of("package-manager"), fired(child(101), Events.exec(101, INIT, "/usr/bin/pip3", "pip3", "install", "x")));
        assertEquals(List.of("shell-in-container", "package-manager"),
                fired(child(101), Events.exec(101, INIT, "/usr/bin/python3", "python3", "-m", "pip", "install", "x")));
        assertEquals(List.of(), fired(child(101), Events.exec(101, INIT, "/bin/ls", "ls", "apt")));
    }

    @Test
    void writeBelowSystemDir() {
        assertEquals(List.of("write-below-system-dir"), fired(Events.open(INIT, "/etc/passwd", "write")));
        assertEquals(List.of("write-below-system-dir"), fired(Events.file(INIT, "unlink", "/usr/bin/id", null)));
        assertEquals(List.of("write-below-system-dir"), fired(Events.failedOpen(INIT, "/bin/x", "EROFS", "write", "create")));
        assertEquals(List.of(), fired(Events.open(INIT, "/etc/passwd", "read")));
        assertEquals(List.of(), fired(Events.open(INIT, "/etcd/x", "write")));
        assertEquals(List.of(), fired(Events.open(INIT, "/etc/hosts", "write"))); // the engine's bind, not the image's /etc
        assertEquals(List.of(), fired(ContainerEvent.file(Events.T, 1, Events.ID, INIT, INIT, "runc:[2:INIT]", "open",
                "/etc/x", null, List.of("write"), 0, 3, null, false, null)));
    }

    @Test
    void driftExec() {
        assertEquals(List.of("drift-exec"), fired(Events.open(INIT, "/usr/local/bin/x", "write", "create"),
                child(101), Events.exec(101, INIT, "/usr/local/bin/x", "x")).subList(1, 2));
        assertEquals(List.of("drift-exec"), fired(Events.file(INIT, "rename", "/opt/.x", "/opt/tool"),
                child(101), Events.exec(101, INIT, "/opt/tool", "tool")));
        assertEquals(List.of("drift-exec"), fired(child(101), Events.exec(101, INIT, "/dev/shm/a", "a")));
        assertEquals(List.of("drift-exec"), fired(child(101), Events.exec(101, INIT, "/tmp/a", "a")));
        assertEquals(List.of(), fired(Events.failedOpen(INIT, "/opt/tool", "EACCES", "write"), child(101),
                Events.exec(101, INIT, "/opt/tool", "tool")));
        assertEquals(List.of(), fired(Events.open(INIT, "/opt/tool", "read"), child(101), Events.exec(101, INIT, "/opt/tool", "tool")));
    }

    @Test
    void sensitiveFileRead() {
        assertEquals(List.of("sensitive-file-read"), fired(Events.open(INIT, "/etc/shadow", "read")));
        assertEquals(List.of("sensitive-file-read"), fired(Events.open(INIT, "/root/.ssh/id_ed25519", "read")));
        assertEquals(List.of("sensitive-file-read"),
                fired(Events.open(INIT, "/var/run/secrets/kubernetes.io/serviceaccount/token", "read")));
        assertEquals(List.of(), fired(Events.open(INIT, "/etc/passwd", "read")));
        assertEquals(List.of(), fired(Events.open(INIT, "/root/.ssh/id_ed25519.pub.txt", "path")));
    }

    @Test
    void newListeningPort() {
        assertEquals(List.of("new-listening-port"), fired(Events.exec(200, 7, "/bin/nc", "nc", "-l", "-p", "9999"),
                Events.listen(200, 9999)));
        // pid 1's own port, and a port the container listened on before, are not new alerts
        assertEquals(List.of(), fired(Events.listen(INIT, 80)));
        assertEquals(List.of(), fired(Events.listen(INIT, 80), Events.exec(200, 7, "/bin/nc", "nc"), Events.listen(200, 80)));
        assertEquals(List.of(), fired(Events.exec(200, 7, "/bin/wget", "wget"), Events.connect(200, "172.17.0.3", 80)));
    }

    @Test
    void privilegedOperationAttempt() {
        assertEquals(List.of("privileged-operation-attempt"), fired(Events.capability(INIT, "SYS_ADMIN", false, "workload")));
        assertEquals(List.of("privileged-operation-attempt"), fired(Events.capability(INIT, "SYS_PTRACE", true, "workload")));
        assertEquals(List.of(), fired(Events.capability(INIT, "SYS_ADMIN", true, "runtime")));
        assertEquals(List.of(), fired(Events.capability(INIT, "CHOWN", true, "workload")));
    }

    @Test
    void rawSocket() {
        assertEquals(List.of("raw-socket"), fired(Events.capability(INIT, "NET_RAW", true, "workload")));
        assertEquals(List.of("raw-socket"), fired(Events.rawSend(INIT)));
        assertEquals(List.of(), fired(Events.capability(INIT, "NET_RAW", true, "runtime")));
    }

    @Test
    void containerEngineSocket() {
        assertEquals(List.of("container-engine-socket"), fired(Events.unixConnect(INIT, "/var/run/docker.sock")));
        assertEquals(List.of("container-engine-socket"), fired(Events.open(INIT, "/run/containerd/containerd.sock", "read", "write")));
        assertEquals(List.of(), fired(Events.unixConnect(INIT, "/run/app.sock")));
    }

    @Test
    void writeHostBind() {
        assertEquals(List.of("write-host-bind"), fired(Events.open(INIT, "/data/out.txt", "write", "create")));
        assertEquals(List.of(), fired(Events.open(INIT, "/data/out.txt", "read")));
        assertEquals(List.of(), fired(Events.open(INIT, "/etc/hosts", "write"))); // the engine's own file
    }

    @Test
    void aBenignServerRaisesNothing() {
        List<String> all = fired(Events.listen(INIT, 80), Events.open(INIT, "/www/index.html", "read"),
                Events.open(INIT, "/etc/passwd", "read"), Events.fork(101, INIT), Events.exit(101),
                Events.open(INIT, "/tmp/cache", "write", "create"));
        assertTrue(all.isEmpty(), all.toString());
    }
}
