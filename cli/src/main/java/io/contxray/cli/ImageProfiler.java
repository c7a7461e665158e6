package io.contxray.cli;

import io.contxray.analyzer.Analyzer;
import io.contxray.analyzer.ArgumentFilters;
import io.contxray.analyzer.CapabilitiesFile;
import io.contxray.analyzer.ProfileMerge;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.RolloutCheck;
import io.contxray.analyzer.SeccompProfile;
import io.contxray.analyzer.SeccompProfiles;
import io.contxray.model.AtomicFiles;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code contxray profile IMAGE}: record the image's workload (N runs, driven by an exercise
 * script from outside), merge the runs into a stored profile, then run the same workload again
 * under that profile, enforced, and say whether it still works. When it does not, one more run
 * under the profile with a logging default action names the syscalls it would deny.
 */
final class ImageProfiler {
    static final Duration DOCKER = Duration.ofSeconds(60);
    static final Duration REPORT_WAIT = Duration.ofSeconds(30);

    /**
     * @param exercise run on the host once the container started (env CONTXRAY_CONTAINER_ID,
     *                 CONTXRAY_CONTAINER_IP); the container is stopped when it ends. Null: wait
     *                 for the container to exit by itself.
     * @param duration bound of each run (the exercise, or the wait for the exit)
     * @param argRules   the merged profile allows clone, personality and socket only for the values the runs used
     * @param allowLossy merge runs whose kernel dropped or rotated events (warned) instead of refusing
     */
    record Settings(String image, List<String> args, Path exercise, int runs, Duration duration, String name, Path stateDir,
                    boolean capabilities, boolean argRules, boolean allowLossy) {
    }

    /** How one run went. {@code exitedByItself}: the container ended before we stopped it. */
    record Run(String id, int exerciseCode, boolean exitedByItself, int exitCode) {
    }

    private final Settings s;
    private final DockerCli docker;
    private final PrintStream out;

    ImageProfiler(Settings settings, DockerCli docker, PrintStream out) {
        this.s = settings;
        this.docker = docker;
        this.out = out;
    }

    /** Returns 0 when the enforced re-run passed, 1 when it failed; IOException for trouble. */
    int profile() throws IOException {
        ProfileStore store = ProfileStore.of(new StateDir(s.stateDir()));
        String name = s.name() != null ? s.name() : safeName(s.image());
        Path profileFile = store.file(name); // validates the name
        List<ProfileMerge.Input> inputs = new ArrayList<>();
        Run first = null;
        for (int i = 1; i <= s.runs(); i++) {
            Run r = runOnce(name, List.of("--runtime", "contxray-record"), "recorded run " + i);
            if (s.exercise() != null && r.exerciseCode() != 0) {
                throw new IOException("the exercise failed on recorded run " + i + " (exit " + r.exerciseCode()
                        + "): the workload must work before it can be profiled");
            }
            first = first == null ? r : first;
            ProfileSource run = ProfileSource.withReport(r.id(), reportDir(r.id()).resolve(StateDir.SECCOMP_JSON));
            try {
                LossyRecordings.check(RecordingReports.own(run), s.allowLossy(), System.err);
            } catch (LossyRecordings.Refused e) {
                throw new IOException("recorded run " + i + ": " + e.getMessage());
            }
            inputs.add(run.input());
        }
        ProfileMerge.Result merged = ProfileMerge.merge(inputs, s.argRules());
        store.save(name, merged.profile());
        AtomicFiles.writeJson(profileFile.resolveSibling("coverage.json"), merged.coverage(), Analyzer.FILE_PERMS);
        int allowed = SeccompProfiles.allowed(merged.profile()).size();
        out.println("profile " + name + ": " + allowed + " syscalls allowed, from " + s.runs() + " recorded run(s) -> " + profileFile);
        ProfileMergeCommand.printArgFilters(merged, out);

        Run enforced = runOnce(name, List.of("--security-opt", "seccomp=" + profileFile), "enforced run");
        String verdict = verdict(first, enforced);
        if (verdict == null) {
            out.println("enforced re-run: PASS (" + describe(enforced) + ")");
            return s.capabilities() ? capabilities(name, profileFile, first) : 0;
        }
        out.println("enforced re-run: FAIL: " + verdict);
        SortedSet<String> denied = wouldDeny(name, merged.profile());
        out.println(denied.isEmpty() ? "no syscall outside the profile was seen in a logging re-run (the failure may be flaky)"
                : "syscalls the profile denies: " + String.join(" ", denied));
        return 1;
    }

