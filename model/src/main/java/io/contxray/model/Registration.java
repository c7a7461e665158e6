package io.contxray.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the daemon knows about a container from the moment it registered; written to
 * {@code <containerDir>/registration.json} so a restarted daemon can finish the recording.
 *
 * @param registeredAt ISO-8601 UTC (see {@link Timestamps})
 * @param name         human name if the runtime gave one (annotations), else null
 * @param image        image reference if known, else null
 */
public record Registration(
        String id,
        int slot,
        long cgroupId,
        String cgroupPath,
        int pid,
        String bundle,
        Map<String, String> annotations,
        String registeredAt,
        String name,
        String image) {

    public Registration {
        ContainerId.validate(id);
        if (slot < 0) {
            throw new IllegalArgumentException("registration of " + id + ": negative slot " + slot);
        }
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }
}
