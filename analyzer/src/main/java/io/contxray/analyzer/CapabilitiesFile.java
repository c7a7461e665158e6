package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contxray.model.AtomicFiles;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * capabilities.json (schema contxray.capabilities/v1): a capability set ready to deploy, written
 * next to a recorded container's report (from {@link Capabilities}) and by {@code contxray profile
 * --capabilities} (found by removal). Everything is dropped and {@code add} given back.
 *
 * @param container       the recorded container's id (null for an image profile)
 * @param image           the image, when known
 * @param method          how the set was found
 * @param drop            always ["ALL"]
 * @param add             capability names without "CAP_", sorted
 * @param dockerFlags     the same as docker run flags
 * @param ociCapabilities {@code add} with "CAP_", for an OCI process.capabilities bounding,
 *                        effective and permitted set
 * @param details         per added capability: how it was found
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapabilitiesFile(String schema, String container, String image, String method, List<String> drop,
                               List<String> add, String dockerFlags, List<String> ociCapabilities,
                               SortedMap<String, Detail> details) {
    public static final String SCHEMA = "contxray.capabilities/v1";

    /**
     * @param count    checks seen, or calls and events that suggested it; null when not counted
     * @param evidence what showed it was needed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String method, Long count, List<String> evidence) {
    }

    /** The set is {@code details}' keys. */
    public static CapabilitiesFile of(String container, String image, String method, SortedMap<String, Detail> details) {
        List<String> add = List.copyOf(details.keySet());
        return new CapabilitiesFile(SCHEMA, container, image, method, List.of("ALL"), add, dockerFlags(add),
                add.stream().map(c -> "CAP_" + c).toList(), new TreeMap<>(details));
    }

    /** A recorded container's: its report's recommended set. */
    public static CapabilitiesFile of(String container, String image, Capabilities caps) {
        SortedMap<String, Detail> details = new TreeMap<>();
        caps.required().forEach(c -> details.put(c.capability(), new Detail(c.method(), c.count(), c.evidence())));
        return of(container, image, caps.method(), details);
    }

    /** "--cap-drop ALL" followed by one "--cap-add X" per name. */
    public static String dockerFlags(Collection<String> add) {
        StringBuilder sb = new StringBuilder("--cap-drop ALL");
        add.forEach(c -> sb.append(" --cap-add ").append(c));
        return sb.toString();
    }

    /**
     * Reads a capabilities.json; the IOException names the file and what is wrong with it (not
     * JSON, no {@code add} list, a name that is no Linux capability).
     */
    public static CapabilitiesFile read(Path file) throws IOException {
        CapabilitiesFile f;
        try {
            f = io.contxray.model.Json.mapper().readValue(file.toFile(), CapabilitiesFile.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a capabilities file: " + io.contxray.model.Errors.oneLine(e), e);
        }
        if (f.add() == null) {
            throw new IOException(file + ": no \"add\" list");
        }
        for (String c : f.add()) {
            if (c == null || io.contxray.model.CapabilityNames.number(c) < 0) {
                throw new IOException(file + ": \"" + c + "\" is not a Linux capability");
            }
        }
        return f;
    }

    /** The capabilities.json beside a profile's seccomp.json, if there is one (read as {@link #read} does). */
    public static java.util.Optional<CapabilitiesFile> besideProfile(Path seccompJson) throws IOException {
        Path f = seccompJson.resolveSibling(StateDir.CAPABILITIES_JSON);
        return java.nio.file.Files.isRegularFile(f) ? java.util.Optional.of(read(f)) : java.util.Optional.empty();
    }

    /**
     * The union of several sets (e.g. of the recordings merged into one profile): every capability
     * any of them needs, with the first details seen for it.
     */
    public static CapabilitiesFile union(List<CapabilitiesFile> sets) {
        SortedMap<String, Detail> details = new TreeMap<>();
        for (CapabilitiesFile f : sets) {
            for (String c : f.add()) {
                String name = c.toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "");
                Detail d = f.details() == null ? null : f.details().get(c);
                details.putIfAbsent(name, d == null ? new Detail(f.method(), null, List.of()) : d);
            }
        }
        return of(null, null, "union of " + sets.size() + " set(s)", details);
    }

    /** Writes {@code <dir>/capabilities.json} atomically, 0644 like the report. */
    public Path writeTo(Path dir) throws IOException {
        Path file = dir.resolve(StateDir.CAPABILITIES_JSON);
        AtomicFiles.writeJson(file, this, Analyzer.FILE_PERMS);
        return file;
    }
}
