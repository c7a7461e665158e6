package io.contxray.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Time stamps in records are ISO-8601 UTC strings ("2026-11-23T01:02:03.456Z"). */
public final class Timestamps {
    private Timestamps() {
    }

    public static String now() {
        return format(Instant.now());
    }

    public static String format(Instant instant) {
        return instant.toString();
    }

    public static Instant parse(String iso) {
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("time stamp \"" + iso + "\" is not ISO-8601 UTC", e);
        }
    }
}
