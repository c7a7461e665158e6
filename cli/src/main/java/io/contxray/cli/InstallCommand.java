package io.contxray.cli;

import io.contxray.shim.ConfigPatcher;
import io.contxray.shim.ContainerdConfig;
import io.contxray.shim.HooksDir;
import io.contxray.shim.DockerDaemonConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code contxray install|uninstall docker|containerd|podman|kubernetes}: register the runtime
 * wrapper with an engine's configuration and take it out again (idempotent, merged, backed up,
 * refused when the file does not parse). The engine is not restarted: the command says what to
 * do. {@code kubernetes} is a node's containerd config.toml (the runtime handler for the
 * RuntimeClass, NRI, pod annotations) plus where the manifests are.
 */
final class InstallCommand {
    static final Path BIN = Path.of("/usr/local/bin");

    enum Target { docker, containerd, podman, kubernetes }

    /** The manifests install.sh copies from install/kubernetes, beside the bin directory. */
    static Path manifests(Path binDir) {
        Path prefix = binDir.toAbsolutePath().getParent();
        return (prefix == null ? binDir : prefix).resolve("share/contxray/kubernetes");
    }

    private InstallCommand() {
    }

    static Path defaultConfig(Target t) {
        return switch (t) {
            case docker -> Path.of("/etc/docker/daemon.json");
            case containerd, kubernetes -> Path.of("/etc/containerd/config.toml");
            case podman -> HooksDir.DEFAULT;
        };
    }

    abstract static class Base implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "docker|containerd|podman|kubernetes", description = "The engine whose configuration "
                + "to change (podman: also CRI-O, through an OCI hooks.d directory; kubernetes: a node's containerd config.toml)")
        Target target;

        @Option(names = "--bin-dir", description = "Where contxray-runc and contxray-record are (default: ${DEFAULT-VALUE})")
        Path binDir = BIN;

        @Option(names = "--config", description = "The engine's configuration file or, for podman, hooks directory "
                + "(default: /etc/docker/daemon.json, /etc/containerd/config.toml (containerd, kubernetes), "
                + "/usr/share/containers/oci/hooks.d)")
        Path config;

        abstract boolean installing();

        @Override
        public Integer call() {
            Path file = config != null ? config : defaultConfig(target);
            String verb = installing() ? "install" : "uninstall";
            try {
                List<String> what = switch (target) {
                    case docker -> List.of(docker(file));
                    case containerd, kubernetes -> containerd(file, target == Target.kubernetes);
                    case podman -> List.of(podman(file));
                };
                what.forEach(line -> System.out.println("contxray " + verb + " " + target + ": " + line));
                return 0;
            } catch (IOException e) {
                System.err.println("contxray " + verb + " " + target + ": " + e.getMessage());
                return 1;
            }
        }

        private String docker(Path file) throws IOException {
            DockerDaemonConfig c = DockerDaemonConfig.standard(file, binDir);
            DockerDaemonConfig.Outcome o = installing() ? c.install() : c.uninstall();
            return switch (o) {
                case UNCHANGED -> "nothing to change in " + file;
                case RESTORED -> "restored " + file + " from " + c.backup() + "; reload dockerd (SIGHUP) to drop the runtimes";
                case CHANGED -> (installing() ? "runtimes contxray and contxray-record registered in " : "runtimes removed from ")
                        + file + (installing() && java.nio.file.Files.exists(c.backup()) ? " (original kept as " + c.backup() + ")" : "")
                        + "; reload dockerd (SIGHUP) to apply";
            };
        }

        private String podman(Path dir) throws IOException {
            HooksDir h = new HooksDir(dir, ConfigPatcher.DEFAULT_HOOK_BIN);
            HooksDir.Outcome o = installing() ? h.install() : h.uninstall();
            return o == HooksDir.Outcome.UNCHANGED ? "nothing to change in " + dir
                    : (installing() ? "hooks for contxray.record=true|required written to " : "hooks removed from ") + dir
                            + " (read by podman and CRI-O at each container creation)";
        }

        /** The outcome, the notes, and for kubernetes where the manifests are. */
        private List<String> containerd(Path file, boolean kubernetes) throws IOException {
            ContainerdConfig c = new ContainerdConfig(file, binDir.resolve("contxray-runc").toString());
            ContainerdConfig.Outcome o = kubernetes ? (installing() ? c.installKubernetes() : c.uninstallKubernetes())
                    : installing() ? c.install() : c.uninstall();
            String what = !kubernetes ? "runtime handler contxray"
                    : installing() ? "runtime handler contxray and the Kubernetes settings the file lacks (NRI, runc pod_annotations)"
                    : "contxray's runtime handler and Kubernetes blocks";
            List<String> lines = new ArrayList<>();
            lines.add(switch (o) {
                case UNCHANGED -> "nothing to change in " + file;
                case RESTORED -> "restored " + file + " from " + c.backup() + "; restart containerd to apply";
                case CHANGED -> (installing() ? what + " added to " : what + " removed from ") + file
                        + (installing() && Files.exists(c.backup()) ? " (original kept as " + c.backup() + ")" : "")
                        + "; restart containerd to apply";
            });
            c.notes().forEach(n -> lines.add("note: " + n));
            if (kubernetes) {
                Path dir = manifests(binDir);
                String files = installing() ? "-f " + dir + "/namespace.yaml -f " + dir + "/runtimeclass.yaml -f " + dir + "/daemonset.yaml"
                        : "-f " + dir + "/daemonset.yaml -f " + dir + "/runtimeclass.yaml -f " + dir + "/namespace.yaml";
                lines.add("manifests in " + dir + (Files.isDirectory(dir) ? "" : " (not there: install/install.sh copies them)")
                        + ": kubectl " + (installing() ? "apply " : "delete ") + files);
            }
            return lines;
        }
    }

    @Command(name = "install", description = "Register contxray with an engine's configuration (docker: daemon.json runtimes; "
            + "containerd: a CRI runtime handler in config.toml; podman/CRI-O: OCI hooks.d files; kubernetes: the containerd "
            + "handler plus NRI and the runc handler's pod_annotations in config.toml, and the kubectl line for the manifests).")
    static final class Install extends Base {
        @Override
        boolean installing() {
            return true;
        }
    }

    @Command(name = "uninstall", description = "Take contxray out of an engine's configuration again.")
    static final class Uninstall extends Base {
        @Override
        boolean installing() {
            return false;
        }
    }
}
