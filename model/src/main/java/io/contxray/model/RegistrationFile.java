package io.contxray.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes {@code registration.json}. Mode 0600: it carries the container's annotations,
 * which may hold anything the user put there.
 */
public final class RegistrationFile {
    public static final String PERMS = "rw-------";

    private RegistrationFile() {
    }

    public static Path write(Path containerDir, Registration registration) throws IOException {
        Path file = containerDir.resolve(StateDir.REGISTRATION_JSON);
        AtomicFiles.writeJson(file, registration, PERMS);
        return file;
    }

    /** Reads the registration and checks it belongs to the directory it was found in. */
    public static Registration read(Path containerDir) throws IOException {
        Path file = containerDir.resolve(StateDir.REGISTRATION_JSON);
        Registration r = Json.read(file, Registration.class);
        String dirName = containerDir.getFileName() == null ? "" : containerDir.getFileName().toString();
        if (!r.id().equals(dirName)) {
            throw new IOException("reading " + file + ": id \"" + r.id() + "\" does not match directory \"" + dirName + "\"");
        }
        return r;
    }
}
