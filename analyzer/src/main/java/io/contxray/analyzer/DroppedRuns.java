package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contxray.model.Errors;
import io.contxray.model.Json;
import io.contxray.model.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * runs/dropped.json: what the runs whose directory retention deleted contributed to the union,
 * without their detail. Its size is bounded by the syscalls, capabilities and (at most
 * {@link #MAX_FILES}) paths they used, not by how many runs were dropped.
 *
 * @param count        runs folded in
 * @param lastRun      the newest of them (runs are folded oldest first)
 * @param profile      the union of their profiles; null when none was folded
 * @param capabilities the union of their capability sets; null when none had one
 * @param errors       runs folded in whose report listed errors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DroppedRuns(String schema, int count, int lastRun, SeccompProfile profile, CapabilitiesFile capabilities,
                          RunCounts counts, RunCoverage.SeenIn seenIn, long filesOmitted, int errors) {
    public static final String SCHEMA = "contxray.dropped-runs/v1";
    public static final int MAX_FILES = 4096;
    public static final DroppedRuns NONE = new DroppedRuns(SCHEMA, 0, 0, null, null, RunCounts.NONE, RunCoverage.SeenIn.NONE, 0, 0);

    public DroppedRuns {
        counts = counts == null ? RunCounts.NONE : counts;
        seenIn = seenIn == null ? RunCoverage.SeenIn.NONE : seenIn;
    }

    /** The container's dropped.json, or {@link #NONE} when no run was dropped. */
    public static DroppedRuns read(Path containerDir) throws IOException {
        Path file = containerDir.resolve(Runs.DIR).resolve(Runs.DROPPED_JSON);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            return Json.mapper().readValue(file.toFile(), DroppedRuns.class);
        } catch (IOException e) {
            throw new IOException("reading the dropped runs " + file + ": " + Errors.oneLine(e), e);
        }
    }

    ProfileMerge.Input input() {
        return new ProfileMerge.Input("runs 1-" + lastRun + " (dropped)", profile);
    }

    /** These with one more run folded in. */
    DroppedRuns plus(RunUnion.Run run) throws IOException {
        List<ProfileMerge.Input> inputs = new ArrayList<>();
        boolean argFilters = !ArgumentFilters.conditional(run.profile()).isEmpty();
        if (profile != null) {
            inputs.add(input());
            argFilters |= !ArgumentFilters.conditional(profile).isEmpty();
        }
        inputs.add(run.input());
        SeccompProfile merged = ProfileMerge.merge(inputs, argFilters).profile();
        CapabilitiesFile caps = capabilities;
        if (run.capabilities().isPresent()) {
            caps = caps == null ? run.capabilities().get() : CapabilitiesFile.union(List.of(caps, run.capabilities().get()));
        }
        SortedMap<String, Integer> syscalls = new TreeMap<>(seenIn.syscalls());
        ProfileMerge.merge(List.of(run.input()), argFilters).coverage().seenIn()
                .forEach((s, n) -> syscalls.merge(s, n, Integer::sum));
        SortedMap<String, Integer> files = new TreeMap<>(seenIn.files());
        long omitted = filesOmitted;
        for (String f : run.files()) {
            if (files.containsKey(f) || files.size() < MAX_FILES) {
                files.merge(f, 1, Integer::sum);
            } else {
                omitted++;
            }
        }
        SortedMap<String, Integer> capsSeen = new TreeMap<>(seenIn.capabilities());
        run.capabilityNames().forEach(c -> capsSeen.merge(c, 1, Integer::sum));
        boolean hadErrors = run.report().path("errors").size() > 0;
        return new DroppedRuns(SCHEMA, count + 1, run.number(), merged, caps, counts.plus(run.report()),
                new RunCoverage.SeenIn(syscalls, files, capsSeen), omitted, errors + (hadErrors ? 1 : 0));
    }
}
