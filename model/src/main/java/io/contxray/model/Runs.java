package io.contxray.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The runs of one container: each start of the same container id is recorded into
 * {@code <containerDir>/runs/<n>/} (n = 1, 2, ...), so a restart never overwrites what an earlier
 * run did. Only the newest {@link #keptFromEnvironment kept} finished runs keep their directory;
 * older ones are folded into {@code runs/dropped.json} (see the analyzer's RunUnion).
 */
public final class Runs {
    public static final String DIR = "runs";
    /** What the runs whose directory was dropped contributed to the union. */
    public static final String DROPPED_JSON = "dropped.json";
    public static final String KEPT_ENV = "CONTXRAY_RUNS_KEPT";
    public static final int DEFAULT_KEPT = 10;

    private Runs() {
    }

    /** {@code <containerDir>/runs/<n>}, not created. */
    public static Path dir(Path containerDir, int run) {
        if (run < 1) {
            throw new IllegalArgumentException("run number " + run + " rejected: runs are numbered from 1");
        }
        return containerDir.resolve(DIR).resolve(Integer.toString(run));
    }

    /**
     * The number of the next run: one past both the run directories on disk and the last run
     * folded into dropped.json (whose directory is gone), so a number is never reused.
     */
    public static int next(Collection<Integer> onDisk, int lastDropped) {
        int max = Math.max(0, lastDropped);
        for (int n : onDisk) {
            max = Math.max(max, n);
        }
        return max + 1;
    }

    /** The oldest of the finished runs (ascending) beyond the newest {@code kept}: those to fold and drop. */
    public static List<Integer> toDrop(List<Integer> finishedAscending, int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("runs kept must be at least 1, not " + kept);
        }
        int excess = finishedAscending.size() - kept;
        return excess <= 0 ? List.of() : List.copyOf(finishedAscending.subList(0, excess));
    }

    /** The run numbers of {@code containerDir}'s run directories, ascending (other entries ignored). */
    public static List<Integer> numbers(Path containerDir) throws IOException {
        Path runs = containerDir.resolve(DIR);
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(runs, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runs)) {
            for (Path p : ds) {
                int n = parse(p.getFileName().toString());
                if (n > 0 && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new IOException("listing the runs in " + runs + ": " + Errors.oneLine(e), e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Whether the container's latest run is registered with no report yet: recorded now, or
     * waiting for a restarted recorder to finish it.
     */
    public static boolean inProgress(Path containerDir) throws IOException {
        List<Integer> runs = numbers(containerDir);
        if (runs.isEmpty()) {
            return false;
        }
        Path latest = dir(containerDir, runs.get(runs.size() - 1));
        return !Files.isRegularFile(latest.resolve(StateDir.REPORT_JSON))
                && Files.isRegularFile(latest.resolve(StateDir.REGISTRATION_JSON));
    }

    /**
     * Each run's report.json (oldest first), or the top-level one of a directory from before runs:
     * the reports of single runs, for what is per run (a rollout's violations).
     */
    public static List<Path> runReports(Path containerDir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.exists(containerDir.resolve(DIR), LinkOption.NOFOLLOW_LINKS)) {
            Path single = containerDir.resolve(StateDir.REPORT_JSON);
            if (Files.isRegularFile(single)) {
                out.add(single);
            }
            return out;
        }
        for (int n : numbers(containerDir)) {
            Path report = dir(containerDir, n).resolve(StateDir.REPORT_JSON);
            if (Files.isRegularFile(report)) {
                out.add(report);
            }
        }
        return out;
    }

    /** A run directory's number, or -1 when the name is not one ("1", "2", ...; no sign, no leading 0). */
    static int parse(String name) {
        if (name.isEmpty() || name.length() > 9 || name.charAt(0) == '0' || !name.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(name);
    }

    /** The files a run directory holds that a container directory held before runs existed. */
    static final List<String> SINGLE_RUN_FILES = List.of(StateDir.REGISTRATION_JSON, StateDir.MOUNTS_JSON,
            StateDir.REPORT_JSON, StateDir.SECCOMP_JSON, StateDir.CAPABILITIES_JSON, EventLog.CURRENT, EventLog.FIRST,
            EventLog.ROTATED, EventLog.STATE);

    /**
     * A container directory written by a recorder from before runs (its report.json of schema
     * v1, or a registration.json, at the top, no runs/) becomes run 1: its files move into
     * runs/1/ so the next run adds to it instead of replacing it. Nothing to do otherwise.
     *
     * @return whether anything moved
     */
    public static boolean adoptSingleRun(Path containerDir) throws IOException {
        Path tmp = containerDir.resolve(DIR + ".adopting");
        if (Files.exists(containerDir.resolve(DIR), LinkOption.NOFOLLOW_LINKS)
                || !Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(containerDir.resolve(StateDir.REGISTRATION_JSON))
                && !Files.isRegularFile(containerDir.resolve(StateDir.REPORT_JSON))) {
            return false;
        }
        try {
            Files.createDirectories(tmp.resolve("1"));
            for (String name : SINGLE_RUN_FILES) {
                Path f = containerDir.resolve(name);
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(f, tmp.resolve("1").resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            // runs/ appears whole: a crash before this leaves runs.adopting/, taken up again by the next call
            Files.move(tmp, containerDir.resolve(DIR), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("moving the single-run record of " + containerDir + " into runs/1: " + Errors.oneLine(e), e);
        }
        return true;
    }

    /** $CONTXRAY_RUNS_KEPT (a number >= 1), else {@link #DEFAULT_KEPT}. */
    public static int keptFromEnvironment(Map<String, String> env) {
        String v = env.get(KEPT_ENV);
        if (v == null || v.isBlank()) {
            return DEFAULT_KEPT;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(KEPT_ENV + "=" + v + ": expected a number of runs, at least 1");
    }
}
