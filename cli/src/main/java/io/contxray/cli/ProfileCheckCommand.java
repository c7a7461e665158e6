package io.contxray.cli;

import io.contxray.analyzer.DockerDefaultComparison;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = {
        "Compare profiles with Docker's default seccomp profile, rule by rule, for the capabilities each one is meant "
                + "for (its capabilities.json, plus --cap-add): every syscall the profile allows more widely than "
                + "Docker's default (refused there, or allowed only with argument conditions the profile's do not imply) "
                + "is printed. Exit 0: none is wider; 1: some is; 2: an error."})
final class ProfileCheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PROFILE",
            description = "A container id, a directory holding seccomp.json, or a seccomp.json file")
    List<String> profiles;

    @Option(names = "--against-docker-default", required = true, paramLabel = "FILE",
            description = "Docker's default profile (profiles/seccomp/default.json of Docker's source, e.g. from Debian's "
                    + "golang-github-docker-docker-dev)")
    Path dockerDefault;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "A capability the container also has (repeatable)")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--arch", description = "Docker's name of the host architecture (default: ${DEFAULT-VALUE})")
    String arch = goArch(System.getProperty("os.arch"));

    @Option(names = "--kernel", description = "Kernel version for minKernel rules (default: this host's, ${DEFAULT-VALUE})")
    String kernel = System.getProperty("os.version");

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }

    @Override
    public Integer call() {
        DockerDefaultComparison docker;
        try {
            docker = DockerDefaultComparison.parse(Files.readAllBytes(dockerDefault));
        } catch (IOException e) {
            System.err.println("contxray profile check: reading Docker's default profile " + dockerDefault + ": "
                    + io.contxray.model.Errors.oneLine(e));
            return 2;
        }
        int wider = 0;
        for (String p : profiles) {
            try {
                ProfileSource src = ProfileSource.resolve(p, stateDir);
                Set<String> caps = new TreeSet<>();
                src.capabilities().ifPresent(c -> caps.addAll(c.add()));
                capAdd.forEach(c -> caps.add(c.toUpperCase().replaceFirst("^CAP_", "")));
                List<DockerDefaultComparison.Finding> findings = docker.wider(src.profile(), caps, arch, kernel);
                String capsText = caps.isEmpty() ? "no capabilities" : "capabilities " + String.join(" ", caps);
                if (findings.isEmpty()) {
                    System.out.println(p + ": not wider than Docker's default on any rule (" + capsText + ")");
                } else {
                    wider++;
                    System.out.println(p + ": WIDER than Docker's default (" + capsText + "):");
                    findings.forEach(f -> System.out.println("  " + f.line()));
                }
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("contxray profile check " + p + ": " + io.contxray.model.Errors.oneLine(e));
                return 2;
            }
        }
        return wider == 0 ? 0 : 1;
    }
}
