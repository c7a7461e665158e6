package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code contxray.mode} (record, complain, enforce) and {@code contxray.profile} (a stored
 * profile's name): how a container's profile is rolled out by the runtime itself.
 * complain: the profile is injected with defaultAction SCMP_ACT_LOG and the container is
 * recorded, so what falls outside it shows up as violations in its report; enforce: the profile
 * is injected as it is.
 */
public record RolloutAnnotations(Mode mode, String profile) {
    public static final String MODE = "contxray.mode";
    public static final String PROFILE = "contxray.profile";

    public enum Mode { RECORD, COMPLAIN, ENFORCE }

    /** For a config.json that does not parse: does its raw text ask for complain or enforce? */
    private static final Pattern ROLLOUT_IN_TEXT =
            Pattern.compile("\"contxray\\.mode\"\\s*:\\s*\"\\s*(complain|enforce)\\s*\"", Pattern.CASE_INSENSITIVE);

    /** @throws PatchException (refusing to start) for an unknown mode or a mode without a profile */
    static RolloutAnnotations of(JsonNode config) throws PatchException {
        Map<String, String> texts = new HashMap<>();
        config.path("annotations").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                texts.put(e.getKey(), e.getValue().asText());
            }
        });
        return of(texts);
    }

    /** As {@link #of(JsonNode)} for annotations given as a map (NRI's pods and containers). */
    public static RolloutAnnotations of(Map<String, String> annotations) throws PatchException {
        String modeText = annotations.containsKey(MODE) ? annotations.get(MODE).trim().toLowerCase(Locale.ROOT) : null;
        String profile = annotations.containsKey(PROFILE) ? annotations.get(PROFILE).trim() : null;
        Mode mode;
        if (modeText == null) {
            mode = profile == null ? Mode.RECORD : Mode.ENFORCE;
        } else {
            try {
                mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw PatchException.rollout(MODE + "=" + modeText + " is not record, complain or enforce", null);
            }
        }
        if (mode != Mode.RECORD && (profile == null || profile.isEmpty())) {
            throw PatchException.rollout(MODE + "=" + modeText + " needs " + PROFILE + "=<name>", null);
        }
        return new RolloutAnnotations(mode, profile);
    }

    /** Whether the container's own annotations say anything about its rollout (then a policy does not). */
    static boolean present(JsonNode config) {
        JsonNode ann = config.path("annotations");
        return ann.has(MODE) || ann.has(PROFILE);
    }

    public boolean injects() {
        return mode != Mode.RECORD;
    }

    static boolean rolloutInText(String raw) {
        return ROLLOUT_IN_TEXT.matcher(raw).find();
    }
}
