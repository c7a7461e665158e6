package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * contxray's two OCI hook entries: {@code createRuntime} registers the container with the
 * recorder (timeout 15 s, the hook itself gives up after 10 s), {@code poststop} finishes the
 * recording (timeout 30 s, the hook gives up after 25 s).
 */
final class HookEntries {
    static final int CREATE_RUNTIME_TIMEOUT_S = 15;
    static final int POSTSTOP_TIMEOUT_S = 30;

    private final String hookBin;

    HookEntries(String hookBin) {
        this.hookBin = hookBin;
    }

    ObjectNode entry(String stage, int timeoutSeconds) {
        ObjectNode hook = JsonNodeFactory.instance.objectNode();
        hook.put("path", hookBin);
        hook.putArray("args").add("contxray").add("hook").add(stage);
        hook.put("timeout", timeoutSeconds);
        return hook;
    }

    /**
     * Ours, whatever binary path it was written with: args start with contxray, hook, stage
     * (so a config patched once, e.g. by a restarted or retried create, is not patched twice).
     */
    static boolean isOurs(JsonNode hook, String stage) {
        JsonNode args = hook.path("args");
        return args.isArray() && args.size() >= 3
                && "contxray".equals(args.get(0).asText())
                && "hook".equals(args.get(1).asText())
                && stage.equals(args.get(2).asText());
    }

    static boolean containsOurs(ArrayNode hooks, String stage) {
        for (JsonNode h : hooks) {
            if (isOurs(h, stage)) {
                return true;
            }
        }
        return false;
    }
}
