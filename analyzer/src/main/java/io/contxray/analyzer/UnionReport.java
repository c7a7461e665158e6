package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A container's top-level report.json (schema contxray.report/v2): the union of its runs. The
 * syscall maps are summed over every run, kept or dropped; processes, network and files are each
 * run's own (runs/N/report.json, schema v1, {@code contxray report ID --run N}).
 *
 * @param startedAt    the first kept run's start
 * @param stoppedAt    the latest run's stop
 * @param capabilities the union of the runs' recommended sets (null when no run had one)
 * @param errors       the kept runs' errors, each prefixed with "run N: "
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnionReport(String schema, String id, String name, String image, String startedAt, String stoppedAt,
                          RunsSection runs, SortedMap<String, Long> syscalls, SortedMap<String, Long> syscallsUnderFilter,
                          SortedMap<String, Long> syscallsBeforeFilter, SortedMap<String, Long> compatSyscalls,
                          UnionCapabilities capabilities, Report.Totals totals, List<String> errors) {
    public static final String SCHEMA = "contxray.report/v2";

    /**
     * @param count   runs recorded (kept plus dropped)
     * @param latest  the newest run's number
     * @param dropped runs whose directory retention deleted (their counts and profile are in the union)
     * @param list    the kept runs, oldest first
     */
    public record RunsSection(int count, int kept, int dropped, int latest, List<RunSummary> list) {
    }

    /** One kept run, from its report. */
    public record RunSummary(int run, String startedAt, String stoppedAt, boolean recoveredAfterRestart,
                             int distinctSyscalls, int errors) {
    }

    public record UnionCapabilities(String method, List<String> recommended, String dockerFlags) {
    }

    static UnionReport of(String id, List<RunUnion.Run> runs, DroppedRuns dropped, CapabilitiesFile caps, String image) {
        RunCounts counts = dropped.counts();
        List<RunSummary> list = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (RunUnion.Run r : runs) {
            JsonNode rep = r.report();
            counts = counts.plus(rep);
            list.add(new RunSummary(r.number(), RunUnion.text(rep, "startedAt"), RunUnion.text(rep, "stoppedAt"),
                    rep.path("recording").path("recoveredAfterRestart").asBoolean(false), rep.path("totals").path("distinct").asInt(),
                    rep.path("errors").size()));
            rep.path("errors").forEach(e -> errors.add("run " + r.number() + ": " + e.asText()));
        }
        JsonNode latest = runs.isEmpty() ? null : runs.get(runs.size() - 1).report();
        int latestRun = runs.isEmpty() ? dropped.lastRun() : runs.get(runs.size() - 1).number();
        UnionCapabilities unionCaps = caps == null ? null : new UnionCapabilities(caps.method(), caps.add(), caps.dockerFlags());
        return new UnionReport(SCHEMA, id, latest == null ? null : RunUnion.text(latest, "name"), image,
                runs.isEmpty() ? null : RunUnion.text(runs.get(0).report(), "startedAt"),
                latest == null ? null : RunUnion.text(latest, "stoppedAt"),
                new RunsSection(runs.size() + dropped.count(), runs.size(), dropped.count(), latestRun, list),
                counts.syscalls(), counts.syscallsUnderFilter(), counts.syscallsBeforeFilter(), counts.compatSyscalls(),
                unionCaps, new Report.Totals(counts.total(), counts.syscalls().size() + counts.compatSyscalls().size()),
                errors);
    }
}
