package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Unions the profiles of many recordings (runs, replicas, hosts) into one: every syscall any
 * of them allowed stays allowed (a syscall seen once is still needed), with its coverage, "seen
 * in N of M", like the Security Profiles Operator's. clone3 keeps contxray's ENOSYS answer unless
 * some recording allowed it.
 *
 * <p>With argument filters (off by default, see {@link ArgumentFilters}) socket and personality
 * are allowed only for the union of the first-argument values of every input that made them, one
 * rule per value; when one of those inputs does not know all its values, the syscall is allowed
 * with any argument and a warning says why.
 */
public final class ProfileMerge {
    /**
     * @param source where one input came from (a container id or a path), for coverage.json
     * @param args   what it knows of socket's and personality's arguments (from its report.json);
     *               null: what its profile says (see {@link ArgumentFilters#fromProfile})
     */
    public record Input(String source, SeccompProfile profile, ArgumentFilters.Known args) {
        public Input(String source, SeccompProfile profile) {
            this(source, profile, null);
        }

        ArgumentFilters.Known knownArgs() {
            return args != null ? args : ArgumentFilters.fromProfile(profile);
        }
    }

    /**
     * coverage.json: per syscall, how many of the inputs allowed it; with argument filters, per
     * filterable syscall the values allowed and in how many inputs each was seen, or why none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Coverage(String schema, int recordings, List<String> sources, SortedMap<String, Integer> seenIn,
                           SortedMap<String, ArgCoverage> argumentFilters) {
        public static final String SCHEMA = "contxray.coverage/v1";

        public Coverage(String schema, int recordings, List<String> sources, SortedMap<String, Integer> seenIn) {
            this(schema, recordings, sources, seenIn, null);
        }
    }

    /**
     * @param filtered whether the syscall is allowed only for these values
     * @param seenIn   readable value -> inputs whose calls had it (when filtered)
     * @param reason   why it is allowed with any argument (when not filtered)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArgCoverage(boolean filtered, SortedMap<String, Integer> seenIn, String reason) {
    }

    /** @param warnings one line per syscall that could not be filtered as asked, for the user */
    public record Result(SeccompProfile profile, Coverage coverage, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private ProfileMerge() {
    }

    public static Result merge(List<Input> inputs) {
        return merge(inputs, false);
    }

    public static Result merge(List<Input> inputs, boolean argFilters) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Set<String> architectures = new LinkedHashSet<>();
        SortedMap<String, Integer> seenIn = new TreeMap<>();
        List<String> sources = new ArrayList<>();
        SortedSet<String> conditional = new java.util.TreeSet<>();
        for (Input in : inputs) {
            sources.add(in.source());
            architectures.addAll(in.profile().architectures());
            for (String name : SeccompProfiles.allowed(in.profile())) {
                seenIn.merge(name, 1, Integer::sum);
            }
            conditional.addAll(ArgumentFilters.conditional(in.profile()));
        }
        SortedSet<String> names = new java.util.TreeSet<>(seenIn.keySet());
        List<SeccompRule> argRules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        SortedMap<String, ArgCoverage> argCoverage = null;
        if (argFilters) {
            argCoverage = new TreeMap<>();
            for (ArgumentFilters.Filterable f : ArgumentFilters.SYSCALLS) {
                if (names.contains(f.name())) {
                    ArgCoverage c = filter(f, inputs, argRules, warnings);
                    argCoverage.put(f.name(), c);
                    if (c.filtered()) {
                        names.remove(f.name());
                    }
                }
            }
        } else {
            conditional.forEach(n -> warnings.add(n + ": allowed with any argument; the argument filters of the "
                    + "sources are kept only with argument filters on"));
        }
        List<SeccompRule> rules = new ArrayList<>();
        if (!names.isEmpty()) {
            rules.add(SeccompRule.allow(List.copyOf(names)));
        }
        rules.addAll(argRules);
        if (!seenIn.containsKey("clone3")) {
            rules.add(SeccompRule.errno(List.of("clone3"), SeccompProfileBuilder.ENOSYS));
        }
        SeccompProfile merged = new SeccompProfile(SeccompRule.ERRNO, SeccompProfile.EPERM, List.copyOf(architectures), rules);
        return new Result(merged, new Coverage(Coverage.SCHEMA, inputs.size(), sources, seenIn, argCoverage), warnings);
    }

    /**
     * The rules of one filterable syscall some input allowed: one per value any of them saw, when
     * every input that allowed it knows all its values; else none, and a warning.
     */
    private static ArgCoverage filter(ArgumentFilters.Filterable f, List<Input> inputs, List<SeccompRule> rules,
                                      List<String> warnings) {
        SortedMap<Long, Integer> valueSeenIn = new TreeMap<>(Long::compareUnsigned);
        for (Input in : inputs) {
            if (!SeccompProfiles.allowed(in.profile()).contains(f.name())) {
                continue; // it never made the call: nothing to know
            }
            ArgumentFilters.Known known = in.knownArgs();
            String why = known.whyNot(f.name());
            if (why == null && known.values().get(f.name()).isEmpty()) {
                why = "no value of its calls was recorded";
            }
            if (why != null) {
                String reason = in.source() + ": " + why;
                warnings.add(f.name() + ": allowed with any argument (" + reason + ")");
                return new ArgCoverage(false, null, reason);
            }
            known.values().get(f.name()).forEach(v -> valueSeenIn.merge(v, 1, Integer::sum));
        }
        rules.addAll(ArgumentFilters.rules(f.name(), valueSeenIn.keySet()));
        SortedMap<String, Integer> named = new TreeMap<>();
        valueSeenIn.forEach((v, n) -> named.put(f.namer().apply(v), n));
        return new ArgCoverage(true, named, null);
    }

    /** "N/M" per syscall, for printing. */
    public static Map<String, String> fractions(Coverage c) {
        Map<String, String> out = new TreeMap<>();
        c.seenIn().forEach((name, n) -> out.put(name, n + "/" + c.recordings()));
        return out;
    }
}
