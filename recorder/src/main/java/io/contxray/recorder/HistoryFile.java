package io.contxray.recorder;

import io.contxray.model.AtomicFiles;
import io.contxray.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The address history on disk, next to the daemon's other state: written whole (temp file and
 * rename) when it changed, read back when the daemon starts, so peers of connections made before
 * a restart are still named after it.
 */
final class HistoryFile {
    static final String NAME = "address-history.json";

    private final Path file;
    private long savedVersion = -1;

    HistoryFile(Path stateRoot) {
        this.file = stateRoot.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** Loads the file into history; a missing file is an empty history, an unreadable one is said and set aside. */
    void load(AddressHistory history, Log log) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            history.restore(Json.mapper().readValue(file.toFile(), AddressHistory.Snapshot.class));
            savedVersion = history.version();
        } catch (IOException | RuntimeException e) {
            log.warn("reading the address history " + file + ": " + e.getMessage() + "; starting without it");
        }
    }

    /** Writes the history if it changed since the last save. */
    synchronized void save(AddressHistory history) throws IOException {
        long version = history.version();
        if (version == savedVersion) {
            return;
        }
        Files.createDirectories(file.getParent());
        AtomicFiles.writeJsonUnsynced(file, history.snapshot(), "rw-------");
        savedVersion = version;
    }
}
