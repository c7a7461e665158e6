package io.contxray.recorder.metrics;

/**
 * Label values taken from outside (container names, images, Kubernetes annotations) made safe
 * for the exposition: no control characters, bounded length, so one odd container cannot bloat
 * or break every scrape.
 */
public final class LabelValues {
    public static final int MAX_LENGTH = 128;

    private LabelValues() {
    }

    public static String sanitize(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        value.codePoints().forEach(cp -> {
            if (out.length() < MAX_LENGTH) {
                out.appendCodePoint(Character.isISOControl(cp) ? '_' : cp);
            }
        });
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) : out.toString();
    }
}
