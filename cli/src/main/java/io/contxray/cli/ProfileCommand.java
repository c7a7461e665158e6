package io.contxray.cli;

import io.contxray.analyzer.ProfileMerge;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "profile", description = {
        "contxray profile ID: print the seccomp profile generated for a recorded container.",
        "contxray profile IMAGE [--exercise SCRIPT] [--runs N] [-- ARGS...]: record the image's workload, store the "
                + "merged profile as <state>/profiles/<name>/, re-run it enforced and say whether it still works (exit 1 if not).",
        "Subcommands merge and export work on stored profiles; check compares profiles with Docker's default."},
        subcommands = {ProfileMergeCommand.class, ProfileExportCommand.class, ProfileCheckCommand.class})
final class ProfileCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONTAINER|IMAGE",
            description = "A recorded container (id, unique id prefix or name), or an image to profile (when no recording has that name)")
    String id;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The image's command and arguments (after --)")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Option(names = "--exercise", paramLabel = "SCRIPT",
            description = "Run on the host against each run (env CONTXRAY_CONTAINER_ID, CONTXRAY_CONTAINER_IP); the container is stopped when it ends")
    Path exercise;

    @Option(names = "--runs", description = "Recorded runs to merge (default: ${DEFAULT-VALUE})")
    int runs = 1;

    @Option(names = "--duration", description = "Seconds each run may take (default: ${DEFAULT-VALUE})")
    int durationSeconds = 60;

    @Option(names = "--name", description = "Profile name (default: from the image name)")
    String name;

    @Option(names = "--capabilities", description = "Also find the smallest capability set the workload works with "
            + "(one enforced run per capability of Docker's default set) and write capabilities.json")
    boolean capabilities;

    @Option(names = "--no-arg-filters", description = "Allow clone, personality and socket with any argument instead of "
            + "only for the values the workload used (weaker than Docker's default profile on clone and personality). "
            + "With a container id: print its profile so")
    boolean noArgFilters;

    @Option(names = "--allow-lossy", description = "With an image: merge runs whose kernel dropped or rotated events "
            + "(a warning says what was lost); refused by default (exit 2)")
    boolean allowLossy;

    @Option(names = "--path", description = "Print only the profile's path (for --security-opt seccomp=...).")
    boolean pathOnly;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    /** The recording {@code arg} names, if any (an image reference with '/' or ':' names none). */
    private java.util.Optional<String> recorded(String arg) throws IOException {
        if (!io.contxray.model.ContainerId.isValid(arg) && !ContainerRefs.isNameAt(arg)) {
            return java.util.Optional.empty();
        }
        return new ContainerRefs(new StateDir(stateDir)).find(arg);
    }

    private int profileImage() {
        if (runs < 1 || durationSeconds < 1) {
            System.err.println("contxray profile: --runs and --duration must be at least 1");
            return 2;
        }
        if (exercise != null && !Files.isExecutable(exercise)) {
            System.err.println("contxray profile: exercise " + exercise + " is not an executable file");
            return 2;
        }
        ImageProfiler.Settings settings = new ImageProfiler.Settings(id, args,
                exercise == null ? null : exercise.toAbsolutePath(), runs, java.time.Duration.ofSeconds(durationSeconds), name, stateDir,
                capabilities, !noArgFilters, allowLossy);
        try {
            return new ImageProfiler(settings, new DockerCli("docker"), System.out).profile();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile " + id + ": " + e.getMessage());
            return 2;
        }
    }

    @Override
    public Integer call() {
        if (id == null) {
            System.err.println("contxray profile: give a container id, or a subcommand (merge, export); see --help");
            return 2;
        }
        try {
            java.util.Optional<String> recording = recorded(id);
            if (recording.isEmpty()) {
                return profileImage();
            }
            Path file = new StateDir(stateDir).containerPath(recording.get()).resolve("seccomp.json");
            byte[] raw = ReportCommand.readOutput(file, "seccomp profile");
            if (noArgFilters) {
                if (pathOnly) {
                    throw new IllegalArgumentException("--path and --no-arg-filters: that profile is not stored "
                            + "(profile merge --no-arg-filters -o DIR " + id + " writes it)");
                }
                ProfileMerge.Result r = ProfileMerge.merge(List.of(ProfileSource.withReport(id, file).input()), false);
                System.out.write(Json.prettyBytes(r.profile()));
                System.out.flush();
                ProfileMergeCommand.printArgFilters(r, System.err);
            } else if (pathOnly) {
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
