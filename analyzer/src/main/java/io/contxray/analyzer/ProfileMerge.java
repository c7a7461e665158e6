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
 * <p>With argument rules (on by default, see {@link ArgumentFilters}) clone, personality and socket
 * are allowed only for the union of the first-argument values the inputs' own rules allow, one
 * rule per value; when one of those inputs allows it with any argument (an older profile, or one
 * made with argument rules off), the syscall gets Docker's default rule for it and a warning says why.
 */
public final class ProfileMerge {
    /** @param source where one input came from (a container id or a path), for coverage.json */
    public record Input(String source, SeccompProfile profile) {
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
        return merge(inputs, true);
    }

    /** @param argRules false: every syscall allowed with any argument ({@code --no-arg-filters}) */
    public static Result merge(List<Input> inputs, boolean argRules) {
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
        List<SeccompRule> argumentRules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        SortedMap<String, ArgCoverage> argCoverage = null;
        if (argRules) {
            argCoverage = new TreeMap<>();
            for (ArgumentFilters.Filterable f : ArgumentFilters.SYSCALLS) {
                if (names.contains(f.name())) {
                    ArgCoverage c = filter(f, inputs, argumentRules, warnings);
                    argCoverage.put(f.name(), c);
                    if (c.filtered()) {
                        names.remove(f.name());
                    }
                }
            }
        } else {
            conditional.forEach(n -> warnings.add(n + ": allowed with any argument (argument rules off): weaker than "
                    + "Docker's default profile where that narrows it"));
        }
        List<SeccompRule> rules = new ArrayList<>();
        if (!names.isEmpty()) {
            rules.add(SeccompRule.allow(List.copyOf(names)));
        }
        rules.addAll(argumentRules);
        if (!seenIn.containsKey("clone3")) {
            rules.add(SeccompRule.errno(List.of("clone3"), SeccompProfileBuilder.ENOSYS));
        }
        SeccompProfile merged = new SeccompProfile(SeccompRule.ERRNO, SeccompProfile.EPERM, List.copyOf(architectures), rules);
        return new Result(merged, new Coverage(Coverage.SCHEMA, inputs.size(), sources, seenIn, argCoverage), warnings);
    }

    /**
     * The rules of one filterable syscall some input allowed: one per value any of them allows,
     * when every input that allowed it allows only some values; else Docker's default rule for it.
     */
    private static ArgCoverage filter(ArgumentFilters.Filterable f, List<Input> inputs, List<SeccompRule> rules,
                                      List<String> warnings) {
        SortedMap<Long, Integer> valueSeenIn = new TreeMap<>(Long::compareUnsigned);
        String reason = null;
        for (Input in : inputs) {
            if (!SeccompProfiles.allowed(in.profile()).contains(f.name())) {
                continue; // it never made the call: nothing to know
            }
            ArgumentFilters.Known known = ArgumentFilters.fromProfile(in.profile());
            String why = known.whyNot(f.name());
            if (why != null) {
                reason = in.source() + ": " + why;
                break;
            }
            known.values().get(f.name()).forEach(v -> valueSeenIn.merge(v, 1, Integer::sum));
        }
        java.util.SortedSet<Long> values = reason != null ? null : ArgumentFilters.unsignedSet(valueSeenIn.keySet());
        java.util.Optional<List<SeccompRule>> own = ArgumentFilters.rulesFor(f, values, reason, null, warnings);
        own.ifPresent(rules::addAll);
        if (own.isEmpty()) {
            return new ArgCoverage(false, null, reason);
        }
        SortedMap<String, Integer> named = new TreeMap<>();
        if (values == null) {
            return new ArgCoverage(true, null, reason + "; Docker's default rule kept");
        }
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
