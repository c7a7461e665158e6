package io.contxray.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a line about a recording needs (id, name, image, start and stop), read from the first fields
 * of its report.json with a streaming read that stops there: a report may be megabytes, and a
 * listing or a name lookup reads thousands of them.
 */
public final class RecordingHead {
    /** @param hasReport whether report.json is there (else the recording is in progress, or was lost) */
    public record Head(String id, String name, String image, String startedAt, String stoppedAt, boolean hasReport) {
        public String shortId() {
            return id.substring(0, Math.min(12, id.length()));
        }

        public String describe() {
            return shortId() + "  " + (name == null ? "-" : name) + "  " + (image == null ? "-" : image) + "  "
                    + (startedAt == null ? "-" : startedAt);
        }
    }

    private RecordingHead() {
    }

    public static List<Head> of(StateDir state, List<String> ids) {
        List<Head> out = new ArrayList<>();
        for (String id : ids) {
            out.add(read(state.containerPath(id), id));
        }
        return out;
    }

    /** Only the id (and no report) when report.json is missing or cannot be read. */
    public static Head read(Path dir, String id) {
        String name = null;
        String image = null;
        String startedAt = null;
        String stoppedAt = null;
        try (InputStream in = Files.newInputStream(dir.resolve(StateDir.REPORT_JSON));
             JsonParser p = Json.mapper().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Head(id, null, null, null, null, false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                String text = value == JsonToken.VALUE_STRING ? p.getText() : null;
                switch (field) {
                    case "name" -> name = text;
                    case "image" -> image = text;
                    case "startedAt" -> startedAt = text;
                    case "stoppedAt" -> {
                        return new Head(id, name, image, startedAt, text, true); // the head ends here
                    }
                    default -> p.skipChildren();
                }
            }
            return new Head(id, name, image, startedAt, stoppedAt, true);
        } catch (IOException e) {
            return new Head(id, name, image, startedAt, stoppedAt, false);
        }
    }
}
