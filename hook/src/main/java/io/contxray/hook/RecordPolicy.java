package io.contxray.hook;

import java.util.Map;

/**
 * The container's own say on a failed registration: annotation {@code contxray.record=required}
 * means "do not start me unrecorded" (fail closed); anything else means fail open.
 */
final class RecordPolicy {
    static final String ANNOTATION = "contxray.record";
    static final String REQUIRED = "required";

    private RecordPolicy() {
    }

    static boolean required(Map<String, String> annotations) {
        String value = annotations.get(ANNOTATION);
        return value != null && value.trim().equalsIgnoreCase(REQUIRED);
    }
}
