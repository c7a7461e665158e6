package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.model.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingLossTest {
    @Test
    void nothingLostIsNothingToSay() throws Exception {
        assertEquals(Optional.empty(), RecordingLoss.of(Json.mapper().readTree("{\"drops\": {\"outOfRange\": 0, \"events\": 0, "
                + "\"eventsByType\": {\"file\": 0}, \"rotated\": 0}}")));
        assertEquals(Optional.empty(), RecordingLoss.of(Json.mapper().readTree("{}")), "a report without drops");
    }

    @Test
    void everyKindOfLossIsCountedInOneLine() throws Exception {
        assertEquals(Optional.of("the kernel dropped 12 event(s) (exec 2, file 10); 475948 event(s) rotated out of events.jsonl; "
                + "3 call(s) with a syscall number no table has"), RecordingLoss.of(Json.mapper().readTree("{\"drops\": "
                + "{\"outOfRange\": 3, \"events\": 12, \"eventsByType\": {\"capability\": 0, \"exec\": 2, \"file\": 10}, "
                + "\"rotated\": 475948}}")));
        assertEquals(Optional.of("5 event(s) rotated out of events.jsonl"),
                RecordingLoss.of(Json.mapper().readTree("{\"drops\": {\"rotated\": 5}}")));
    }
}