    /** Null when {@code enforced} behaved like the recorded run, else what differed. */
    String verdict(Run recorded, Run enforced) {
        if (s.exercise() != null && enforced.exerciseCode() == DockerCli.TIMED_OUT) {
            return "the exercise did not finish within " + s.duration().toSeconds() + " s";
        }
        if (s.exercise() != null && enforced.exerciseCode() != 0) {
            return "the exercise exited " + enforced.exerciseCode();
        }
        if (recorded.exitedByItself() != enforced.exitedByItself()) {
            return enforced.exitedByItself() ? "the container exited (code " + enforced.exitCode() + ") before the exercise ended"
                    : "the container did not exit by itself within " + s.duration().toSeconds() + " s";
        }
        if (enforced.exitedByItself() && enforced.exitCode() != recorded.exitCode()) {
            return "exit code " + enforced.exitCode() + ", recorded runs exited " + recorded.exitCode();
        }
        return null;
    }

    /** Docker's default capability set: where the minimisation starts. */
    static final List<String> DOCKER_DEFAULT_CAPS = List.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    static final String REMOVAL = "validated by removal";

    /**
     * The smallest capability set found by trying: starting from Docker's default set, each
     * capability is dropped for one enforced run (with the profile) and stays dropped when the
     * workload still behaves as recorded; then the result runs once more as it will be deployed.
     * Exit 0 when that final run passes.
     */
    int capabilities(String name, Path profileFile, Run recorded) throws IOException {
        List<String> keep = new ArrayList<>(DOCKER_DEFAULT_CAPS);
        SortedMap<String, CapabilitiesFile.Detail> needed = new TreeMap<>();
        int runs = 0;
        for (String cap : DOCKER_DEFAULT_CAPS) {
            List<String> without = new ArrayList<>(keep);
            without.remove(cap);
            runs++;
            String failure = verdict(recorded, runOnce(name, capArgs(profileFile, without), "run without " + cap));
            if (failure == null) {
                keep = without;
                out.println("  CAP_" + cap + ": not needed");
            } else {
                needed.put(cap, new CapabilitiesFile.Detail(REMOVAL, null, List.of("without it: " + failure)));
                out.println("  CAP_" + cap + ": needed");
            }
        }
        runs++;
        Run check = runOnce(name, capArgs(profileFile, keep), "run with the minimal capabilities");
        CapabilitiesFile file = CapabilitiesFile.of(null, s.image(), REMOVAL + ": each of Docker's default capabilities "
                + "dropped for one enforced run (" + runs + " runs)", needed);
        file.writeTo(profileFile.getParent());
        String v = verdict(recorded, check);
        out.println("capabilities: " + (keep.isEmpty() ? "none" : String.join(" ", keep)) + " -> " + file.dockerFlags()
                + (v == null ? " (validated)" : " (FAIL when combined: " + v + ")"));
        return v == null ? 0 : 1;
    }

    private static List<String> capArgs(Path profileFile, List<String> caps) {
        List<String> a = new ArrayList<>(List.of("--security-opt", "seccomp=" + profileFile, "--cap-drop", "ALL"));
        caps.forEach(c -> {
            a.add("--cap-add");
            a.add(c);
        });
        return a;
    }

