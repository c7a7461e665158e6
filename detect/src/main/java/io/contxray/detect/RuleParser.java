package io.contxray.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one rule file (grammar in the README, "Rules"). Strict: an unknown key, a bad level, an
 * unknown field or operator, a wrong kind of value gives a {@link RuleException} naming the file
 * and line. Safe on any input (the fuzz target).
 *
 * <pre>
 * rules:
 *   - id: NAME                 # letters, digits, . _ -
 *     description: TEXT
 *     level: event | warning | alert
 *     when: CONDITION
 *     except: {images: [GLOB...], names: [GLOB...]}   # optional
 *     enabled: false          # optional: turns off a rule of the same id loaded before
 * CONDITION: a mapping; all of its keys must hold:
 *   all: [CONDITION...] | any: [CONDITION...] | not: CONDITION
 *   FIELD: VALUE | [VALUE...] | {equals|prefix|under|glob: VALUE | [VALUE...]}
 * </pre>
 */
public final class RuleParser {
    static final int MAX_GLOB_STARS = 8;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "level", "when", "except", "enabled");
    private static final Set<String> EXCEPT_KEYS = Set.of("images", "names");

    private final String source;

    private RuleParser(String source) {
        this.source = source;
    }

    /** The rules of one file's text; {@code source} names the file in errors and in each rule. */
    public static List<Rule> parse(String text, String source) throws RuleException {
        Node root = YamlTree.read(text, source);
        RuleParser p = new RuleParser(source);
        if (root == null) {
            return List.of();
        }
        Node.MapNode top = p.map(root, "the file");
        p.onlyKeys(top, Set.of("rules"), "the file");
        Node rules = top.entries().get("rules");
        if (rules == null) {
            throw p.error(top.line(), "no \"rules\" list");
        }
        List<Rule> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node n : p.list(rules, "rules")) {
            Rule r = p.rule(n);
            if (!ids.add(r.id())) {
                throw p.error(n.line(), "rule \"" + r.id() + "\" defined twice in this file");
            }
            out.add(r);
        }
        return out;
    }

    private Rule rule(Node n) throws RuleException {
        Node.MapNode m = map(n, "a rule");
        onlyKeys(m, RULE_KEYS, "a rule");
        String id = text(required(m, "id", "a rule"), "id");
        if (!ID.matcher(id).matches()) {
            throw error(m.entries().get("id").line(), "rule id \"" + id + "\": use 1 to 64 letters, digits, '.', '_', '-'");
        }
        String what = "rule \"" + id + "\"";
        boolean enabled = true;
        if (m.entries().containsKey("enabled")) {
            Node e = m.entries().get("enabled");
            String v = text(e, "enabled");
            if (!v.equals("true") && !v.equals("false")) {
                throw error(e.line(), what + ": enabled must be true or false, not \"" + v + "\"");
            }
            enabled = v.equals("true");
        }
        String source = this.source + ":" + m.line();
        if (!enabled) {
            onlyKeys(m, Set.of("id", "enabled", "description"), what + " with enabled: false");
            return new Rule(id, null, null, null, List.of(), List.of(), false, source);
        }
        String description = text(required(m, "description", what), what + " description");
        Node levelNode = required(m, "level", what);
        Level level = Level.parse(text(levelNode, what + " level"));
        if (level == null) {
            throw error(levelNode.line(), what + ": level must be event, warning or alert, not \"" + text(levelNode, "level") + "\"");
        }
        Condition when = condition(required(m, "when", what), what);
        List<Pattern> images = List.of();
        List<Pattern> names = List.of();
        Node except = m.entries().get("except");
        if (except != null) {
            Node.MapNode em = map(except, what + " except");
            onlyKeys(em, EXCEPT_KEYS, what + " except");
            images = globs(em.entries().get("images"), what + " except.images");
            names = globs(em.entries().get("names"), what + " except.names");
        }
        return new Rule(id, description, level, when, images, names, true, source);
    }

    private Condition condition(Node n, String what) throws RuleException {
        Node.MapNode m = map(n, what + " condition");
        if (m.entries().isEmpty()) {
            throw error(m.line(), what + ": an empty condition");
        }
        List<Condition> parts = new ArrayList<>();
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
            String key = e.getKey();
            Node v = e.getValue();
            int line = m.keyLines().get(key);
            switch (key) {
                case "all", "any" -> {
                    List<Condition> inner = new ArrayList<>();
                    List<Node> items = list(v, what + " " + key);
                    if (items.isEmpty()) {
                        throw error(line, what + ": " + key + " needs at least one condition");
                    }
                    for (Node i : items) {
                        inner.add(condition(i, what));
                    }
                    parts.add(key.equals("all") ? new Condition.All(inner) : new Condition.Any(inner));
                }
                case "not" -> parts.add(new Condition.Not(condition(v, what)));
                default -> parts.add(test(key, v, line, what));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Condition.All(parts);
    }

    private Condition.Test test(String field, Node v, int line, String what) throws RuleException {
        if (!Fields.known(field)) {
            throw error(line, what + ": unknown field \"" + field + "\" (fields: " + String.join(", ", Fields.ALL.keySet())
                    + "; or all, any, not)");
        }
        if (v instanceof Node.MapNode om) {
            if (om.entries().size() != 1) {
                throw error(om.line(), what + ": field \"" + field + "\" takes one operator (equals, prefix, under, glob)");
            }
            Map.Entry<String, Node> op = om.entries().entrySet().iterator().next();
            for (Condition.Op o : Condition.Op.values()) {
                if (o.yamlName.equals(op.getKey())) {
                    List<String> operands = scalars(op.getValue(), what + " " + field + "." + o.yamlName);
                    if (o == Condition.Op.GLOB) {
                        for (String g : operands) {
                            if (g.chars().filter(c -> c == '*').count() > MAX_GLOB_STARS) {
                                throw error(op.getValue().line(), what + ": glob \"" + g + "\" has more than "
                                        + MAX_GLOB_STARS + " '*'");
                            }
                        }
                    }
                    return Condition.Test.of(field, o, operands);
                }
            }
            throw error(om.keyLines().get(op.getKey()), what + ": unknown operator \"" + op.getKey()
                    + "\" for field \"" + field + "\" (equals, prefix, under, glob)");
        }
        return Condition.Test.of(field, Condition.Op.EQUALS, scalars(v, what + " " + field));
    }

    /** A scalar or a non-empty list of scalars, each non-null. */
    private List<String> scalars(Node n, String what) throws RuleException {
        List<Node> items = n instanceof Node.ListNode l ? l.items() : List.of(n);
        if (items.isEmpty()) {
            throw error(n.line(), what + ": an empty list");
        }
        List<String> out = new ArrayList<>();
        for (Node i : items) {
            out.add(text(i, what));
        }
        return out;
    }

    private List<Pattern> globs(Node n, String what) throws RuleException {
        if (n == null) {
            return List.of();
        }
        List<Pattern> out = new ArrayList<>();
        for (String g : scalars(n, what)) {
            out.add(Glob.compile(g));
        }
        return out;
    }

    private String text(Node n, String what) throws RuleException {
        if (n instanceof Node.Scalar s && s.text() != null) {
            return s.text();
        }
        throw error(n.line(), what + ": expected a value, got " + (n instanceof Node.Scalar ? "null" : Node.kind(n)));
    }

    private Node.MapNode map(Node n, String what) throws RuleException {
        if (n instanceof Node.MapNode m) {
            return m;
        }
        throw error(n.line(), what + ": expected a mapping, got " + Node.kind(n));
    }

    private List<Node> list(Node n, String what) throws RuleException {
        if (n instanceof Node.ListNode l) {
            return l.items();
        }
        throw error(n.line(), what + ": expected a list, got " + Node.kind(n));
    }

    private Node required(Node.MapNode m, String key, String what) throws RuleException {
        Node v = m.entries().get(key);
        if (v == null) {
            throw error(m.line(), what + ": missing \"" + key + "\"");
        }
        return v;
    }

    private void onlyKeys(Node.MapNode m, Set<String> allowed, String what) throws RuleException {
        for (Map.Entry<String, Integer> k : m.keyLines().entrySet()) {
            if (!allowed.contains(k.getKey())) {
                throw error(k.getValue(), what + ": unknown key \"" + k.getKey() + "\" (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private RuleException error(int line, String what) {
        return new RuleException(source + ":" + line + ": " + what);
    }
}
