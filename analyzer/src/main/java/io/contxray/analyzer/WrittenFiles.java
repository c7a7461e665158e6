package io.contxray.analyzer;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Analyzer#write} produced.
 *
 * @param report     containerDir/report.json
 * @param seccomp    containerDir/seccomp.json
 * @param capabilities containerDir/capabilities.json
 * @param copies     copies written to the extra directory (empty if none asked for or it failed)
 * @param copyErrors one-line reasons the copies failed (also listed in report.json's errors)
 */
public record WrittenFiles(Path report, Path seccomp, Path capabilities, List<Path> copies, List<String> copyErrors) {
    public WrittenFiles {
        copies = List.copyOf(copies);
        copyErrors = List.copyOf(copyErrors);
    }
}
