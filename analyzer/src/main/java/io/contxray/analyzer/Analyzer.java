package io.contxray.analyzer;

import io.contxray.model.AtomicFiles;
import io.contxray.model.BundleMounts;
import io.contxray.model.Errors;
import io.contxray.model.EventLog;
import io.contxray.model.Recording;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes report.json, seccomp.json and capabilities.json for a finished recording. */
public final class Analyzer {
    public static final String FILE_PERMS = "rw-r--r--";

    private Analyzer() {
    }

    /** Writes the files into {@code containerDir} (atomically, 0644). */
    public static WrittenFiles write(Recording rec, Path containerDir) throws IOException {
        return write(rec, containerDir, null);
    }

    /**
     * Also writes copies into {@code extraCopyDir} (e.g. {@code <bundle>/contxray/} with plain runc)
     * when it is not null. A failure there does not fail the call: it is returned and listed in
     * report.json's errors. Failures in {@code containerDir} throw IOException naming the file.
     */
    public static WrittenFiles write(Recording rec, Path containerDir, Path extraCopyDir) throws IOException {
        return write(rec, containerDir, extraCopyDir, profilesOf(containerDir));
    }

    /**
     * As {@link #write(Recording, Path, Path)}, into any directory (a run's), with the state dir's
     * profiles given rather than found from the directory's place.
     */
    public static WrittenFiles write(Recording rec, Path containerDir, Path extraCopyDir, ProfileStore profiles)
            throws IOException {
        List<String> problems = new ArrayList<>();
        FromEvents events = fromEvents(rec, containerDir, problems);
        SeccompProfileBuilder.Result profile = SeccompProfileBuilder.build(rec,
                java.util.Set.copyOf(events.capabilities().recommended()), true);
        problems.addAll(0, profile.warnings());
        Recording withWarnings = events.self() == null ? rec.withErrors(problems)
                : rec.withIdentity(events.self().name(), events.self().image()).withErrors(problems);
        CapabilitiesFile capabilities = CapabilitiesFile.of(rec.registration().id(), withWarnings.registration().image(),
                events.capabilities());

        List<Path> copies = new ArrayList<>();
        List<String> copyErrors = new ArrayList<>();
        if (extraCopyDir != null) {
            // Copies first, so a failure can still be reported in the main report.
            Report report = ReportBuilder.build(withWarnings, events, profiles);
            try {
                Files.createDirectories(extraCopyDir);
                copies.add(writeSeccomp(extraCopyDir, profile.profile()));
                copies.add(capabilities.writeTo(extraCopyDir));
                copies.add(writeReport(extraCopyDir, report));
            } catch (IOException | RuntimeException e) {
                copyErrors.add("copy to " + extraCopyDir + " failed: " + Errors.oneLine(e));
            }
        }

        Report report = ReportBuilder.build(withWarnings.withErrors(copyErrors), events, profiles);
        Path seccomp = writeSeccomp(containerDir, profile.profile());
        Path capabilitiesFile = capabilities.writeTo(containerDir);
        // report.json last: its presence says the container's files are complete
        Path reportFile = writeReport(containerDir, report);
        return new WrittenFiles(reportFile, seccomp, capabilitiesFile, copies, copyErrors);
    }

    /** The state dir's profiles: {@code <root>/containers/<id>} -> {@code <root>/profiles}. */
    static ProfileStore profilesOf(Path containerDir) {
        Path root = containerDir.toAbsolutePath().getParent().getParent();
        return ProfileStore.of(new StateDir(root));
    }

    /**
     * Streams the container's event log (events.0.jsonl, events.1.jsonl, then events.jsonl) once
     * into the processes, network, files and capabilities sections.
     */
    static FromEvents fromEvents(Recording rec, Path containerDir, List<String> problems) throws IOException {
        ProcessesBuilder builder = new ProcessesBuilder(rec.registration().pid());
        NetworkBuilder network = new NetworkBuilder();
        FilesBuilder files = new FilesBuilder(new PathClassifier(mounts(containerDir, problems),
                rec.registration().id()));
        CapabilitiesBuilder capabilities = new CapabilitiesBuilder(rec);
        EventLog.ReadResult read = EventLog.read(containerDir, e -> {
            builder.accept(e);
            network.accept(e);
            files.accept(e);
            capabilities.accept(e);
        });
        if (read.unreadableLines() > 0) {
            problems.add(read.unreadableLines() + " unreadable line(s) in the event log, first: " + read.firstProblem());
        }
        if (rec.events().undecodable() > 0) {
            problems.add(rec.events().undecodable() + " kernel event(s) could not be decoded or routed");
        }
        Processes p = builder.build();
        if (p.execsOmitted() > 0) {
            problems.add(p.execsOmitted() + " exec(s) not listed: more than " + ProcessesBuilder.MAX_EXEC_GROUPS
                    + " distinct (filename, argv)");
        }
        FileActivity f = files.build();
        if (f.omitted() > 0) {
            problems.add(f.omitted() + " file call(s) not listed: more than " + FilesBuilder.MAX_ENTRIES
                    + " distinct (path, access)");
        }
        return new FromEvents(p, network.build(), f, capabilities.build(), network.self());
    }

    /** The mounts saved at registration; none (paths then classed by location only) when unreadable. */
    private static List<BundleMounts.Mount> mounts(Path containerDir, List<String> problems) {
        try {
            return BundleMounts.load(containerDir);
        } catch (IOException e) {
            problems.add("mounts unknown, files classed by path only: " + Errors.oneLine(e));
            return List.of();
        }
    }

    private static Path writeSeccomp(Path dir, SeccompProfile profile) throws IOException {
        Path file = dir.resolve(StateDir.SECCOMP_JSON);
        AtomicFiles.writeJson(file, profile, FILE_PERMS);
        return file;
    }

    private static Path writeReport(Path dir, Report report) throws IOException {
        Path file = dir.resolve(StateDir.REPORT_JSON);
        AtomicFiles.writeJson(file, report, FILE_PERMS);
        return file;
    }
}
