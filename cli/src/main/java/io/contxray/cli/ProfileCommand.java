package io.contxray.cli;

import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "profile", description = "Print the seccomp profile generated for a recorded container; merge or export profiles.",
        subcommands = {ProfileMergeCommand.class, ProfileExportCommand.class})
final class ProfileCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Container id")
    String id;

    @Option(names = "--path", description = "Print only the profile's path (for --security-opt seccomp=...).")
    boolean pathOnly;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        if (id == null) {
            System.err.println("contxray profile: give a container id, or a subcommand (merge, export); see --help");
            return 2;
        }
        try {
            Path file = new StateDir(stateDir).containerDir(id).resolve("seccomp.json");
            byte[] raw = ReportCommand.readOutput(file, "seccomp profile");
            if (pathOnly) {
                System.out.println(file);
            } else {
                System.out.write(raw);
                System.out.flush();
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile: " + e.getMessage());
            return 1;
        }
    }
}
