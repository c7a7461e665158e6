package io.contxray.cli;

import io.contxray.shim.ConfigPatcher;
import io.contxray.shim.ContainerdConfig;
import io.contxray.shim.HooksDir;
import io.contxray.shim.DockerDaemonConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code contxray install|uninstall docker|containerd}: register the runtime wrapper with an
 * engine's configuration and take it out again (idempotent, merged, backed up, refused when
 * the file does not parse). The engine is not restarted: the command says what to do.
 */
final class InstallCommand {
    static final Path BIN = Path.of("/usr/local/bin");

    enum Target { docker, containerd, podman }

    private InstallCommand() {
    }

    static Path defaultConfig(Target t) {
        return switch (t) {
            case docker -> Path.of("/etc/docker/daemon.json");
            case containerd -> Path.of("/etc/containerd/config.toml");
            case podman -> HooksDir.DEFAULT;
        };
    }

    abstract static class Base implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "docker|containerd|podman", description = "The engine whose configuration to change "
                + "(podman: also CRI-O, through an OCI hooks.d directory)")
        Target target;

        @Option(names = "--bin-dir", description = "Where contxray-runc and contxray-record are (default: ${DEFAULT-VALUE})")
        Path binDir = BIN;

        @Option(names = "--config", description = "The engine's configuration file or, for podman, hooks directory "
                + "(default: /etc/docker/daemon.json, /etc/containerd/config.toml, /usr/share/containers/oci/hooks.d)")
        Path config;

        abstract boolean installing();

        @Override
        public Integer call() {
            Path file = config != null ? config : defaultConfig(target);
            String verb = installing() ? "install" : "uninstall";
            try {
                String what = switch (target) {
                    case docker -> docker(file);
                    case containerd -> containerd(file);
                    case podman -> podman(file);
                };
                System.out.println("contxray " + verb + " " + target + ": " + what);
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

        private String containerd(Path file) throws IOException {
            ContainerdConfig c = new ContainerdConfig(file, binDir.resolve("contxray-runc").toString());
            ContainerdConfig.Outcome o = installing() ? c.install() : c.uninstall();
            return o == ContainerdConfig.Outcome.UNCHANGED ? "nothing to change in " + file
                    : (installing() ? "runtime handler contxray added to " : "runtime handler contxray removed from ") + file
                            + "; restart containerd to apply";
        }
    }

    @Command(name = "install", description = "Register contxray with an engine's configuration (docker: daemon.json runtimes; "
            + "containerd: a CRI runtime handler in config.toml; podman/CRI-O: OCI hooks.d files).")
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
