package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Errors;
import io.contxray.model.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a seccomp profile with Docker's default profile (its profiles/seccomp/default.json, in
 * Docker's own format with includes/excludes), rule by rule, for one capability set, architecture
 * and kernel, the way Docker resolves its default: a rule counts when the container holds every
 * capability it includes and none it excludes, the host's architecture is one it includes and
 * none it excludes, and the kernel is at least its minKernel. A syscall the profile allows is
 * wider when Docker's default refuses it, or allows it only with argument conditions that the
 * profile's conditions do not imply.
 */
public final class DockerDefaultComparison {
    /** One of Docker's rules, as it resolves them. */
    record DockerRule(List<String> names, String action, List<SeccompRule.Arg> args, Set<String> includeCaps,
                      Set<String> excludeCaps, Set<String> includeArches, Set<String> excludeArches, String minKernel) {
        boolean applies(Set<String> caps, String goArch, String kernel) {
            return caps.containsAll(includeCaps) && excludeCaps.stream().noneMatch(caps::contains)
                    && (includeArches.isEmpty() || includeArches.contains(goArch)) && !excludeArches.contains(goArch)
                    && (minKernel == null || compareVersions(kernel, minKernel) >= 0);
        }
    }

    /** A syscall where the profile is wider, with what each side allows. */
    public record Finding(String syscall, String profile, String dockerDefault) {
        public String line() {
            return syscall + ": the profile allows it " + profile + ", Docker's default " + dockerDefault;
        }
    }

    private final List<DockerRule> rules;
    private final String defaultAction;

    private DockerDefaultComparison(List<DockerRule> rules, String defaultAction) {
        this.rules = List.copyOf(rules);
        this.defaultAction = defaultAction;
    }

