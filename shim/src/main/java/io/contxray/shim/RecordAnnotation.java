package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** Reads the {@code contxray.record} annotation: "true" records, "required" records or refuses to run. */
public final class RecordAnnotation {
    public static final String NAME = "contxray.record";

    /** For a config.json that does not parse: does its raw text ask for required recording? */
    private static final Pattern REQUIRED_IN_TEXT =
            Pattern.compile("\"contxray\\.record\"\\s*:\\s*\"\\s*required\\s*\"", Pattern.CASE_INSENSITIVE);

    private RecordAnnotation() {
    }

    /** The annotation's value in a parsed config, trimmed and lower-cased; null when absent or not a string. */
    static String value(JsonNode config) {
        JsonNode v = config.path("annotations").path(NAME);
        return v.isTextual() ? normalized(v.asText()) : null;
    }

    /** A value as the rules compare it: trimmed and lower-cased. */
    public static String normalized(String raw) {
        return raw.trim().toLowerCase(java.util.Locale.ROOT);
    }

    static boolean wantsRecording(JsonNode config) {
        return wantsRecording(value(config));
    }

    /** Whether a {@link #normalized} value (null: absent) asks for recording. */
    public static boolean wantsRecording(String normalizedValue) {
        return "true".equals(normalizedValue) || "required".equals(normalizedValue);
    }

    static boolean required(JsonNode config) {
        return "required".equals(value(config));
    }

    static boolean requiredInText(String raw) {
        return REQUIRED_IN_TEXT.matcher(raw).find();
    }
}
