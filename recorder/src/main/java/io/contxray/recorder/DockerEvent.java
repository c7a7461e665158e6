package io.contxray.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * One line of a Docker engine's {@code /events} stream, the parts the address history uses.
 *
 * @param type     container, network, ...
 * @param action   start, die, destroy, connect, disconnect, ... (Docker 20.10 may add ": detail")
 * @param actor    the container's id, or the network's for network events
 * @param attributes the actor's attributes (a container's name and image; a network event's container)
 * @param timeNano when the engine saw it, epoch ns
 */
record DockerEvent(String type, String action, String actor, Map<String, String> attributes, long timeNano) {
    static DockerEvent parse(JsonNode e) {
        Map<String, String> attributes = new HashMap<>();
        e.path("Actor").path("Attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        long nanos = e.path("timeNano").asLong(0);
        if (nanos == 0) {
            nanos = e.path("time").asLong(0) * 1_000_000_000L;
        }
        String action = e.path("Action").asText(e.path("status").asText(""));
        int colon = action.indexOf(':');
        return new DockerEvent(e.path("Type").asText(""), colon < 0 ? action : action.substring(0, colon),
                e.path("Actor").path("ID").asText(e.path("id").asText("")), Map.copyOf(attributes), nanos);
    }
}