    /** Docker's default.json; a file of another shape is an IOException saying what is wrong. */
    public static DockerDefaultComparison parse(byte[] json) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IOException("not JSON: " + Errors.oneLine(e));
        }
        if (root == null || !root.path("syscalls").isArray() || !root.path("defaultAction").isTextual()) {
            throw new IOException("not a Docker seccomp profile (no defaultAction and syscalls list)");
        }
        List<DockerRule> rules = new ArrayList<>();
        for (JsonNode r : root.get("syscalls")) {
            List<String> names = texts(r.path("names"));
            if (names.isEmpty() && r.path("name").isTextual()) {
                names = List.of(r.get("name").asText());
            }
            List<SeccompRule.Arg> args = new ArrayList<>();
            for (JsonNode a : r.path("args")) {
                args.add(new SeccompRule.Arg(a.path("index").asInt(), a.path("value").bigIntegerValue().longValue(),
                        a.path("valueTwo").bigIntegerValue().longValue(), a.path("op").asText()));
            }
            String min = r.path("includes").path("minKernel").asText(null);
            rules.add(new DockerRule(names, r.path("action").asText(), args, caps(r.path("includes").path("caps")),
                    caps(r.path("excludes").path("caps")), Set.copyOf(texts(r.path("includes").path("arches"))),
                    Set.copyOf(texts(r.path("excludes").path("arches"))), min));
        }
        return new DockerDefaultComparison(rules, root.get("defaultAction").asText());
    }

    /**
     * What Docker's default allows {@code syscall} with: null when it does not; else the
     * alternatives, each a list of conditions all of which must hold (an empty one: any argument).
     */
    List<List<SeccompRule.Arg>> allowed(String syscall, Set<String> caps, String goArch, String kernel) {
        List<List<SeccompRule.Arg>> out = null;
        for (DockerRule r : rules) {
            if (SeccompRule.ALLOW.equals(r.action()) && r.names().contains(syscall) && r.applies(caps, goArch, kernel)) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(r.args());
            }
        }
        return out;
    }

    /**
     * Where {@code profile} allows more than Docker's default for a container with {@code caps}
     * (names without "CAP_") on {@code goArch} (Docker's names: amd64, arm64, ...) and {@code kernel}.
     */
    public List<Finding> wider(SeccompProfile profile, Set<String> caps, String goArch, String kernel) {
        List<Finding> out = new ArrayList<>();
        Set<String> dockerCaps = new HashSet<>();
        caps.forEach(c -> dockerCaps.add(c.startsWith("CAP_") ? c : "CAP_" + c));
        if (SeccompRule.ALLOW.equals(profile.defaultAction()) || "SCMP_ACT_LOG".equals(profile.defaultAction())) {
            out.add(new Finding("(default action)", "with " + profile.defaultAction() + " for every syscall it does not list",
                    "answers them with " + defaultAction));
        }
        SortedMap<String, List<List<SeccompRule.Arg>>> ours = new TreeMap<>();
        for (SeccompRule r : profile.syscalls()) {
            if (SeccompRule.ALLOW.equals(r.action()) || "SCMP_ACT_LOG".equals(r.action())) {
                for (String name : r.names()) {
                    ours.computeIfAbsent(name, n -> new ArrayList<>()).add(r.args() == null ? List.of() : r.args());
                }
            }
        }
        ours.forEach((name, alternatives) -> {
            List<List<SeccompRule.Arg>> docker = allowed(name, dockerCaps, goArch, kernel);
            if (docker == null) {
                out.add(new Finding(name, describe(alternatives), "refuses it"));
                return;
            }
            if (docker.stream().anyMatch(List::isEmpty)) {
                return;
            }
            for (List<SeccompRule.Arg> ourConditions : alternatives) {
                if (docker.stream().noneMatch(d -> implies(ourConditions, d))) {
                    out.add(new Finding(name, describe(List.of(ourConditions)), "allows it only " + describe(docker)));
                    return;
                }
            }
        });
        return out;
    }

    /**
     * The syscalls Docker's default allows only with some capability (for amd64 on a current
     * kernel): per syscall, the capabilities (without "CAP_") any of whose rules needs.
     */
    public Map<String, Set<String>> capabilityGates() {
        Set<String> unconditional = new TreeSet<>();
        for (DockerRule r : rules) {
            if (SeccompRule.ALLOW.equals(r.action()) && r.includeCaps().isEmpty() && r.args().isEmpty()
                    && r.applies(Set.of(), "amd64", "99")) {
                unconditional.addAll(r.names());
            }
        }
        SortedMap<String, Set<String>> out = new TreeMap<>();
        for (DockerRule r : rules) {
            if (SeccompRule.ALLOW.equals(r.action()) && !r.includeCaps().isEmpty() && r.args().isEmpty()
                    && r.includeArches().isEmpty()) {
                for (String name : r.names()) {
                    if (!unconditional.contains(name)) {
                        r.includeCaps().forEach(c -> out.computeIfAbsent(name, n -> new TreeSet<>()).add(c.replaceFirst("^CAP_", "")));
                    }
                }
            }
        }
        return out;
    }

    /** Whether every call {@code ours} lets through also meets every condition of {@code docker}. */
    static boolean implies(List<SeccompRule.Arg> ours, List<SeccompRule.Arg> docker) {
        return docker.stream().allMatch(d -> ours.stream().anyMatch(o -> o.implies(d)));
    }

    private static String describe(List<List<SeccompRule.Arg>> alternatives) {
        List<String> out = new ArrayList<>();
        for (List<SeccompRule.Arg> a : alternatives) {
            if (a.isEmpty()) {
                return "with any argument";
            }
            List<String> c = new ArrayList<>();
            for (SeccompRule.Arg x : a) {
                c.add(SeccompRule.Arg.MASKED_EQ.equals(x.op())
                        ? "(arg" + x.index() + " & 0x" + Long.toHexString(x.value()) + ") == 0x" + Long.toHexString(x.valueTwo() == null ? 0 : x.valueTwo())
                        : "arg" + x.index() + " " + x.op().replace("SCMP_CMP_", "").toLowerCase() + " 0x" + Long.toHexString(x.value()));
            }
            out.add(String.join(" and ", c));
        }
        return "when " + String.join(", or ", out);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> caps(JsonNode array) {
        return Set.copyOf(texts(array));
    }

    /** "6.18.0-foo" against "4.8": numeric parts compared in order (of any length); missing parts are 0. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[^0-9]+", -1);
        String[] y = b.split("[^0-9]+", -1);
        for (int i = 0; i < 2; i++) {
            BigInteger p = i < x.length && !x[i].isEmpty() ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length && !y[i].isEmpty() ? new BigInteger(y[i]) : BigInteger.ZERO;
            if (!p.equals(q)) {
                return p.compareTo(q);
            }
        }
        return 0;
    }
}
