package io.contxray.cli;

import io.contxray.model.Errors;
import io.contxray.model.RecordingHead;
import io.contxray.model.Retention;
import io.contxray.model.StateDir;
import io.contxray.model.protocol.DaemonClient;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Protocol;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = {
        "Remove finished recordings: those past the newest --keep N, or stopped more than --older-than ago. "
                + "A recording in progress (no report yet, or one the recorder says it records) is never removed, "
                + "nor are stored profiles (profiles/).",
        "Examples:",
        "  contxray prune --older-than 7d --dry-run",
        "  contxray prune --keep 100",
        "  contxray prune --name web --keep 3",
        "Exit 0: done (also when nothing matched); 1: a recording could not be removed; 2: bad usage."})
final class PruneCommand implements Callable<Integer> {
    @Option(names = "--older-than", paramLabel = "AGE", description = "7d, 12h, 30m, 90s (or PT36H)")
    String olderThan;

    @Option(names = "--keep", paramLabel = "N", description = "Keep the N newest recordings")
    Integer keep;

    @Option(names = "--name", description = "Only recordings of this container name (--keep counts among them)")
    String name;

    @Option(names = "--dry-run", description = "Say what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        Retention.Settings settings;
        try {
            if (olderThan == null && keep == null) {
                throw new IllegalArgumentException("say what to remove: --older-than AGE and/or --keep N");
            }
            settings = new Retention.Settings(keep, olderThan == null ? null : Retention.parseAge(olderThan));
        } catch (IllegalArgumentException e) {
            System.err.println("contxray prune: " + e.getMessage());
            return 2;
        }
        StateDir state = new StateDir(stateDir);
        List<Retention.Removal> remove;
        try {
            remove = Retention.choose(state, recording(), Instant.now(), settings, h -> name == null || name.equals(h.name()));
        } catch (IOException e) {
            System.err.println("contxray prune: " + Errors.oneLine(e));
            return 1;
        }
        int failed = 0;
        for (Retention.Removal r : remove) {
            RecordingHead.Head h = r.head();
            if (dryRun) {
                System.out.println("would remove " + h.describe() + " (" + r.reason() + ")");
                continue;
            }
            try {
                Retention.remove(state, h.id());
                System.out.println("removed " + h.describe() + " (" + r.reason() + ")");
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("contxray prune: " + Errors.oneLine(e));
                failed++;
            }
        }
        System.out.println((dryRun ? "would remove " : "removed ") + (remove.size() - failed) + " recording(s)"
                + (failed > 0 ? ", " + failed + " could not be removed" : ""));
        return failed > 0 ? 1 : 0;
    }

    /** The ids the recorder records now; none when it is not running (their reports are not written yet either). */
    private static Set<String> recording() {
        Set<String> ids = new HashSet<>();
        try {
            Response r = new DaemonClient(Protocol.socketPath(), Duration.ofSeconds(5)).call(Request.status());
            if (r.ok()) {
                for (Map<String, Object> c : r.containers()) {
                    ids.add(String.valueOf(c.get("id")));
                }
            }
        } catch (DaemonException | RuntimeException e) {
            // not running: a recording in progress has no report, and those are never chosen
        }
        return ids;
    }
}
