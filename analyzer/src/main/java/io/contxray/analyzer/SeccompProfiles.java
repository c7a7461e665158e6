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
 * than contxray's own shape (deny by default, ALLOW and ERRNO rules without argument filters) is
 * refused rather than half understood.
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
            if (r.has("args") && r.get("args").size() > 0 || r.has("includes") || r.has("excludes")) {
                throw new IOException("rules with args/includes/excludes are not supported");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode n : r.path("names")) {
                names.add(n.asText());
            }
            String action = r.path("action").asText("");
            if (SeccompRule.ALLOW.equals(action)) {
                rules.add(SeccompRule.allow(names));
            } else if (SeccompRule.ERRNO.equals(action)) {
                rules.add(SeccompRule.errno(names, r.path("errnoRet").asInt(SeccompProfile.EPERM)));
            } else {
                throw new IOException("rule action \"" + action + "\" is not supported");
            }
        }
        return new SeccompProfile(defaultAction, root.path("defaultErrnoRet").asInt(SeccompProfile.EPERM), architectures, rules);
    }

    /** Every name an ALLOW rule lists. */
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
