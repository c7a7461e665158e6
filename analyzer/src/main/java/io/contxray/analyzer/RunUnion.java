package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.AtomicFiles;
import io.contxray.model.Errors;
import io.contxray.model.FileTrees;
import io.contxray.model.Json;
import io.contxray.model.Runs;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container's top-level files from its runs: report.json (a {@link UnionReport}),
 * seccomp.json and capabilities.json, the union of every run, and coverage.json, in how many runs
 * each syscall, file and capability was seen. Runs past the retention bound are first folded
 * into runs/dropped.json ({@link DroppedRuns}) and their directory deleted, so the union still
 * holds what they did. Everything is recomputed from disk, so a recorder that dies half-way
 * leaves nothing a later call does not repair: dropped.json names the last run it holds, and a
 * directory of a run it already holds is deleted without being counted again.
 */
public final class RunUnion {
    public static final String COVERAGE_JSON = "coverage.json";

    private RunUnion() {
    }

    /** One finished run as read from its directory. */
    record Run(int number, JsonNode report, SeccompProfile profile, Optional<CapabilitiesFile> capabilities) {
        ProfileMerge.Input input() throws IOException {
            return new ProfileMerge.Input("run " + number, profile); // its own argument rules say what it knows
        }

        Set<String> files() {
            Set<String> out = new java.util.TreeSet<>();
            report.path("files").path("byClass").forEach(entries -> entries.forEach(e -> out.add(e.path("path").asText())));
            return out;
        }

        Set<String> capabilityNames() {
            return capabilities.map(c -> (Set<String>) new java.util.TreeSet<>(c.add())).orElse(Set.of());
        }
    }

    /**
     * Folds the oldest finished runs beyond {@code kept} into dropped.json, then writes the union
     * files into {@code containerDir}. A run without report.json (being recorded, or left by a
     * recorder that died) is neither folded nor in the union.
     *
     * @return the union report written
     */
    public static Path update(Path containerDir, int kept) throws IOException {
        DroppedRuns dropped = DroppedRuns.read(containerDir);
        List<Integer> finished = new ArrayList<>();
        for (int n : Runs.numbers(containerDir)) {
            if (n <= dropped.lastRun()) {
                deleteTree(Runs.dir(containerDir, n)); // folded before a crash deleted it
            } else if (Files.isRegularFile(Runs.dir(containerDir, n).resolve(StateDir.REPORT_JSON))) {
                finished.add(n);
            }
        }
        for (int n : Runs.toDrop(finished, kept)) {
            dropped = dropped.plus(read(containerDir, n));
            AtomicFiles.writeJson(containerDir.resolve(Runs.DIR).resolve(Runs.DROPPED_JSON), dropped, Analyzer.FILE_PERMS);
            deleteTree(Runs.dir(containerDir, n));
            finished.remove(Integer.valueOf(n));
        }
        List<Run> runs = new ArrayList<>();
        for (int n : finished) {
            runs.add(read(containerDir, n));
        }
        return write(containerDir, runs, dropped);
    }

    /** The union files of these runs and what the dropped ones left. */
    static Path write(Path containerDir, List<Run> runs, DroppedRuns dropped) throws IOException {
        if (runs.isEmpty() && dropped.count() == 0) {
            throw new IOException("no finished run in " + containerDir + " to make its union from");
        }
        List<ProfileMerge.Input> inputs = new ArrayList<>();
        List<CapabilitiesFile> capabilities = new ArrayList<>();
        for (Run r : runs) {
            inputs.add(r.input());
            r.capabilities().ifPresent(capabilities::add);
        }
        boolean argFilters = argFilters(runs, dropped);
        List<ProfileMerge.Input> withDropped = new ArrayList<>(inputs);
        if (dropped.profile() != null) {
            withDropped.add(dropped.input());
        }
        if (dropped.capabilities() != null) {
            capabilities.add(dropped.capabilities());
        }
        SeccompProfile profile = ProfileMerge.merge(withDropped, argFilters).profile();
        String id = containerDir.getFileName().toString();
        RunCoverage coverage = coverage(runs, inputs, argFilters, dropped);
        JsonNode latest = runs.isEmpty() ? null : runs.get(runs.size() - 1).report();
        String image = latest == null ? null : text(latest, "image");
        CapabilitiesFile caps = capabilities.isEmpty() ? null : CapabilitiesFile.union(capabilities);
        UnionReport report = UnionReport.of(id, runs, dropped, caps, image);

        AtomicFiles.writeJson(containerDir.resolve(StateDir.SECCOMP_JSON), profile, Analyzer.FILE_PERMS);
        if (caps != null) {
            CapabilitiesFile.of(id, image, caps.method(), caps.details()).writeTo(containerDir);
        }
        AtomicFiles.writeJson(containerDir.resolve(COVERAGE_JSON), coverage, Analyzer.FILE_PERMS);
        // report.json last: its presence says the union is complete
        Path file = containerDir.resolve(StateDir.REPORT_JSON);
        AtomicFiles.writeJson(file, report, Analyzer.FILE_PERMS);
        return file;
    }

    /** Argument filters stay in the union when a run's profile has them (the recorder was asked for them). */
    private static boolean argFilters(List<Run> runs, DroppedRuns dropped) {
        boolean any = dropped.profile() != null && !ArgumentFilters.conditional(dropped.profile()).isEmpty();
        for (Run r : runs) {
            any |= !ArgumentFilters.conditional(r.profile()).isEmpty();
        }
        return any;
    }

    private static RunCoverage coverage(List<Run> runs, List<ProfileMerge.Input> inputs, boolean argFilters,
                                        DroppedRuns dropped) {
        SortedMap<String, Integer> syscalls = new TreeMap<>(dropped.seenIn().syscalls());
        if (!inputs.isEmpty()) {
            ProfileMerge.merge(inputs, argFilters).coverage().seenIn().forEach((k, v) -> syscalls.merge(k, v, Integer::sum));
        }
        SortedMap<String, Integer> files = new TreeMap<>(dropped.seenIn().files());
        SortedMap<String, Integer> caps = new TreeMap<>(dropped.seenIn().capabilities());
        for (Run r : runs) {
            r.files().forEach(f -> files.merge(f, 1, Integer::sum));
            r.capabilityNames().forEach(c -> caps.merge(c, 1, Integer::sum));
        }
        return new RunCoverage(RunCoverage.SCHEMA, runs.size() + dropped.count(), runs.size(), dropped.count(),
                new RunCoverage.SeenIn(syscalls, files, caps), dropped.filesOmitted());
    }

    static Run read(Path containerDir, int n) throws IOException {
        Path dir = Runs.dir(containerDir, n);
        Path report = dir.resolve(StateDir.REPORT_JSON);
        JsonNode r;
        try {
            r = Json.mapper().readTree(report.toFile());
        } catch (IOException e) {
            throw new IOException("reading run " + n + "'s " + report + ": " + Errors.oneLine(e), e);
        }
        SeccompProfile profile = SeccompProfiles.read(dir.resolve(StateDir.SECCOMP_JSON));
        return new Run(n, r, profile, CapabilitiesFile.besideProfile(dir.resolve(StateDir.SECCOMP_JSON)));
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void deleteTree(Path dir) throws IOException {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new IOException("deleting the dropped run " + dir + ": " + Errors.oneLine(e), e);
        }
    }
}
