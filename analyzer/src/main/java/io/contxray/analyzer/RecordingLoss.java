package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a recording lost, from its report.json's {@code drops}: events the kernel's ring buffer
 * had no room for (per type), events rotated out of events.jsonl to bound its size, and calls
 * whose syscall number no table has. A profile built from such a recording may miss what was
 * lost, so profile building refuses it unless told otherwise.
 */
public final class RecordingLoss {
    private RecordingLoss() {
    }

    /** One line saying what was lost, or empty when nothing was. */
    public static Optional<String> of(JsonNode report) {
        JsonNode drops = report.path("drops");
        List<String> parts = new ArrayList<>();
        long events = drops.path("events").asLong(0);
        if (events > 0) {
            List<String> byType = new ArrayList<>();
            drops.path("eventsByType").fields().forEachRemaining(e -> {
                if (e.getValue().asLong(0) > 0) {
                    byType.add(e.getKey() + " " + e.getValue().asLong());
                }
            });
            parts.add("the kernel dropped " + events + " event(s)" + (byType.isEmpty() ? "" : " (" + String.join(", ", byType) + ")"));
        }
        long rotated = drops.path("rotated").asLong(0);
        if (rotated > 0) {
            parts.add(rotated + " event(s) rotated out of events.jsonl");
        }
        long outOfRange = drops.path("outOfRange").asLong(0);
        if (outOfRange > 0) {
            parts.add(outOfRange + " call(s) with a syscall number no table has");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }
}
