package io.contxray.cli;

import io.contxray.analyzer.AppArmorProfile;
import io.contxray.analyzer.RecordedAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The exports made from the recordings behind a profile rather than from its seccomp.json. */
final class ExportFormats {
    private ExportFormats() {
    }

    static String apparmor(ProfileSource src, Path stateDir, String name) throws IOException {
        List<RecordingReports.Recorded> reports = RecordingReports.of(src, stateDir);
        RecordedAccess access = RecordedAccess.union(reports.stream()
                .map(r -> RecordedAccess.fromReport(r.source(), r.report())).toList());
        return AppArmorProfile.generate(name != null ? name : defaultName(src), access);
    }

    /** cx-<first 12 of the id> for a recording, else the profile directory's name. */
    static String defaultName(ProfileSource src) {
        Path dir = src.seccomp().toAbsolutePath().getParent();
        String base = dir == null || dir.getFileName() == null ? "profile" : dir.getFileName().toString();
        return base.matches("[0-9a-f]{64}") ? "cx-" + base.substring(0, 12) : base;
    }
}
