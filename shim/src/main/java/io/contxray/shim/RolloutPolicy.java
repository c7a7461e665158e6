package io.contxray.shim;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.ProfileStore;
import io.contxray.model.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The host's rollout policy, {@code /etc/contxray/policy.json} ($CONTXRAY_POLICY): which stored
 * profile and mode a container gets by its image, so that no one has to annotate it.
 * <pre>{"rules": [{"image": "nginx:1.27", "profile": "nginx", "mode": "enforce"},
 *            {"image": "registry.local/shop/*", "profile": "shop", "mode": "complain"}]}</pre>
 * The first rule whose image matches wins: the same reference, the same with ":latest" added or
 * removed, or a prefix for a pattern ending in '*'. mode is enforce (the default), complain or
 * record. A container's own annotations win over the policy.
 */
record RolloutPolicy(List<Rule> rules) {
    static final Path DEFAULT_FILE = Path.of("/etc/contxray/policy.json");
    static final String ENV = "CONTXRAY_POLICY";
    static final RolloutPolicy EMPTY = new RolloutPolicy(List.of());

    record Rule(String image, String profile, RolloutAnnotations.Mode mode) {
        boolean matches(String ref) {
            if (image.endsWith("*")) {
                return ref.startsWith(image.substring(0, image.length() - 1));
            }
            return ref.equals(image) || ref.equals(image + ":latest") || image.equals(ref + ":latest");
        }
    }

    RolloutPolicy {
        rules = List.copyOf(rules);
    }

    static Path file(Map<String, String> env) {
        String v = env.get(ENV);
        return v == null || v.isBlank() ? DEFAULT_FILE : Path.of(v);
    }

    /**
     * The policy in {@code file}; EMPTY when there is none. A file that is there but wrong refuses
     * (PatchException, required): a container it meant to confine must not start unconfined.
     */
    static RolloutPolicy load(Path file) throws PatchException {
        String raw;
        try {
            raw = Files.readString(file);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw PatchException.rollout("policy " + file + ": " + Errors.oneLine(e), e);
        }
        try {
            return parse(LosslessJson.MAPPER.readTree(raw));
        } catch (IOException | IllegalArgumentException e) {
            throw PatchException.rollout("policy " + file + ": " + Errors.oneLine(e), e);
        }
    }

    static RolloutPolicy parse(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            throw new IllegalArgumentException("expected {\"rules\": [...]}");
        }
        List<Rule> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : root.path("rules")) {
            String where = "rules[" + i++ + "]";
            String image = r.path("image").asText("").trim();
            String profile = r.path("profile").asText("").trim();
            if (image.isEmpty() || image.equals("*")) {
                throw new IllegalArgumentException(where + ": \"image\" must name an image or a prefix ending in '*'");
            }
            ProfileStore.validateName(profile);
            String modeText = r.path("mode").asText("enforce").trim().toUpperCase(Locale.ROOT);
            RolloutAnnotations.Mode mode;
            try {
                mode = RolloutAnnotations.Mode.valueOf(modeText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": mode \"" + r.path("mode").asText() + "\" is not record, "
                        + "complain or enforce");
            }
            out.add(new Rule(image, profile, mode));
        }
        return new RolloutPolicy(out);
    }

    Optional<Rule> match(String imageRef) {
        if (imageRef == null) {
            return Optional.empty();
        }
        return rules.stream().filter(r -> r.matches(imageRef)).findFirst();
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }
}
