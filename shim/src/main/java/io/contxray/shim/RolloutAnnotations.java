package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code contxray.mode} (record, complain, enforce) and {@code contxray.profile} (a stored
 * profile's name): how a container's profile is rolled out by the runtime itself.
 * complain: the profile is injected with defaultAction SCMP_ACT_LOG and the container is
 * recorded, so what falls outside it shows up as violations in its report; enforce: the profile
 * is injected as it is.
 */
record RolloutAnnotations(Mode mode, String profile) {
    static final String MODE = "contxray.mode";
    static final String PROFILE = "contxray.profile";

    enum Mode { RECORD, COMPLAIN, ENFORCE }

    /** For a config.json that does not parse: does its raw text ask for complain or enforce? */
    private static final Pattern ROLLOUT_IN_TEXT =
            Pattern.compile("\"contxray\\.mode\"\\s*:\\s*\"\\s*(complain|enforce)\\s*\"", Pattern.CASE_INSENSITIVE);

    /** @throws PatchException (refusing to start) for an unknown mode or a mode without a profile */
    static RolloutAnnotations of(JsonNode config) throws PatchException {
        JsonNode ann = config.path("annotations");
        String modeText = text(ann.path(MODE));
        String profile = ann.path(PROFILE).isTextual() ? ann.path(PROFILE).asText().trim() : null;
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

    boolean injects() {
        return mode != Mode.RECORD;
    }

    static boolean rolloutInText(String raw) {
        return ROLLOUT_IN_TEXT.matcher(raw).find();
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.asText().trim().toLowerCase(Locale.ROOT) : null;
    }
}
