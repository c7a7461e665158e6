package io.contxray.analyzer;

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
 */
public final class ProfileMerge {
    /** @param source where one input came from (a container id or a path), for coverage.json */
    public record Input(String source, SeccompProfile profile) {
    }

    /** coverage.json: per syscall, how many of the inputs allowed it. */
    public record Coverage(String schema, int recordings, List<String> sources, SortedMap<String, Integer> seenIn) {
        public static final String SCHEMA = "contxray.coverage/v1";
    }

    public record Result(SeccompProfile profile, Coverage coverage) {
    }

    private ProfileMerge() {
    }

    public static Result merge(List<Input> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Set<String> architectures = new LinkedHashSet<>();
        SortedMap<String, Integer> seenIn = new TreeMap<>();
        List<String> sources = new ArrayList<>();
        for (Input in : inputs) {
            sources.add(in.source());
            architectures.addAll(in.profile().architectures());
            for (String name : SeccompProfiles.allowed(in.profile())) {
                seenIn.merge(name, 1, Integer::sum);
            }
        }
        List<SeccompRule> rules = new ArrayList<>();
        SortedSet<String> names = new java.util.TreeSet<>(seenIn.keySet());
        if (!names.isEmpty()) {
            rules.add(SeccompRule.allow(List.copyOf(names)));
        }
        if (!names.contains("clone3")) {
            rules.add(SeccompRule.errno(List.of("clone3"), SeccompProfileBuilder.ENOSYS));
        }
        SeccompProfile merged = new SeccompProfile(SeccompRule.ERRNO, SeccompProfile.EPERM, List.copyOf(architectures), rules);
        return new Result(merged, new Coverage(Coverage.SCHEMA, inputs.size(), sources, seenIn));
    }

    /** "N/M" per syscall, for printing. */
    public static Map<String, String> fractions(Coverage c) {
        Map<String, String> out = new TreeMap<>();
        c.seenIn().forEach((name, n) -> out.put(name, n + "/" + c.recordings()));
        return out;
    }
}
