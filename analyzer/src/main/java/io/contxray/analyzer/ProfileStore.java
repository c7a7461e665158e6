package io.contxray.analyzer;

import io.contxray.model.AtomicFiles;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Named profiles users roll out: {@code <state>/profiles/<name>/seccomp.json}, and with it
 * optionally the capability set {@code capabilities.json}. A name is a plain
 * file name (letters, digits, '.', '_', '-'; no path), so a hostile annotation value cannot point
 * anywhere else.
 */
public final class ProfileStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path dir;

    public ProfileStore(Path profilesDir) {
        this.dir = profilesDir;
    }

    public static ProfileStore of(StateDir state) {
        return new ProfileStore(state.root().resolve("profiles"));
    }

    public static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("profile name \"" + name + "\" rejected: use letters, digits, '.', '_' and '-' "
                    + "(at most 128, no \"..\")");
        }
    }

    public Path file(String name) {
        validateName(name);
        return dir.resolve(name).resolve(StateDir.SECCOMP_JSON);
    }

    /** The profile named {@code name}; the IOException says which file is missing or broken. */
    public SeccompProfile load(String name) throws IOException {
        Path f = file(name);
        if (!Files.isRegularFile(f)) {
            throw new IOException("no profile \"" + name + "\" (" + f + " does not exist)");
        }
        return SeccompProfiles.read(f);
    }

    /**
     * The capability set stored with profile {@code name}, or empty when the profile has none;
     * the IOException says what is wrong with a file that is there.
     */
    public java.util.Optional<CapabilitiesFile> capabilities(String name) throws IOException {
        return CapabilitiesFile.besideProfile(file(name));
    }

    /** Writes it atomically (0644); returns the file. */
    public Path save(String name, SeccompProfile profile) throws IOException {
        Path f = file(name);
        Files.createDirectories(f.getParent());
        AtomicFiles.writeJson(f, profile, Analyzer.FILE_PERMS);
        return f;
    }
}
