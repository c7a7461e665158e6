package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recordings behind a profile source, for the exports that need more than syscalls (AppArmor,
 * network policies): a recording's own report.json, or for a merged profile (a coverage.json
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
            return List.of(read(src.label(), src.report()));
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
            out.add(read(s.asText(), in.report()));
        }
        if (out.isEmpty()) {
            throw new IOException(coverage + " names no recording");
        }
        return out;
    }

    /** A recording's own report; empty for a bare or merged profile (a merge was checked when it was made). */
    static java.util.Optional<Recorded> own(ProfileSource src) throws IOException {
        return src.report() == null ? java.util.Optional.empty() : java.util.Optional.of(read(src.label(), src.report()));
    }

    private static Recorded read(String label, Path report) throws IOException {
        return new Recorded(label, readJson(report));
    }

    private static JsonNode readJson(Path f) throws IOException {
        try {
            return Json.mapper().readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
