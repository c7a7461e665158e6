package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.RolloutStatus;
import io.contxray.analyzer.SeccompProfiles;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollout", description = "Rollouts of stored profiles.", subcommands = RolloutCommand.Status.class)
final class RolloutCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("contxray rollout: give a subcommand (status); see --help");
        return 2;
    }

    @Command(name = "status", description = "Per stored profile: recordings, complain runs under its current version, "
            + "violations seen, and whether it is safe to enforce.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--min-clean", description = "Clean complain runs needed before enforcing (default: ${DEFAULT-VALUE})")
        int minClean = 3;

        @Option(names = "--json", description = "One JSON array")
        boolean json;

        @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
        Path stateDir = StateDir.fromEnvironment().root();

        @Override
        public Integer call() {
            try {
                List<RolloutStatus.Status> all = RolloutStatus.of(profiles(), complainRuns(), minClean);
                if (json) {
                    System.out.println(Json.mapper().writeValueAsString(all));
                    return 0;
                }
                if (all.isEmpty()) {
                    System.out.println("no stored profiles in " + profilesDir() + " (contxray profile IMAGE, or profile merge --save NAME)");
                }
                for (RolloutStatus.Status s : all) {
                    System.out.println(s.profile() + ": " + s.syscalls() + " syscalls from " + s.recordings() + " recording(s); "
                            + s.complainRuns() + " complain run(s)" + (s.staleComplainRuns() > 0
                                    ? " (+" + s.staleComplainRuns() + " under an older version)" : "")
                            + "; " + s.verdict() + (s.violations().isEmpty() ? "" : " [" + String.join(" ", s.violations()) + "]"));
                }
                return 0;
            } catch (IOException e) {
                System.err.println("contxray rollout status: " + e.getMessage());
                return 1;
            }
        }

        private Path profilesDir() {
            return stateDir.resolve("profiles");
        }

        /** Stored profiles; one that does not parse is an error naming it (it could not be enforced). */
        private List<RolloutStatus.StoredProfile> profiles() throws IOException {
            List<RolloutStatus.StoredProfile> out = new ArrayList<>();
            if (!Files.isDirectory(profilesDir())) {
                return out;
            }
            ProfileStore store = ProfileStore.of(new StateDir(stateDir));
            List<Path> dirs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(profilesDir(), Files::isDirectory)) {
                ds.forEach(dirs::add);
            }
            dirs.sort(null);
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                Path file = dir.resolve(StateDir.SECCOMP_JSON);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                int syscalls = SeccompProfiles.allowed(store.load(name)).size();
                Path coverage = dir.resolve("coverage.json");
                int recordings = Files.isRegularFile(coverage)
                        ? Json.mapper().readTree(coverage.toFile()).path("recordings").asInt(0) : 0;
                out.add(new RolloutStatus.StoredProfile(name, syscalls, recordings,
                        Files.getLastModifiedTime(file).toInstant()));
            }
            return out;
        }

        /** Every run's report with a complain-mode rollout section; unreadable reports are skipped. */
        private List<RolloutStatus.ComplainRun> complainRuns() throws IOException {
            List<RolloutStatus.ComplainRun> out = new ArrayList<>();
            Path containers = stateDir.resolve("containers");
            if (!Files.isDirectory(containers)) {
                return out;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(containers, Files::isDirectory)) {
                for (Path dir : ds) {
                    for (Path report : io.contxray.model.Runs.runReports(dir)) {
                        complainRun(report).ifPresent(out::add);
                    }
                }
            }
            return out;
        }

        /** One run's complain-mode rollout, if its report has one (an unreadable report has none). */
        private static java.util.Optional<RolloutStatus.ComplainRun> complainRun(Path report) {
            JsonNode r;
            try {
                r = Json.mapper().readTree(report.toFile());
            } catch (IOException broken) {
                return java.util.Optional.empty();
            }
            JsonNode rollout = r.path("rollout");
            if (!"complain".equals(rollout.path("mode").asText()) || !rollout.path("violations").isObject()) {
                return java.util.Optional.empty();
            }
            TreeSet<String> violations = new TreeSet<>();
            rollout.path("violations").fieldNames().forEachRemaining(violations::add);
            try {
                return java.util.Optional.of(new RolloutStatus.ComplainRun(r.path("id").asText(),
                        rollout.path("profile").asText(), Instant.parse(r.path("stoppedAt").asText()), violations));
            } catch (DateTimeParseException noTime) {
                // a report without a stop time cannot be placed against the profile's version
                return java.util.Optional.empty();
            }
        }
    }
}
