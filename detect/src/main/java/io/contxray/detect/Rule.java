package io.contxray.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rule of a rule file.
 *
 * @param exceptImages  globs of images the rule does not apply to
 * @param exceptNames   globs of container names the rule does not apply to
 * @param source        FILE:LINE where it was defined
 */
public record Rule(String id, String description, Level level, Condition when, List<Pattern> exceptImages,
                   List<Pattern> exceptNames, boolean enabled, String source) {

    /** Event types the rule can match, or null for any. */
    Set<String> types() {
        return when == null ? Set.of() : when.types();
    }

    /** Whether a container of that image and name is excepted. */
    boolean excepted(String image, String name) {
        return anyMatch(exceptImages, image) || anyMatch(exceptNames, name);
    }

    private static boolean anyMatch(List<Pattern> globs, String v) {
        if (v == null) {
            return false;
        }
        for (Pattern p : globs) {
            if (p.matcher(v).matches()) {
                return true;
            }
        }
        return false;
    }
}
