package io.contxray.detect;

import java.util.Locale;

/** How loud a rule is, in increasing order: event (informational), warning, alert. */
public enum Level {
    EVENT, WARNING, ALERT;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named, or null. */
    public static Level parse(String s) {
        for (Level l : values()) {
            if (l.yamlName().equals(s)) {
                return l;
            }
        }
        return null;
    }
}
