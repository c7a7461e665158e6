package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * contxray's two OCI hook entries: {@code createRuntime} registers the container with the
 * recorder (timeout 15 s, the hook itself gives up after 10 s), {@code poststop} finishes the
 * recording (timeout 30 s, the hook gives up after 25 s).
 */
public final class HookEntries {
    public static final int CREATE_RUNTIME_TIMEOUT_S = 15;
    public static final int POSTSTOP_TIMEOUT_S = 30;

    private final String hookBin;

    HookEntries(String hookBin) {
        this.hookBin = hookBin;
    }

    ObjectNode entry(String stage, int timeoutSeconds) {
        ObjectNode hook = JsonNodeFactory.instance.objectNode();
        hook.put("path", hookBin);
        ArrayNode a = hook.putArray("args");
        args(stage).forEach(a::add);
        hook.put("timeout", timeoutSeconds);
        return hook;
    }

    /**
     * Ours, whatever binary path it was written with: args start with contxray, hook, stage
     * (so a config patched once, e.g. by a restarted or retried create, is not patched twice).
     */
    static boolean isOurs(JsonNode hook, String stage) {
        List<String> args = new ArrayList<>();
        hook.path("args").forEach(a -> args.add(a.asText()));
        return isOurs(args, stage);
    }

    /** The hook's argv (argv[0] included, as OCI hooks have it) for {@code stage}. */
    public static List<String> args(String stage) {
        return List.of("contxray", "hook", stage);
    }

    public static boolean isOurs(List<String> args, String stage) {
        return args.size() >= 3 && args.subList(0, 3).equals(args(stage));
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
