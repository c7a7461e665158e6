package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one or more recordings (their report.json) show the workload used, in the terms of a
 * mandatory access control profile: files per access, capabilities, socket families and types,
 * the syscalls that AppArmor mediates apart (mount, ptrace).
 *
 * @param sources      where the reports came from
 * @param files        every file entry the reports list (all classes)
 * @param filesOmitted file accesses a report counted but could not list (its entry bound)
 * @param capabilities recommended capabilities, as kernel names without CAP_ (CHOWN)
 * @param network      socket family (AppArmor's name: inet, inet6, unix, netlink, ...) -> types
 *                     seen (stream, dgram, raw); an empty set: any type (the family is known, from
 *                     socket()'s argument, but no call showed which type)
 * @param syscalls     syscalls the workload made (under the runtime's filter where the report has it)
 */
public record RecordedAccess(List<String> sources, List<FileUse> files, long filesOmitted, SortedSet<String> capabilities,
                             SortedMap<String, SortedSet<String>> network, SortedSet<String> syscalls) {

    /**
     * @param pathClass one of {@link PathClassifier#CLASSES}
     * @param newPath   rename's and link's target, symlink's content
     */
    public record FileUse(String path, String access, String newPath, String pathClass, boolean truncated) {
    }

    /** The access of a unix socket connect or send by path (the network section's unix entries). */
    public static final String CONNECT = "connect";

    public static RecordedAccess fromReport(String source, JsonNode report) {
        List<FileUse> files = new ArrayList<>();
        JsonNode byClass = report.path("files").path("byClass");
        byClass.fieldNames().forEachRemaining(c -> byClass.get(c).forEach(e -> files.add(new FileUse(e.path("path").asText(),
                e.path("access").asText(), e.hasNonNull("newPath") ? e.get("newPath").asText() : null, c,
                e.path("pathTruncated").asBoolean(false)))));
        // connecting to a unix socket by path is a write to that file for AppArmor
        report.path("network").path("unix").forEach(u -> {
            String path = u.path("path").asText("");
            if (path.startsWith("/")) {
                files.add(new FileUse(path, CONNECT, null, PathClassifier.CONTAINER, false));
            }
        });
        SortedSet<String> caps = new TreeSet<>();
        report.path("capabilities").path("recommended").forEach(c -> caps.add(c.asText()));
        JsonNode calls = report.path("syscallsUnderFilter");
        if (calls.isEmpty()) {
            calls = report.path("syscalls");
        }
        SortedSet<String> syscalls = new TreeSet<>();
        calls.fieldNames().forEachRemaining(syscalls::add);
        return new RecordedAccess(List.of(source), files, report.path("files").path("omitted").asLong(0), caps,
                network(report), syscalls);
    }

    /** Families and types from the network section, then families socket() was called with that showed no type. */
    private static SortedMap<String, SortedSet<String>> network(JsonNode report) {
        SortedMap<String, SortedSet<String>> out = new TreeMap<>();
        JsonNode net = report.path("network");
        for (String tcp : List.of("listening", "outbound", "inbound")) {
            net.path(tcp).forEach(e -> type(out, inetFamily(e), "stream"));
        }
        net.path("datagrams").forEach(e -> {
            String family = inetFamily(e);
            switch (e.path("protocol").asText()) {
                case "udp" -> type(out, family, "dgram");
                case "icmp" -> { // ping sockets are dgram, the classic ones raw
                    type(out, family, "dgram");
                    type(out, family, "raw");
                }
                case "raw" -> type(out, family, "raw");
                default -> out.put(family, new TreeSet<>()); // another protocol: any type
            }
        });
        if (!net.path("unix").isEmpty()) {
            out.put("unix", new TreeSet<>()); // the report does not say stream or dgram
        }
        report.path("argumentValues").path("syscalls").path("socket").path("values").forEach(v -> {
            String name = v.path("name").asText("");
            if (name.startsWith("AF_")) {
                out.putIfAbsent(family(name), new TreeSet<>());
            }
        });
        return out;
    }

    /** AF_INET -> inet; AF_LOCAL is unix. */
    static String family(String afName) {
        String f = afName.substring(3).toLowerCase(Locale.ROOT);
        return "local".equals(f) ? "unix" : f;
    }

    private static String inetFamily(JsonNode e) {
        return "ipv6".equals(e.path("family").asText()) ? "inet6" : "inet";
    }

    private static void type(SortedMap<String, SortedSet<String>> out, String family, String type) {
        SortedSet<String> types = out.get(family);
        if (types == null) {
            out.put(family, new TreeSet<>(List.of(type)));
        } else if (!types.isEmpty()) {
            types.add(type);
        }
    }

    /** Everything any of them used (a family any type in one stays any type). */
    public static RecordedAccess union(List<RecordedAccess> all) {
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no recording to build from");
        }
        List<String> sources = new ArrayList<>();
        List<FileUse> files = new ArrayList<>();
        long omitted = 0;
        SortedSet<String> caps = new TreeSet<>();
        SortedMap<String, SortedSet<String>> network = new TreeMap<>();
        SortedSet<String> syscalls = new TreeSet<>();
        for (RecordedAccess a : all) {
            sources.addAll(a.sources());
            files.addAll(a.files());
            omitted += a.filesOmitted();
            caps.addAll(a.capabilities());
            syscalls.addAll(a.syscalls());
            a.network().forEach((family, types) -> {
                if (types.isEmpty()) {
                    network.put(family, new TreeSet<>());
                } else {
                    types.forEach(t -> type(network, family, t));
                }
            });
        }
        return new RecordedAccess(sources, files, omitted, caps, network, syscalls);
    }
}
