package io.contxray.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of a container's OCI bundle (config.json's {@code mounts}), kept in the container's
 * state directory as {@code mounts.json} because the bundle may be gone when the analyzer runs.
 * mounts.json has config.json's own shape ({@code {"mounts": [...]}}), so one parser reads both.
 */
public final class BundleMounts {
    /**
     * Mode 0600: the host paths of a container's volumes are the user's business, like the
     * registration's annotations (report.json only names the ones the container touched).
     */
    public static final String PERMS = "rw-------";

    /**
     * One entry of config.json's mounts; fields the file left out are null (options: empty).
     *
     * @param destination the path inside the container
     * @param type        file system type ("bind", "proc", "tmpfs", ...); null for many bind mounts
     * @param source      the host path of a bind mount, else a name like "proc"
     */
    public record Mount(String destination, String type, String source, List<String> options) {
        public Mount {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** What mounts.json holds: the same shape as config.json's mounts. */
    private record Saved(List<Mount> mounts) {
    }

    private BundleMounts() {
    }

    /**
     * The mounts of an OCI config.json. A missing {@code mounts} array is no mounts.
     *
     * @throws IOException "reading &lt;file&gt;: &lt;reason&gt;" when the file cannot be read or is not
     *                     a config.json (not JSON, mounts or an entry of the wrong type)
     */
    public static List<Mount> fromConfig(Path configJson) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readAllBytes(configJson));
        } catch (IOException e) {
            throw new IOException("reading " + configJson + ": " + Errors.oneLine(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("reading " + configJson + ": not a JSON object");
        }
        JsonNode mounts = root.path("mounts");
        if (mounts.isMissingNode() || mounts.isNull()) {
            return List.of();
        }
        if (!mounts.isArray()) {
            throw new IOException("reading " + configJson + ": \"mounts\" is not an array");
        }
        List<Mount> out = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            if (!m.isObject()) {
                throw new IOException("reading " + configJson + ": mounts[" + i + "] is not an object");
            }
            List<String> options = new ArrayList<>();
            m.path("options").forEach(o -> options.add(o.asText()));
            out.add(new Mount(text(m, "destination"), text(m, "type"), text(m, "source"), options));
        }
        return List.copyOf(out);
    }

    /** Writes {@code <containerDir>/mounts.json} atomically (0600). */
    public static void save(Path containerDir, List<Mount> mounts) throws IOException {
        AtomicFiles.writeJson(containerDir.resolve(StateDir.MOUNTS_JSON), new Saved(mounts), PERMS);
    }

    /**
     * The mounts saved at registration; empty when there is no mounts.json (a recorder from before
     * it existed, or a bundle without a readable config.json).
     */
    public static List<Mount> load(Path containerDir) throws IOException {
        Path file = containerDir.resolve(StateDir.MOUNTS_JSON);
        try {
            return fromConfig(file);
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return List.of();
            }
            throw e;
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
