package io.contxray.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.analyzer.AppArmorProfile;
import io.contxray.analyzer.NetworkPolicyExport;
import io.contxray.analyzer.NetworkSummary;
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

    /** The recordings' connections as a NetworkPolicy for the pods with these labels. */
    static ObjectNode networkPolicy(ProfileSource src, Path stateDir, String name, String namespace, String selector)
            throws IOException {
        List<RecordingReports.Recorded> reports = RecordingReports.of(src, stateDir);
        String policyName = name != null ? name : defaultName(src).toLowerCase(java.util.Locale.ROOT);
        return NetworkPolicyExport.policy(policyName, namespace, NetworkPolicyExport.labels(selector),
                reports.stream().map(r -> r.report().path("network")).toList(),
                reports.stream().map(RecordingReports.Recorded::source).toList());
    }

    /** One block per recording. */
    static String networkSummary(ProfileSource src, Path stateDir) throws IOException {
        StringBuilder out = new StringBuilder();
        for (RecordingReports.Recorded r : RecordingReports.of(src, stateDir)) {
            NetworkSummary.of(r.source(), r.report()).forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    /** cx-<first 12 of the id> for a recording, else the profile directory's name. */
    static String defaultName(ProfileSource src) {
        Path dir = src.seccomp().toAbsolutePath().getParent();
        String base = dir == null || dir.getFileName() == null ? "profile" : dir.getFileName().toString();
        return base.matches("[0-9a-f]{64}") ? "cx-" + base.substring(0, 12) : base;
    }
}