    /** One more recorded run under the profile with SCMP_ACT_LOG as the default: what it made outside the profile. */
    private SortedSet<String> wouldDeny(String name, SeccompProfile profile) throws IOException {
        Path logging = Files.createTempFile("contxray-complain-", ".json");
        try {
            Json.mapper().writeValue(logging.toFile(), new SeccompProfile("SCMP_ACT_LOG", profile.defaultErrnoRet(),
                    profile.architectures(), profile.syscalls()));
            Run r = runOnce(name, List.of("--runtime", "contxray-record", "--security-opt", "seccomp=" + logging), "logging run");
            var report = Json.mapper().readTree(reportDir(r.id()).resolve("report.json").toFile());
            Map<String, Long> underFilter = new java.util.TreeMap<>();
            report.path("syscallsUnderFilter").fields().forEachRemaining(e -> underFilter.put(e.getKey(), e.getValue().asLong()));
            SortedSet<String> denied = new TreeSet<>(RolloutCheck.outside(profile, underFilter).keySet());
            denied.addAll(ArgumentFilters.outside(profile, ArgumentFilters.section(report)).keySet());
            return denied;
        } finally {
            Files.deleteIfExists(logging);
        }
    }

    private Run runOnce(String name, List<String> runtimeArgs, String what) throws IOException {
        // labelled, so the profiler's containers can be told from anyone else's
        List<String> args = new ArrayList<>(List.of("run", "-d", "--label", "contxray.profile-run=" + name));
        args.addAll(runtimeArgs);
        args.add(s.image());
        args.addAll(s.args());
        String id = docker.ok(DOCKER, what, args);
        Run run;
        try {
            int exerciseCode = 0;
            boolean exited;
            if (s.exercise() != null) {
                String ip = docker.ok(DOCKER, what, List.of("inspect", "-f",
                        "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", id)).split(" ")[0];
                exerciseCode = DockerCli.passthrough(s.duration(),
                        Map.of("CONTXRAY_CONTAINER_ID", id, "CONTXRAY_CONTAINER_IP", ip), List.of(s.exercise().toString()));
                exited = !"true".equals(docker.ok(DOCKER, what, List.of("inspect", "-f", "{{.State.Running}}", id)));
            } else {
                exited = exitsWithin(id, s.duration());
            }
            if (!exited) {
                docker.ok(DOCKER, what, List.of("stop", "-t", "10", id));
            }
            int code = Integer.parseInt(docker.ok(DOCKER, what, List.of("inspect", "-f", "{{.State.ExitCode}}", id)));
            run = new Run(id, exerciseCode, exited, code);
        } finally {
            // also after a failure: no container is left behind
            docker.run(DOCKER, List.of("rm", "-f", id));
        }
        if (runtimeArgs.contains("contxray-record")) {
            waitForReport(id);
        }
        return run;
    }

    /** docker wait, bounded: false when the container still runs after {@code limit}. */
    private boolean exitsWithin(String id, Duration limit) {
        try {
            return docker.run(limit, List.of("wait", id)).code() == 0;
        } catch (IOException timedOut) {
            return false;
        }
    }

    /** Each run here is a fresh container: its one run's directory (the union report has no per-run detail). */
    private Path reportDir(String id) {
        return io.contxray.model.Runs.dir(new StateDir(s.stateDir()).containerPath(id), 1);
    }

    private void waitForReport(String id) throws IOException {
        Path report = reportDir(id).resolve("report.json");
        long deadline = System.nanoTime() + REPORT_WAIT.toNanos();
        while (!Files.exists(report)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no report for container " + id + " after " + REPORT_WAIT.toSeconds()
                        + " s: is the recorder running (contxray status)?");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    private String describe(Run r) {
        return (s.exercise() != null ? "exercise exit " + r.exerciseCode() + ", " : "")
                + (r.exitedByItself() ? "container exit " + r.exitCode() : "container still running when stopped");
    }

    /** A profile name from an image reference: contxray-test/nginx:1.2 -> contxray-test-nginx-1.2. */
    static String safeName(String image) {
        String n = image.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("\\.\\.+", ".").replaceAll("^[^A-Za-z0-9]+", "");
        return n.length() > 128 ? n.substring(0, 128) : n;
    }
}
