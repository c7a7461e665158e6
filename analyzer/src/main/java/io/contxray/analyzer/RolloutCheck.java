package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * For a container run with {@code contxray.mode=complain}: which syscalls it made under the
 * injected profile that the profile does not cover. Those ran (the profile's default action was
 * SCMP_ACT_LOG) and would be denied once the profile is enforced.
 */
public final class RolloutCheck {
    static final String MODE = "contxray.mode";
    static final String PROFILE = "contxray.profile";

    /**
     * report.json's {@code rollout}.
     *
     * @param violations syscall name -> calls, made under the profile but not covered by it
     * @param problem    why the check could not be made (the profile vanished or broke), else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollout(String mode, String profile, SortedMap<String, Long> violations, String problem) {
    }

    private RolloutCheck() {
    }

    /** Null unless the container was annotated for complain mode. */
    public static Rollout of(Map<String, String> annotations, SortedMap<String, Long> underFilter, ProfileStore store) {
        return of(annotations, underFilter, null, store);
    }

    /**
     * With the recording's argument values: a call the profile allows only for other values of
     * its argument is a violation too, named with its value ("socket(AF_PACKET)").
     */
    public static Rollout of(Map<String, String> annotations, SortedMap<String, Long> underFilter,
                             ArgumentFilters.Section args, ProfileStore store) {
        if (annotations == null) {
            return null;
        }
        String mode = annotations.get(MODE);
        String profile = annotations.get(PROFILE);
        if (mode == null || !mode.trim().toLowerCase(Locale.ROOT).equals("complain") || profile == null) {
            return null;
        }
        SeccompProfile p;
        try {
            p = store.load(profile.trim());
        } catch (IOException | IllegalArgumentException e) {
            return new Rollout("complain", profile, null, "no violations computed: " + e.getMessage());
        }
        SortedMap<String, Long> violations = outside(p, underFilter);
        violations.putAll(ArgumentFilters.outside(p, args));
        return new Rollout("complain", profile.trim(), violations, null);
    }

    /**
     * The calls (name -> count) a profile has no rule for: they fall to its default action. ERRNO
     * rules count as covered: their answer is deliberate, not a surprise.
     */
    public static SortedMap<String, Long> outside(SeccompProfile p, Map<String, Long> calls) {
        Set<String> covered = new java.util.HashSet<>();
        p.syscalls().forEach(r -> covered.addAll(r.names()));
        SortedMap<String, Long> out = new TreeMap<>();
        calls.forEach((name, n) -> {
            if (!covered.contains(name)) {
                out.put(name, n);
            }
        });
        return out;
    }
}
