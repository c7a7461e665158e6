package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads a Docker/OCI seccomp profile back, strictly: a profile that would mean something else
 * than contxray's own shape (deny by default, ALLOW and ERRNO rules, argument filters only as
 * ALLOW rules comparing arguments for equality) is refused rather than half understood.
 */
public final class SeccompProfiles {
    private static final Set<String> DENY_ACTIONS = Set.of(SeccompRule.ERRNO, "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_LOG");

    private SeccompProfiles() {
    }

    public static SeccompProfile read(Path file) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        try {
            return parse(raw);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    static SeccompProfile parse(byte[] raw) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(raw);
        } catch (IOException e) {
            throw new IOException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        String defaultAction = root.path("defaultAction").asText("");
        if (!DENY_ACTIONS.contains(defaultAction)) {
            throw new IOException("defaultAction \"" + defaultAction + "\" is not a deny action: not an allow-list profile");
        }
        List<String> architectures = new ArrayList<>();
        for (JsonNode a : root.path("architectures")) {
            architectures.add(a.asText());
        }
        List<SeccompRule> rules = new ArrayList<>();
        for (JsonNode r : root.path("syscalls")) {
            if (r.has("includes") || r.has("excludes")) {
                throw new IOException("rules with includes/excludes are not supported");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode n : r.path("names")) {
                names.add(n.asText());
            }
            String action = r.path("action").asText("");
            List<SeccompRule.Arg> args = args(r.path("args"));
            if (args != null && !SeccompRule.ALLOW.equals(action)) {
                throw new IOException("args are supported in " + SeccompRule.ALLOW + " rules only");
            }
            if (args != null) {
                rules.add(new SeccompRule(names, action, args, null));
            } else if (SeccompRule.ALLOW.equals(action)) {
                rules.add(SeccompRule.allow(names));
            } else if (SeccompRule.ERRNO.equals(action)) {
                rules.add(SeccompRule.errno(names, r.path("errnoRet").asInt(SeccompProfile.EPERM)));
            } else {
                throw new IOException("rule action \"" + action + "\" is not supported");
            }
        }
        return new SeccompProfile(defaultAction, root.path("defaultErrnoRet").asInt(SeccompProfile.EPERM), architectures, rules);
    }

    /**
     * A rule's argument conditions (null when it has none): an argument (0..5) equal to a uint64
     * (SCMP_CMP_EQ), or equal to one under a mask (SCMP_CMP_MASKED_EQ: value the mask, valueTwo the bits).
     */
    private static List<SeccompRule.Arg> args(JsonNode args) throws IOException {
        if (args.isMissingNode() || args.isNull() || args.isArray() && args.isEmpty()) {
            return null;
        }
        if (!args.isArray()) {
            throw new IOException("\"args\" is not a list");
        }
        List<SeccompRule.Arg> out = new ArrayList<>();
        for (JsonNode a : args) {
            JsonNode index = a.path("index");
            String op = a.path("op").asText("");
            boolean masked = SeccompRule.Arg.MASKED_EQ.equals(op);
            if (!SeccompRule.Arg.EQ.equals(op) && !masked) {
                throw new IOException("args: op \"" + op + "\" is not supported (only " + SeccompRule.Arg.EQ + " and "
                        + SeccompRule.Arg.MASKED_EQ + ")");
            }
            if (!index.isIntegralNumber() || index.asInt() < 0 || index.asInt() > 5) {
                throw new IOException("args: " + a + ": index must be 0..5");
            }
            long value = uint64(a, "value");
            long valueTwo = a.has("valueTwo") ? uint64(a, "valueTwo") : 0;
            if (!masked && valueTwo != 0) {
                throw new IOException("args: " + a + ": valueTwo is only used by " + SeccompRule.Arg.MASKED_EQ);
            }
            out.add(masked ? SeccompRule.Arg.maskedEq(index.asInt(), value, valueTwo)
                    : new SeccompRule.Arg(index.asInt(), value, op));
        }
        return out;
    }

    private static long uint64(JsonNode arg, String field) throws IOException {
        JsonNode v = arg.path(field);
        if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().bitLength() > 64) {
            throw new IOException("args: " + arg + ": " + field + " must be an unsigned 64-bit number");
        }
        return v.bigIntegerValue().longValue();
    }

    /** Every name an ALLOW rule lists (also those allowed only for some argument values). */
    public static SortedSet<String> allowed(SeccompProfile p) {
        SortedSet<String> out = new TreeSet<>();
        for (SeccompRule r : p.syscalls()) {
            if (SeccompRule.ALLOW.equals(r.action())) {
                out.addAll(r.names());
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
