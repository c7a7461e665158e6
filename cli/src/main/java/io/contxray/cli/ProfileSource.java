package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.ProfileDiff;
import io.contxray.analyzer.ProfileMerge;
import io.contxray.analyzer.SeccompProfile;
import io.contxray.analyzer.SeccompProfiles;
import io.contxray.analyzer.UnionReport;
import io.contxray.model.Json;
import io.contxray.model.Runs;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A profile named on the command line: a recorded container (id, id prefix or name, see
 * {@link ContainerRefs}: its directory in the state dir), a directory holding seccomp.json (a container's, a merge's), or a seccomp.json file. A
 * report.json next to the profile makes it a recording (execs known), else it is a bare profile.
 */
record ProfileSource(String label, Path seccomp, Path report) {

    static ProfileSource resolve(String arg, Path stateDir) throws IOException {
        Path asPath = Path.of(arg);
        if (arg.contains("/") || Files.exists(asPath)) {
            if (Files.isDirectory(asPath)) {
                return withReport(arg, asPath.resolve(StateDir.SECCOMP_JSON));
            }
            if (!Files.exists(asPath)) {
                throw new IOException(arg + ": no such file or directory");
            }
            return withReport(arg, asPath);
        }
        Path dir = new ContainerRefs(new StateDir(stateDir)).resolve(arg);
        return withReport(arg, dir.resolve(StateDir.SECCOMP_JSON));
    }

    /** A profile file, a recording when a report.json is beside it (a seccomp.json). */
    static ProfileSource withReport(String label, Path seccomp) {
        Path report = seccomp.resolveSibling("report.json");
        boolean recording = seccomp.getFileName().toString().equals(StateDir.SECCOMP_JSON) && Files.isRegularFile(report);
        return new ProfileSource(label, seccomp, recording ? report : null);
    }

    /** The capabilities.json next to the profile, if there is one. */
    java.util.Optional<io.contxray.analyzer.CapabilitiesFile> capabilities() throws IOException {
        return io.contxray.analyzer.CapabilitiesFile.besideProfile(seccomp);
    }

    SeccompProfile profile() throws IOException {
        return SeccompProfiles.read(seccomp);
    }

    /** As a merge input: its profile, whose argument rules say what it knows of the arguments. */
    ProfileMerge.Input input() throws IOException {
        return new ProfileMerge.Input(label, profile());
    }

    private JsonNode readReport() throws IOException {
        try {
            return Json.mapper().readTree(Files.readAllBytes(report));
        } catch (IOException e) {
            throw new IOException(report + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    ProfileDiff.Behaviour behaviour() throws IOException {
        if (report == null) {
            return ProfileDiff.ofProfile(label, profile());
        }
        if (unionOfRuns()) {
            List<ProfileDiff.Behaviour> runs = new ArrayList<>();
            Path container = report.getParent();
            for (int n : Runs.numbers(container)) {
                ProfileSource run = withReport(label + " run " + n, Runs.dir(container, n).resolve(StateDir.SECCOMP_JSON));
                if (run.report() != null) {
                    runs.add(run.behaviour());
                }
            }
            return ProfileDiff.ofRuns(label, profile(), runs);
        }
        return ProfileDiff.ofRecording(label, profile(), readReport());
    }

    /** The report is a container's union of its runs (schema v2): its detail is in runs/N/. */
    private boolean unionOfRuns() throws IOException {
        return report != null && UnionReport.SCHEMA.equals(readReport().path("schema").asText());
    }
}
