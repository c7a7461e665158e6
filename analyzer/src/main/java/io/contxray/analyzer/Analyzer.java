package io.contxray.analyzer;

import io.contxray.model.AtomicFiles;
import io.contxray.model.Errors;
import io.contxray.model.Recording;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes report.json and seccomp.json for a finished recording. */
public final class Analyzer {
    public static final String FILE_PERMS = "rw-r--r--";

    private Analyzer() {
    }

    /** Writes both files into {@code containerDir} (atomically, 0644). */
    public static WrittenFiles write(Recording rec, Path containerDir) throws IOException {
        return write(rec, containerDir, null);
    }

    /**
     * Also writes copies into {@code extraCopyDir} (e.g. {@code <bundle>/contxray/} with plain runc)
     * when it is not null. A failure there does not fail the call: it is returned and listed in
     * report.json's errors. Failures in {@code containerDir} throw IOException naming the file.
     */
    public static WrittenFiles write(Recording rec, Path containerDir, Path extraCopyDir) throws IOException {
        SeccompProfileBuilder.Result profile = SeccompProfileBuilder.build(rec);
        Recording withWarnings = rec.withErrors(profile.warnings());

        List<Path> copies = new ArrayList<>();
        List<String> copyErrors = new ArrayList<>();
        if (extraCopyDir != null) {
            // Copies first, so a failure can still be reported in the main report.
            Report report = ReportBuilder.build(withWarnings);
            try {
                Files.createDirectories(extraCopyDir);
                copies.add(writeSeccomp(extraCopyDir, profile.profile()));
                copies.add(writeReport(extraCopyDir, report));
            } catch (IOException | RuntimeException e) {
                copyErrors.add("copy to " + extraCopyDir + " failed: " + Errors.oneLine(e));
            }
        }

        Report report = ReportBuilder.build(withWarnings.withErrors(copyErrors));
        Path seccomp = writeSeccomp(containerDir, profile.profile());
        Path reportFile = writeReport(containerDir, report);
        return new WrittenFiles(reportFile, seccomp, copies, copyErrors);
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
