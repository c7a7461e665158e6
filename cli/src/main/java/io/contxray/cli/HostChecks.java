package io.contxray.cli;

import io.contxray.bpf.AttachMethod;
import io.contxray.bpf.Libbpf;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.model.protocol.DaemonClient;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Protocol;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import io.contxray.recorder.Cgroups;
import io.contxray.recorder.MountInfo;
import io.contxray.recorder.RecorderDaemon;
import io.contxray.shim.ConfigPatcher;
import io.contxray.shim.ContainerdConfig;
import io.contxray.shim.HooksDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What this host offers contxray, found by trying rather than by guessing from versions: the
 * kernel programs are loaded and attached for real (root only), in a pin directory of their own.
 */
final class HostChecks {
    static final Path LIB = Path.of("/usr/local/lib/contxray");
    static final Path DAEMON_JSON = Path.of("/etc/docker/daemon.json");
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final List<HostCheck> out = new ArrayList<>();

    List<HostCheck> run() {
        kernel();
        syscallAbis();
        cgroups();
        List<AttachMethod> loading = programs();
        if (loading == null) {
            out.add(HostCheck.warn("will use", AttachMethod.defaultMethod().reportName() + " if it loads (run as root to check)"));
        } else if (loading.isEmpty()) {
            out.add(HostCheck.fail("will use", "nothing: no attach method loads here"));
        } else {
            out.add(HostCheck.info("will use", loading.get(0).reportName()
                    + (loading.get(0) == AttachMethod.defaultMethod() ? "" : " (the default does not load)")));
        }
        runtimes();
        installation();
        recorder();
        return out;
    }

