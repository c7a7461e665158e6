package io.contxray.shim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.model.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OCI hooks.d files (format 1.0.0) Podman and CRI-O read: contxray's createRuntime and
 * poststop hooks for containers annotated contxray.record=true|required, the same hook binary
 * and arguments the runtime wrapper writes into config.json.
 */
public final class HooksDir {
    public static final Path DEFAULT = Path.of("/usr/share/containers/oci/hooks.d");
    static final String ANNOTATION_NAME = "^contxray\\.record$";
    static final String ANNOTATION_VALUE = "^(true|required)$";
    private static final ObjectMapper MAPPER = LosslessJson.MAPPER;

    public enum Outcome { CHANGED, UNCHANGED }

    private final Path dir;
    private final String hookBin;

    public HooksDir(Path dir, String hookBin) {
        this.dir = dir;
        this.hookBin = hookBin;
    }

    static String fileName(String stage) {
        return "contxray-" + stage.toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    /** The hooks.d document for one stage. */
    ObjectNode document(String stage, int timeoutSeconds) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("version", "1.0.0");
        ObjectNode hook = doc.putObject("hook");
        hook.put("path", hookBin);
        ArrayNode args = hook.putArray("args");
        HookEntries.args(stage).forEach(args::add);
        hook.put("timeout", timeoutSeconds);
        doc.putObject("when").putObject("annotations").put(ANNOTATION_NAME, ANNOTATION_VALUE);
        doc.putArray("stages").add(stage);
        return doc;
    }

    /** Whether both of contxray's hook files are in the directory. */
    public boolean installed() {
        return Files.isRegularFile(dir.resolve(fileName("createRuntime"))) && Files.isRegularFile(dir.resolve(fileName("poststop")));
    }

    public Outcome install() throws IOException {
        Files.createDirectories(dir);
        boolean changed = false;
        for (var e : List.of(java.util.Map.entry("createRuntime", HookEntries.CREATE_RUNTIME_TIMEOUT_S),
                java.util.Map.entry("poststop", HookEntries.POSTSTOP_TIMEOUT_S))) {
            Path f = dir.resolve(fileName(e.getKey()));
            byte[] want = (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document(e.getKey(), e.getValue())) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            if (Files.exists(f) && java.util.Arrays.equals(Files.readAllBytes(f), want)) {
                continue;
            }
            AtomicFiles.write(f, want, "rw-r--r--");
            changed = true;
        }
        return changed ? Outcome.CHANGED : Outcome.UNCHANGED;
    }

    public Outcome uninstall() throws IOException {
        boolean changed = false;
        for (String stage : List.of("createRuntime", "poststop")) {
            changed |= Files.deleteIfExists(dir.resolve(fileName(stage)));
        }
        return changed ? Outcome.CHANGED : Outcome.UNCHANGED;
    }

    public Path dir() {
        return dir;
    }
}
