package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuncArgsTest {
    static final Path CWD = Path.of("/work/dir");
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String TASK = "/run/containerd/io.containerd.runtime.v2.task/moby/" + ID;

    static RuncArgs parse(String... args) {
        return RuncArgs.parse(List.of(args), CWD);
    }

    @Test
    void containerdShimCreate() {
        // What containerd-shim-runc-v2 (go-runc) runs for a Docker container.
        RuncArgs a = parse("--root", "/var/run/docker/runtime-runc/moby", "--log", TASK + "/log.json", "--log-format", "json",
                "--systemd-cgroup", "create", "--bundle", TASK, "--pid-file", TASK + "/init.pid",
                "--console-socket", "/tmp/pty1234/pty.sock", "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", ID);
        assertEquals(List.of("--root", "/var/run/docker/runtime-runc/moby", "--log", TASK + "/log.json", "--log-format", "json",
                "--systemd-cgroup"), a.globalArgs());
        assertEquals("create", a.command());
        assertEquals(Path.of(TASK), a.bundle());
        assertEquals(ID, a.containerId());
        assertEquals(11, a.commandArgs().size());
        assertEquals(ID, a.commandArgs().get(10));
        assertTrue(a.createsContainer());
    }

    @Test
    void globalValueThatLooksLikeACommand() {
        // "first non-dash argument" would take the --root value for the command.
        RuncArgs a = parse("--root", "create", "--log-format=json", "--debug", "--rootless", "auto", "--criu", "/usr/sbin/criu",
                "state", ID);
        assertEquals("state", a.command());
        assertEquals(ID, a.containerId());
        assertNull(a.bundle());
        assertFalse(a.createsContainer());
    }

    @Test
    void bundleForms() {
        assertEquals(Path.of("/b1"), parse("create", "--bundle=/b1", ID).bundle());
        assertEquals(Path.of("/b2"), parse("create", "-b", "/b2", ID).bundle());
        assertEquals(Path.of("/b3"), parse("create", "-b=/b3", ID).bundle());
        assertEquals(Path.of("/b4"), parse("-root", "/r", "create", "-bundle", "/b4", ID).bundle());
        assertEquals(Path.of("/work/dir/rel/b"), parse("create", "--bundle", "rel/b", ID).bundle());
        assertEquals(CWD, parse("create", "--pid-file", "/p", ID).bundle());
        assertEquals(CWD, parse("create", "--bundle=", ID).bundle());
        assertEquals(ID, parse("create", "--bundle=/b1", ID).containerId());
    }

    @Test
    void flagsAfterTheId() {
        // urfave/cli v1 reorders flags that follow positional arguments.
        RuncArgs a = parse("create", ID, "--bundle", "/b", "--pid-file", "/p");
        assertEquals(Path.of("/b"), a.bundle());
        assertEquals(ID, a.containerId());
    }

    @Test
    void runAndRestore() {
        RuncArgs run = parse("--root", "/run/runc", "run", "-d", "--bundle", "/b", "--pid-file", "/p", ID);
        assertEquals("run", run.command());
        assertEquals(Path.of("/b"), run.bundle());
        assertEquals(ID, run.containerId());
        assertTrue(run.createsContainer());

        RuncArgs restore = parse("--root", "/run/runc", "--log", "/l", "--log-format", "json", "restore", "--image-path", "/ckpt",
                "--work-path", "/work", "--manage-cgroups-mode", "soft", "--tcp-established", "--detach", "--bundle", "/b",
                "--pid-file", "/p", "--console-socket", "/s", ID);
        assertEquals("restore", restore.command());
        assertEquals(Path.of("/b"), restore.bundle());
        assertEquals(ID, restore.containerId());
    }

    @Test
    void noCommand() {
        RuncArgs v = parse("--version");
        assertNull(v.command());
        assertEquals(List.of("--version"), v.globalArgs());
        assertFalse(v.createsContainer());
        assertNull(parse().command());
        assertNull(parse("--root", "/r").command());
    }

    @Test
    void passThroughCommands() {
        RuncArgs f = parse("--root", "/r", "features");
        assertEquals("features", f.command());
        assertNull(f.containerId());
        assertFalse(f.createsContainer());
        assertEquals("exec", parse("exec", "--cwd", "/run", "--process", "/p.json", ID).command());
        assertEquals(ID, parse("exec", "--cwd", "/run", "--process", "/p.json", ID).containerId());
        assertEquals(ID, parse("--log-format", "json", "delete", "--force", ID).containerId());
        assertEquals(ID, parse("kill", ID, "9").containerId());
    }
}
