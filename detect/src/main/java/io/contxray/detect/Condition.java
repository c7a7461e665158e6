package io.contxray.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's {@code when}: field tests combined with all/any/not. Evaluated against {@link Facts};
 * nothing in a rule file is ever executed.
 */
sealed interface Condition {
    boolean matches(Facts facts);

    /**
     * The event types this condition can hold for, or null for any: lets the detector skip the
     * rules of other types without evaluating them.
     */
    Set<String> types();

    record All(List<Condition> parts) implements Condition {
        @Override
        public boolean matches(Facts f) {
            for (Condition c : parts) {
                if (!c.matches(f)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Set<String> types() {
            Set<String> out = null;
            for (Condition c : parts) {
                Set<String> t = c.types();
                if (t != null) {
                    out = out == null ? t : intersect(out, t);
                }
            }
            return out;
        }
    }

    record Any(List<Condition> parts) implements Condition {
        @Override
        public boolean matches(Facts f) {
            for (Condition c : parts) {
                if (c.matches(f)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> types() {
            java.util.TreeSet<String> out = new java.util.TreeSet<>();
            for (Condition c : parts) {
                Set<String> t = c.types();
                if (t == null) {
                    return null;
                }
                out.addAll(t);
            }
            return Set.copyOf(out);
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public boolean matches(Facts f) {
            return !inner.matches(f);
        }

        @Override
        public Set<String> types() {
            return null;
        }
    }

    /** A test of one field: holds when any of the field's values passes the operator with any operand. */
    record Test(String field, Op op, List<String> operands, List<Pattern> globs) implements Condition {
        static Test of(String field, Op op, List<String> operands) {
            return new Test(field, op, List.copyOf(operands),
                    op == Op.GLOB ? operands.stream().map(Glob::compile).toList() : List.of());
        }

        @Override
        public boolean matches(Facts f) {
            List<String> values = f.values(field);
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                if (v != null && passes(v)) {
                    return true;
                }
            }
            return false;
        }

        private boolean passes(String v) {
            for (int i = 0; i < operands.size(); i++) {
                String o = operands.get(i);
                boolean ok = switch (op) {
                    case EQUALS -> v.equals(o);
                    case PREFIX -> v.startsWith(o);
                    case UNDER -> under(v, o);
                    case GLOB -> globs.get(i).matcher(v).matches();
                };
                if (ok) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> types() {
            return Fields.TYPE.equals(field) && op == Op.EQUALS ? Set.copyOf(operands) : null;
        }
    }

    enum Op {
        EQUALS("equals"), PREFIX("prefix"), UNDER("under"), GLOB("glob");

        final String yamlName;

        Op(String yamlName) {
            this.yamlName = yamlName;
        }
    }

    /** Whether path is dir or below it, component-wise (/etc covers /etc/x, not /etcd). */
    static boolean under(String path, String dir) {
        if ("/".equals(dir)) {
            return path.startsWith("/");
        }
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        return path.startsWith(d) && (path.length() == d.length() || path.charAt(d.length()) == '/');
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(a);
        out.retainAll(b);
        return Set.copyOf(out);
    }
}
