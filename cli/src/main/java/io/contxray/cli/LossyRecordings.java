package io.contxray.cli;

import io.contxray.analyzer.RecordingLoss;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A lossy recording never becomes a profile silently: a command building one from recordings
 * whose kernel dropped or rotated events refuses (exit 2, one line naming the recording and the
 * counts), or with {@code --allow-lossy} goes on and says what was lost.
 */
final class LossyRecordings {
    static final int EXIT = 2;

    /** The refusal; its message is the line to print. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private LossyRecordings() {
    }

    /**
     * Refuses the first lossy one unless {@code allow}; with it, prints a warning per lossy one.
     * Returns recording -> what it lost (empty when none was lossy), for the result's mark.
     */
    static Map<String, String> check(List<RecordingReports.Recorded> reports, boolean allow, PrintStream err) throws Refused {
        Map<String, String> lossy = new TreeMap<>();
        for (RecordingReports.Recorded r : reports) {
            Optional<String> lost = RecordingLoss.of(r.report());
            if (lost.isEmpty()) {
                continue;
            }
            if (!allow) {
                throw new Refused("recording " + r.source() + " is lossy: " + lost.get()
                        + "; a profile from it may miss what was lost (--allow-lossy to use it anyway)");
            }
            err.println("warning: recording " + r.source() + " is lossy: " + lost.get());
            lossy.put(r.source(), lost.get());
        }
        return lossy;
    }
}
