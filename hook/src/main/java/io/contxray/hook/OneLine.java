package io.contxray.hook;

/** Messages end up in one runtime log line: control characters (newlines included) become spaces. */
final class OneLine {
    private OneLine() {
    }

    static String of(String s) {
        if (s == null) {
            return "unknown error";
        }
        return s.replaceAll("[\\p{Cntrl}]+", " ").trim();
    }
}