    private void kernel() {
        out.add(HostCheck.info("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch")));
        Path btf = Path.of("/sys/kernel/btf/vmlinux");
        out.add(Files.exists(btf) ? HostCheck.ok("BTF", btf + " present")
                : HostCheck.fail("BTF", btf + " missing: the CO-RE object cannot be loaded"));
        try {
            out.add(HostCheck.info("libbpf", Libbpf.LIB.libbpf_major_version() + "." + Libbpf.LIB.libbpf_minor_version()));
        } catch (RuntimeException | LinkageError e) {
            out.add(HostCheck.fail("libbpf", "libbpf.so.1 not usable: " + e.getMessage()));
        }
        try {
            List<Path> bpffs = MountInfo.read("bpf");
            out.add(bpffs.contains(RecorderDaemon.DEFAULT_PIN_DIR.getParent())
                    ? HostCheck.ok("bpffs", "mounted at " + RecorderDaemon.DEFAULT_PIN_DIR.getParent())
                    : HostCheck.warn("bpffs", "not mounted at " + RecorderDaemon.DEFAULT_PIN_DIR.getParent()
                            + " (the daemon mounts it when it starts)"));
        } catch (IOException e) {
            out.add(HostCheck.fail("bpffs", "reading /proc/self/mountinfo: " + e.getMessage()));
        }
    }

    /** Which 32-bit syscall ABIs this host lets through, found by making one call of each. */
    private void syscallAbis() {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            out.add(HostCheck.info("32-bit syscalls", "not probed on " + System.getProperty("os.arch")));
            return;
        }
        Path probe = LIB.resolve("contxray-abi-probe");
        if (!Files.isExecutable(probe)) {
            out.add(HostCheck.warn("32-bit syscalls", "not checked: " + probe + " missing (install/install.sh)"));
            return;
        }
        String int80 = probe(probe, "int80");
        out.add(int80.equals("ok")
                ? HostCheck.ok("32-bit syscalls", "int 0x80 works: i386 code is recorded as compatSyscalls")
                : HostCheck.info("32-bit syscalls", "int 0x80 refused (" + int80 + "): no 32-bit code runs on this host"));
        String x32 = probe(probe, "x32");
        out.add(HostCheck.info("x32 syscalls", x32.equals("ok") ? "the x32 ABI is enabled: its calls are recorded under SCMP_ARCH_X32"
                : "x32 calls refused (" + x32 + "): the ABI is off; such calls are still counted"));
    }

    /** "ok", or how the probe's call failed (its errno, the signal that killed it, ...). */
    private static String probe(Path probe, String abi) {
        try {
            io.contxray.model.Commands.Result r = io.contxray.model.Commands.run(COMMAND_TIMEOUT, List.of(probe.toString(), abi));
            return r.code() == 0 ? "ok"
                    : r.code() == 128 + 11 ? "killed with SIGSEGV"
                    : r.firstErrLine();
        } catch (io.contxray.model.Commands.TimedOut e) {
            return "no answer within " + COMMAND_TIMEOUT.toMillis() + " ms";
        } catch (IOException e) {
            return "not tried: " + e.getMessage();
        }
    }

    private void cgroups() {
        try {
            Path mount = Cgroups.host().mount();
            String layout = mount.equals(Path.of("/sys/fs/cgroup")) ? "unified (v2 only)" : "hybrid (v1 and v2)";
            out.add(HostCheck.ok("cgroup v2", "mounted at " + mount + ", " + layout));
        } catch (IOException e) {
            out.add(HostCheck.fail("cgroup v2", e.getMessage()));
        }
    }

    /**
     * Loads, attaches and detaches the object with each method; returns those that worked,
     * default first, or null when it could not try (not root).
     */
    private List<AttachMethod> programs() {
        if (!isRoot()) {
            out.add(HostCheck.warn("bpf programs", "not checked: loading them needs root"));
            return null;
        }
        List<AttachMethod> working = new ArrayList<>();
        List<AttachMethod> order = new ArrayList<>(List.of(AttachMethod.values()));
        order.remove(AttachMethod.defaultMethod());
        order.add(0, AttachMethod.defaultMethod());
        for (AttachMethod m : order) {
            Path pins = RecorderDaemon.DEFAULT_PIN_DIR.resolveSibling("contxray-doctor-" + ProcessHandle.current().pid());
            try (SyscallRecorderProgram p = SyscallRecorderProgram.open(pins, m)) {
                List<String> skipped = p.attach();
                String files = p.fileMethod();
                String capabilities = p.capabilityMethod();
                p.detach();
                working.add(m);
                out.add(HostCheck.ok("bpf " + m.reportName(), "loads and attaches (sys_enter, sched_process_*, cgroup_mkdir/rmdir,"
                        + " inet_sock_set_state)"));
                out.add(HostCheck.info("  files", files.equals("none") ? "not recorded (no syscall tracepoints: is tracefs "
                        + "mounted?)" : files));
                out.add(HostCheck.info("  capabilities", capabilities.equals("none")
                        ? "no cap_capable tracepoint (Linux < 6.14): inferred from syscalls and events" : capabilities));
                if (!skipped.isEmpty()) {
                    out.add(HostCheck.info("  not attached", String.join("; ", skipped)));
                }
            } catch (RuntimeException e) {
                out.add(HostCheck.warn("bpf " + m.reportName(), "refused: " + e.getMessage()));
            } finally {
                SyscallRecorderProgram.removePins(pins);
            }
        }
        return working;
    }

    private void runtimes() {
        String runc = firstExisting(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/runc"));
        out.add(runc == null ? HostCheck.fail("runc", "not found in /usr/sbin or /usr/bin")
                : HostCheck.ok("runc", runc + ": " + firstLine(List.of(runc, "--version"))));
        String containerd = firstExisting(Path.of("/usr/bin/containerd"), Path.of("/usr/local/bin/containerd"));
        out.add(containerd == null ? HostCheck.info("containerd", "not found")
                : HostCheck.ok("containerd", containerd + ": " + firstLine(List.of(containerd, "--version"))));
        containerdConfig();
        Path nri = Path.of(ContainerdConfig.NRI_SOCKET);
        out.add(Files.exists(nri) ? HostCheck.ok("NRI socket", nri + ": `contxray nri` can register there")
                : HostCheck.info("NRI socket", nri + " absent (a runtime with NRI enabled creates it; Kubernetes pods need it)"));
        String podman = firstExisting(Path.of("/usr/bin/podman"), Path.of("/usr/local/bin/podman"));
        if (podman != null) {
            String version = firstLine(List.of(podman, "--version"));
            out.add(new HooksDir(HooksDir.DEFAULT, ConfigPatcher.DEFAULT_HOOK_BIN).installed()
                    ? HostCheck.ok("podman", version + ", hooks in " + HooksDir.DEFAULT)
                    : HostCheck.warn("podman", version + ", no contxray hooks in " + HooksDir.DEFAULT + " (contxray install podman)"));
        }
        String dockerd = firstExisting(Path.of("/usr/sbin/dockerd"), Path.of("/usr/bin/dockerd"), Path.of("/usr/local/bin/dockerd"));
        if (dockerd != null) {
            out.add(HostCheck.ok("dockerd", dockerd + ": " + firstLine(List.of(dockerd, "--version"))));
        }
        if (!Files.exists(DAEMON_JSON)) {
            out.add(HostCheck.info("docker", DAEMON_JSON + " missing: no Docker runtimes registered"));
            return;
        }
        try {
            Map<String, String> registered = DockerRuntimes.parse(Files.readString(DAEMON_JSON, StandardCharsets.UTF_8));
            for (String name : List.of("contxray", "contxray-record")) {
                String path = registered.get(name);
                out.add(path == null ? HostCheck.warn("docker runtime " + name, "not registered in " + DAEMON_JSON)
                        : Files.isExecutable(Path.of(path)) ? HostCheck.ok("docker runtime " + name, path)
                        : HostCheck.fail("docker runtime " + name, path + " is not an executable"));
            }
        } catch (IOException e) {
            out.add(HostCheck.fail("docker", DAEMON_JSON + ": " + e.getMessage()));
        }
    }

    private void containerdConfig() {
        Path toml = InstallCommand.defaultConfig(InstallCommand.Target.containerd);
        if (!Files.exists(toml)) {
            out.add(HostCheck.info("containerd config", toml + " missing: containerd's defaults (no contxray handler, NRI off on 1.7)"));
            return;
        }
        try {
            ContainerdConfig.Registered r = ContainerdConfig.registered(Files.readString(toml, StandardCharsets.UTF_8));
            out.add(r.handler() ? HostCheck.ok("containerd handler", "contxray registered in " + toml)
                    : HostCheck.info("containerd handler", "contxray not registered in " + toml + " (contxray install containerd)"));
            out.add(r.kubernetes() ? HostCheck.ok("containerd NRI", "enabled by contxray in " + toml)
                    : HostCheck.info("containerd NRI", "not set by contxray in " + toml + " (contxray install kubernetes)"));
        } catch (IOException e) {
            out.add(HostCheck.fail("containerd config", toml + ": " + e.getMessage()));
        }
    }

    private void installation() {
        for (Path p : List.of(LIB.resolve("contxray.jar"), LIB.resolve("contxray-hook"), LIB.resolve("contxray-abi-probe"),
                Path.of("/usr/local/bin/contxray-runc"),
                Path.of("/usr/local/bin/containerd-shim-contxray-v2"))) {
            out.add(Files.exists(p) ? HostCheck.ok("installed", p.toString())
                    : HostCheck.warn("installed", p + " missing (install/install.sh)"));
        }
    }

    private void recorder() {
        try {
            Response r = new DaemonClient(Protocol.socketPath(), Duration.ofSeconds(5)).call(Request.status());
            out.add(r.ok() ? HostCheck.ok("recorder", "up on " + Protocol.socketPath() + ", method " + r.method() + ", "
                    + r.containers().size() + " container(s) recorded")
                    : HostCheck.fail("recorder", r.error()));
        } catch (DaemonException e) {
            out.add(HostCheck.warn("recorder", e.getMessage() + " (containers start unrecorded unless required)"));
        }
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The first line a command prints, or why there is none; never waits past the timeout. */
    static String firstLine(List<String> command) {
        return firstLine(command, COMMAND_TIMEOUT);
    }

    static String firstLine(List<String> command, Duration timeout) {
        try {
            io.contxray.model.Commands.Result r = io.contxray.model.Commands.run(timeout, command);
            String text = (r.out() + r.err()).strip();
            return text.isEmpty() ? "(no output, exit " + r.code() + ")" : text.lines().findFirst().orElse("");
        } catch (io.contxray.model.Commands.TimedOut e) {
            return "no answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            return "cannot run: " + e.getMessage();
        }
    }
}
