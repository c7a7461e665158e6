package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.UnionReport;
import io.contxray.model.Json;
import io.contxray.model.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recordings behind a profile source, for the exports that need more than syscalls (AppArmor,
 * network policies): a recording's own report.json (for a container with runs, each kept run's:
 * the union report holds no processes, files or network), or for a merged profile (a coverage.json
 * beside its seccomp.json) the reports of the recordings its coverage names, still in the state
 * directory.
 */
final class RecordingReports {
    /** One report and where it came from. */
    record Recorded(String source, JsonNode report) {
    }

    private RecordingReports() {
    }

    static List<Recorded> of(ProfileSource src, Path stateDir) throws IOException {
        if (src.report() != null) {
            return own(src);
        }
        Path coverage = src.seccomp().resolveSibling("coverage.json");
        if (!Files.isRegularFile(coverage)) {
            throw new IOException(src.label() + " is a bare profile: this format needs a recording (report.json) "
                    + "or a merged profile (coverage.json) whose recordings are in " + stateDir);
        }
        List<Recorded> out = new ArrayList<>();
        for (JsonNode s : readJson(coverage).path("sources")) {
            ProfileSource in;
            try {
                in = ProfileSource.resolve(s.asText(), stateDir);
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(coverage + ": recording " + s.asText() + ": " + e.getMessage());
            }
            if (in.report() == null) {
                throw new IOException(coverage + ": source " + s.asText() + " has no report.json");
            }
            out.addAll(reports(s.asText(), in.report()));
        }
        if (out.isEmpty()) {
            throw new IOException(coverage + " names no recording");
        }
        return out;
    }

    /** A recording's own reports (one per kept run); none for a bare or merged profile (a merge was checked when it was made). */
    static List<Recorded> own(ProfileSource src) throws IOException {
        return src.report() == null ? List.of() : reports(src.label(), src.report());
    }

    /** The report, or when it is a container's union of its runs, each kept run's report. */
    private static List<Recorded> reports(String label, Path report) throws IOException {
        JsonNode r = readJson(report);
        if (!UnionReport.SCHEMA.equals(r.path("schema").asText())) {
            return List.of(new Recorded(label, r));
        }
        List<Path> runs = Runs.runReports(report.getParent());
        List<Recorded> out = new ArrayList<>();
        for (Path run : runs) {
            // the run number only where there are several to tell apart
            out.add(new Recorded(runs.size() == 1 ? label : label + " run " + run.getParent().getFileName(), readJson(run)));
        }
        return out;
    }

    private static JsonNode readJson(Path f) throws IOException {
        try {
            return Json.mapper().readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
