package io.contxray.recorder;

import io.contxray.model.ContainerEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Remembers the name and image of each recorded container from the "container" events the
 * peer resolver appends to its log, for the labels of its metrics.
 */
final class ContainerIdentities {
    private final Map<String, ContainerIdentity> byId = new ConcurrentHashMap<>();

    /** Wraps the resolver's sink: events still go to the log, container events are noted on the way. */
    BiConsumer<String, ContainerEvent> tap(BiConsumer<String, ContainerEvent> sink) {
        return (id, e) -> {
            if (ContainerEvent.CONTAINER.equals(e.type())) {
                byId.put(id, new ContainerIdentity(e.name(), e.image()));
            }
            sink.accept(id, e);
        };
    }

    ContainerIdentity of(String id) {
        return byId.getOrDefault(id, ContainerIdentity.UNKNOWN);
    }

    /** Forgets the containers no longer recorded (called after each scrape with the live ids). */
    void retain(java.util.Set<String> ids) {
        byId.keySet().retainAll(ids);
    }
}
