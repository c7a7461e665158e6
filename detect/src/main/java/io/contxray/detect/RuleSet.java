package io.contxray.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules in force, indexed by the event type each can match (the detector's pre-filter: an
 * event only meets the rules of its type). Immutable; a reload builds a new one.
 *
 * @param sources the files the rules came from, in load order
 */
public record RuleSet(List<Rule> rules, List<String> sources, Map<String, List<Rule>> byType, List<Rule> anyType) {

    public static final RuleSet EMPTY = of(List.of(), List.of());

    /**
     * Later files win: a rule with an id loaded before replaces it in place, {@code enabled:
     * false} removes it.
     */
    public static RuleSet merge(List<List<Rule>> files, List<String> sources) {
        LinkedHashMap<String, Rule> byId = new LinkedHashMap<>();
        for (List<Rule> file : files) {
            for (Rule r : file) {
                if (r.enabled()) {
                    byId.put(r.id(), r);
                } else {
                    byId.remove(r.id());
                }
            }
        }
        return of(List.copyOf(byId.values()), sources);
    }

    private static RuleSet of(List<Rule> rules, List<String> sources) {
        Map<String, List<Rule>> byType = new HashMap<>();
        List<Rule> any = new ArrayList<>();
        for (Rule r : rules) {
            Set<String> types = r.types();
            if (types == null) {
                any.add(r);
            } else {
                types.forEach(t -> byType.computeIfAbsent(t, k -> new ArrayList<>()).add(r));
            }
        }
        Map<String, List<Rule>> frozen = new HashMap<>();
        byType.forEach((t, l) -> frozen.put(t, List.copyOf(l)));
        return new RuleSet(rules, List.copyOf(sources), Map.copyOf(frozen), List.copyOf(any));
    }

    /** The rules an event of this type may match, in load order within each group. */
    List<Rule> candidates(String type) {
        List<Rule> typed = byType.getOrDefault(type, List.of());
        if (anyType.isEmpty()) {
            return typed;
        }
        List<Rule> out = new ArrayList<>(typed);
        out.addAll(anyType);
        return out;
    }

    /** Whether no rule can match an event of this type (the detector then only keeps state). */
    boolean none(String type) {
        return anyType.isEmpty() && !byType.containsKey(type);
    }
}
