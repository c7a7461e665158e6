package io.contxray.hook;

import java.util.Map;

/**
 * The container state a runtime passes to a hook on stdin (OCI runtime spec, "State").
 * {@code pid} is null when absent: runtimes omit it once the container stopped (poststop).
 */
record OciState(String ociVersion, String id, String status, Integer pid, String bundle,
                Map<String, String> annotations) {
    OciState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
