package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdLookupTest {
    @TempDir
    Path proc;

    void process(int pid, int ppid, String comm, String... argv) throws Exception {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("stat"), pid + " (" + comm + ") S " + ppid + " 1 1 0 -1");
        Files.writeString(d.resolve("cmdline"), String.join("\0", argv) + "\0");
    }

    @Test
    void theShimAmongTheAncestorsNamesContainerdAndTheNamespace() throws Exception {
        process(900, 1, "containerd-shim", "/usr/bin/containerd-shim-runc-v2", "-namespace", "k8s.io", "-id", "abc",
                "-address", "/run/containerd/containerd.sock");
        process(950, 900, "runc", "runc", "--root", "/run/runc", "create", "abc");
        process(960, 950, "runc:[2:INIT] (x)", "runc", "init");
        ContainerdLookup l = new ContainerdLookup(proc, "ctr", Duration.ofSeconds(1));
        assertEquals(Optional.of(new ContainerdLookup.Endpoint("/run/containerd/containerd.sock", "k8s.io")),
                l.endpointOf(960));
        assertEquals(Optional.empty(), l.endpointOf(4242), "a process that is gone");
    }

    @Test
    void argumentFormsAndHostileValues() {
        assertEquals(Optional.of(new ContainerdLookup.Endpoint("/a.sock", "default")),
                ContainerdLookup.fromArgs(List.of("shim", "--namespace=default", "--address=/a.sock")));
        assertEquals(Optional.empty(), ContainerdLookup.fromArgs(List.of("shim", "-namespace", "ns")), "no address");
        assertEquals(Optional.empty(), ContainerdLookup.fromArgs(List.of("-address", "relative.sock", "-namespace", "n")));
        assertEquals(Optional.empty(), ContainerdLookup.fromArgs(List.of("-address", "/a", "-namespace", "../x y")));
    }

    @Test
    void theRecordsImageAndTheNameLabels() throws Exception {
        assertEquals(Optional.of(new ContainerdLookup.Identity("web", "docker.io/library/nginx:1.27")),
                ContainerdLookup.parseInfo(Json.mapper().readTree(
                        "{\"ID\":\"abc\",\"Labels\":{\"nerdctl/name\":\"web\"},\"Image\":\"docker.io/library/nginx:1.27\"}")));
        assertEquals(Optional.of(new ContainerdLookup.Identity(null, "docker.io/contxray-test/busybox:latest")),
                ContainerdLookup.parseInfo(Json.mapper().readTree(
                        "{\"ID\":\"abc\",\"Labels\":{},\"Image\":\"docker.io/contxray-test/busybox:latest\"}")));
        assertEquals(Optional.empty(), ContainerdLookup.parseInfo(Json.mapper().readTree("{\"ID\":\"abc\"}")));
    }

    @Test
    void noCtrMeansNoIdentityNotAnError() {
        ContainerdLookup l = new ContainerdLookup(proc, "/nonexistent/ctr", Duration.ofSeconds(1));
        assertEquals(Optional.empty(), l.describe(new ContainerdLookup.Endpoint("/a.sock", "n"), "abc"));
    }
}
