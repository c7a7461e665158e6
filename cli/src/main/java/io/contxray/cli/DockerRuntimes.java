package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The runtimes a Docker daemon.json registers: name -> path. */
final class DockerRuntimes {
    private DockerRuntimes() {
    }

    /** @throws IOException when the text is not a JSON object or "runtimes" is not an object */
    static Map<String, String> parse(String daemonJson) throws IOException {
        JsonNode root = Json.mapper().readTree(daemonJson);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, String> out = new TreeMap<>();
        JsonNode runtimes = root.get("runtimes");
        if (runtimes == null || runtimes.isNull()) {
            return out;
        }
        if (!runtimes.isObject()) {
            throw new IOException("\"runtimes\" is not an object");
        }
        runtimes.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("path").asText("")));
        return out;
    }
}
