package io.contxray.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.analyzer.ProfileExport;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Print a profile in a deployable form (JSON, which is also YAML).")
final class ProfileExportCommand implements Callable<Integer> {
    enum Format { kubernetes, pod, compose, docker, apparmor }

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A container id, a directory holding seccomp.json, or a seccomp.json file")
    String source;

    @Option(names = "--format", required = true,
            description = "kubernetes (Security Profiles Operator SeccompProfile), pod (securityContext), compose (security_opt), "
                    + "docker (seccomp.json), apparmor (an AppArmor profile from the recordings' files, execs, sockets and capabilities)")
    Format format;

    @Option(names = "--name", description = "Object name for kubernetes and pod (a Kubernetes name); profile name for apparmor "
            + "(default: cx-<id> or the directory's name)")
    String name;

    @Option(names = "--namespace", description = "Namespace for kubernetes and pod (default: ${DEFAULT-VALUE})")
    String namespace = "default";

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        try {
            ProfileSource src = ProfileSource.resolve(source, stateDir);
            if ((format == Format.kubernetes || format == Format.pod) && name == null) {
                throw new IllegalArgumentException("--format " + format + " needs --name");
            }
            if (format == Format.apparmor) {
                System.out.print(ExportFormats.apparmor(src, stateDir, name));
                return 0;
            }
            Object out = switch (format) {
                case kubernetes -> ProfileExport.kubernetes(src.profile(), name, namespace);
                case pod -> ProfileExport.securityContext(name, namespace, src.capabilities());
                case compose -> compose(src);
                case docker -> src.profile();
                case apparmor -> throw new IllegalStateException("printed above");
            };
            System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile export: " + e.getMessage());
            return 1;
        }
    }

    private static ObjectNode compose(ProfileSource src) throws IOException {
        src.profile(); // refuse a profile that does not parse before pointing at it
        return ProfileExport.compose(src.seccomp().toAbsolutePath().toString(), src.capabilities());
    }
}
