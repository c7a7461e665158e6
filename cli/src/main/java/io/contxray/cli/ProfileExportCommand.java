package io.contxray.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.analyzer.ProfileExport;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Print a profile in a deployable form (JSON, which is also YAML).")
final class ProfileExportCommand implements Callable<Integer> {
    enum Format { kubernetes, pod, compose, docker, apparmor, networkpolicy, network_summary }

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A container id, a directory holding seccomp.json, or a seccomp.json file")
    String source;

    @Option(names = "--format", required = true,
            description = "kubernetes (Security Profiles Operator SeccompProfile), pod (securityContext), compose (security_opt), "
                    + "docker (seccomp.json), apparmor (an AppArmor profile from the recordings' files, execs, sockets and capabilities), "
                    + "networkpolicy (Kubernetes NetworkPolicy from the recorded connections, needs --selector), "
                    + "network-summary (plain text: inbound ports and sources, outbound destinations)",
            converter = FormatConverter.class)
    Format format;

    @Option(names = "--name", description = "Object name for kubernetes and pod (a Kubernetes name); profile name for apparmor "
            + "(default: cx-<id> or the directory's name)")
    String name;

    @Option(names = "--selector", paramLabel = "LABEL=VALUE[,...]",
            description = "networkpolicy: the labels of the pods it applies to")
    String selector;

    @Option(names = "--namespace", description = "Namespace for kubernetes and pod (default: ${DEFAULT-VALUE})")
    String namespace = "default";

    @Option(names = "--allow-lossy", description = "Export even from a recording whose kernel dropped or rotated events "
            + "(a warning says what was lost); refused by default")
    boolean allowLossy;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        try {
            ProfileSource src = ProfileSource.resolve(source, stateDir);
            boolean fromRecordings = format == Format.apparmor || format == Format.networkpolicy
                    || format == Format.network_summary;
            LossyRecordings.check(fromRecordings ? RecordingReports.of(src, stateDir)
                    : RecordingReports.own(src), allowLossy, System.err);
            if (Files.isRegularFile(src.seccomp().resolveSibling(ProfileMergeCommand.LOSSY_JSON))) {
                System.err.println("warning: " + src.label() + " was merged from lossy recordings (see its "
                        + ProfileMergeCommand.LOSSY_JSON + ")");
            }
            if ((format == Format.kubernetes || format == Format.pod) && name == null) {
                throw new IllegalArgumentException("--format " + format + " needs --name");
            }
            switch (format) {
                case apparmor -> {
                    System.out.print(ExportFormats.apparmor(src, stateDir, name));
                    return 0;
                }
                case network_summary -> {
                    System.out.print(ExportFormats.networkSummary(src, stateDir));
                    return 0;
                }
                case networkpolicy -> {
                    if (selector == null) {
                        throw new IllegalArgumentException("--format networkpolicy needs --selector LABEL=VALUE (the labels "
                                + "of the pods it applies to: recordings do not hold pod labels)");
                    }
                    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                            ExportFormats.networkPolicy(src, stateDir, name, namespace, selector)));
                    return 0;
                }
                default -> {
                    // the seccomp forms below
                }
            }
            Object out = switch (format) {
                case kubernetes -> ProfileExport.kubernetes(src.profile(), name, namespace);
                case pod -> ProfileExport.securityContext(name, namespace, src.capabilities());
                case compose -> compose(src);
                case docker -> src.profile();
                case apparmor, networkpolicy, network_summary -> throw new IllegalStateException("printed above");
            };
            System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile export: " + e.getMessage());
            return 1;
        } catch (LossyRecordings.Refused e) {
            System.err.println("contxray profile export: " + e.getMessage());
            return LossyRecordings.EXIT;
        }
    }

    /** network-summary on the command line, network_summary in Java. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown format " + value + " (kubernetes, pod, "
                        + "compose, docker, apparmor, networkpolicy, network-summary)");
            }
        }
    }

    private static ObjectNode compose(ProfileSource src) throws IOException {
        src.profile(); // refuse a profile that does not parse before pointing at it
        return ProfileExport.compose(src.seccomp().toAbsolutePath().toString(), src.capabilities());
    }
}
