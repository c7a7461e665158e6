package io.contxray.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import io.contxray.model.AtomicFiles;

/**
 * Registers contxray's two runtimes in Docker's daemon.json and removes them again: merged into
 * what is there (every other key and runtime kept, numbers as written), the original backed up
 * once next to it, written atomically, refused when the file does not parse.
 */
public final class DockerDaemonConfig {
    public static final String BACKUP_SUFFIX = ".contxray-backup";

    /** What a call did. */
    public enum Outcome { CHANGED, UNCHANGED, RESTORED }

    private static final ObjectMapper MAPPER = LosslessJson.MAPPER;

    private final Path file;
    private final Map<String, String> runtimes;

    /** @param runtimes runtime name -> wrapper path (contxray -> .../contxray-runc, contxray-record -> ...) */
    public DockerDaemonConfig(Path file, Map<String, String> runtimes) {
        this.file = file;
        this.runtimes = new LinkedHashMap<>(runtimes);
    }

    public static DockerDaemonConfig standard(Path file, Path binDir) {
        return new DockerDaemonConfig(file, Map.of("contxray", binDir.resolve("contxray-runc").toString(),
                "contxray-record", binDir.resolve("contxray-record").toString()));
    }

    public Outcome install() throws IOException {
        ObjectNode root = read();
        JsonNode rt = root.get("runtimes");
        if (rt != null && !rt.isNull() && !rt.isObject()) {
            throw new IOException(file + ": \"runtimes\" is not an object; nothing changed");
        }
        ObjectNode merged = root.deepCopy();
        ObjectNode target = rt == null || rt.isNull() ? merged.putObject("runtimes") : (ObjectNode) merged.get("runtimes");
        runtimes.forEach((name, path) -> target.putObject(name).put("path", path));
        if (merged.equals(root)) {
            return Outcome.UNCHANGED;
        }
        Path backup = backup();
        if (Files.exists(file) && !Files.exists(backup)) {
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        }
        write(merged);
        return Outcome.CHANGED;
    }

    /**
     * Removes our runtimes. When what is left is the backed-up original, the backup's own bytes
     * come back (formatting included) and the backup goes.
     */
    public Outcome uninstall() throws IOException {
        if (!Files.exists(file)) {
            return Outcome.UNCHANGED;
        }
        ObjectNode root = read();
        ObjectNode without = root.deepCopy();
        JsonNode rt = without.get("runtimes");
        if (rt instanceof ObjectNode r) {
            runtimes.keySet().forEach(r::remove);
        }
        Path backup = backup();
        if (Files.exists(backup)) {
            ObjectNode original = parse(Files.readString(backup, StandardCharsets.UTF_8), backup);
            ObjectNode originalWithoutOurs = original.deepCopy();
            if (originalWithoutOurs.get("runtimes") instanceof ObjectNode r) {
                runtimes.keySet().forEach(r::remove);
            }
            if (sameIgnoringEmptyRuntimes(without, originalWithoutOurs)) {
                Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Outcome.RESTORED;
            }
        }
        if (without.equals(root)) {
            return Outcome.UNCHANGED;
        }
        if (without.get("runtimes") instanceof ObjectNode r && r.isEmpty()) {
            without.remove("runtimes");
        }
        write(without);
        return Outcome.CHANGED;
    }

    private static boolean sameIgnoringEmptyRuntimes(ObjectNode a, ObjectNode b) {
        ObjectNode x = a.deepCopy();
        ObjectNode y = b.deepCopy();
        for (ObjectNode n : new ObjectNode[] {x, y}) {
            if (n.get("runtimes") instanceof ObjectNode r && r.isEmpty()) {
                n.remove("runtimes");
            }
        }
        return x.equals(y);
    }

    public Path backup() {
        return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
    }

    private ObjectNode read() throws IOException {
        if (!Files.exists(file)) {
            return MAPPER.createObjectNode();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return MAPPER.createObjectNode();
        }
        return parse(text, file);
    }

    private static ObjectNode parse(String text, Path where) throws IOException {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON (" + e.getOriginalMessage() + "); fix it first, nothing changed");
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IOException(where + " is not a JSON object; fix it first, nothing changed");
        }
        return o;
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeKeepingMode(file, (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }
}
