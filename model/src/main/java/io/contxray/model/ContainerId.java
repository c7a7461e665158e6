package io.contxray.model;

import java.util.regex.Pattern;

/**
 * Container ids become directory names under the state directory, so they are checked before
 * any path is built from them: one leading alphanumeric, then up to 127 of [A-Za-z0-9_.-].
 * That excludes "", ".", "..", '/', NUL and anything longer than 128 characters.
 */
public final class ContainerId {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private ContainerId() {
    }

    /** Returns {@code id} unchanged, or throws IllegalArgumentException with a one-line reason. */
    public static String validate(String id) {
        String reason = problem(id);
        if (reason != null) {
            throw new IllegalArgumentException("container id " + quote(id) + " rejected: " + reason);
        }
        return id;
    }

    public static boolean isValid(String id) {
        return problem(id) == null;
    }

    private static String problem(String id) {
        if (id == null) {
            return "missing";
        }
        if (id.isEmpty()) {
            return "empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters (" + id.length() + ")";
        }
        if (id.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        if (id.indexOf('/') >= 0) {
            return "contains '/'";
        }
        if (id.equals(".") || id.equals("..")) {
            return "is a relative path component";
        }
        if (!VALID.matcher(id).matches()) {
            return "must start with a letter or digit and contain only letters, digits, '_', '.', '-'";
        }
        return null;
    }

    /** Quotes an id for an error message, escaping control characters and cutting long ones. */
    private static String quote(String id) {
        if (id == null) {
            return "null";
        }
        String shown = id.length() > 64 ? id.substring(0, 64) + "..." : id;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
