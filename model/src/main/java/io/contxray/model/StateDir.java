package io.contxray.model;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The daemon's state directory: {@code <root>/containers/<id>/} holds one container's union
 * report.json, seccomp.json, capabilities.json and coverage.json, and {@code runs/<n>/} one
 * directory per start of it (registration.json, report.json, seccomp.json, events; see {@link Runs}).
 *
 * <p>Directories are created 0755: reports and profiles are meant to be read by whoever starts
 * the next container with them (the docker CLI reads the profile as the calling user). Files that
 * must stay private (registration.json carries the container's annotations) are written 0600 by
 * {@link RegistrationFile}. Existing directories keep the permissions an administrator gave them.
 */
public final class StateDir {
    public static final String ENV = "CONTXRAY_STATE_DIR";
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/contxray");
    public static final String CONTAINERS = "containers";
    public static final String REGISTRATION_JSON = "registration.json";
    public static final String REPORT_JSON = "report.json";
    public static final String SECCOMP_JSON = "seccomp.json";
    /** The bundle's config.json mounts, saved at registration (the bundle may be gone at the end). */
    public static final String MOUNTS_JSON = "mounts.json";
    public static final String CAPABILITIES_JSON = "capabilities.json";

    static final String DIR_PERMS = "rwxr-xr-x";

    private final Path root;

    public StateDir(Path root) {
        if (root == null) {
            throw new IllegalArgumentException("state directory root is null");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    /** $CONTXRAY_STATE_DIR if set and not blank, else /var/lib/contxray. */
    public static StateDir fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static StateDir fromEnvironment(Map<String, String> env) {
        String value = env.get(ENV);
        return new StateDir(value == null || value.isBlank() ? DEFAULT_ROOT : Path.of(value));
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/containers}, created (with the root) if missing. */
    public Path containersDir() throws IOException {
        Path dir = root.resolve(CONTAINERS);
        ensureDirectory(root);
        ensureDirectory(dir);
        return dir;
    }

    /**
     * {@code <root>/containers/<id>}, created if missing. The id is validated and the directory
     * must be a real directory (not a symlink) directly inside the containers directory.
     */
    public Path containerDir(String id) throws IOException {
        Path dir = containerPath(id);
        containersDir();
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("refusing container directory " + dir + ": it is a symlink");
        }
        ensureDirectory(dir);
        Path realParent = dir.getParent().toRealPath();
        Path real = dir.toRealPath();
        if (!real.getParent().equals(realParent)) {
            throw new IOException("container directory " + dir + " resolves to " + real + ", outside " + realParent);
        }
        return dir;
    }

    /** {@code <root>/containers/<id>/runs/<run>}, created (0755) with its parents if missing. */
    public Path runDir(String id, int run) throws IOException {
        Path dir = Runs.dir(containerDir(id), run);
        ensureDirectory(dir.getParent());
        ensureDirectory(dir);
        return dir;
    }

    /** Where {@code id}'s directory is, without touching the file system. */
    public Path containerPath(String id) {
        ContainerId.validate(id);
        Path containers = root.resolve(CONTAINERS);
        Path dir = containers.resolve(id).normalize();
        if (!dir.getParent().equals(containers)) {
            throw new IllegalArgumentException("container id \"" + id + "\" rejected: resolves outside " + containers);
        }
        return dir;
    }

    /** Ids of the existing container directories (ignoring entries that are not valid ids). */
    public List<String> containerIds() throws IOException {
        Path containers = root.resolve(CONTAINERS);
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(containers, LinkOption.NOFOLLOW_LINKS)) {
            return ids;
        }
        try (Stream<Path> entries = Files.list(containers)) {
            entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(ContainerId::isValid)
                    .sorted()
                    .forEach(ids::add);
        } catch (IOException e) {
            throw new IOException("listing " + containers + ": " + Errors.oneLine(e), e);
        }
        return ids;
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_PERMS)));
            // createDirectory applies the umask; set the mode we meant.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(DIR_PERMS));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("creating directory " + dir + ": a non-directory is in the way", e);
            }
        } catch (IOException e) {
            throw new IOException("creating directory " + dir + ": " + Errors.oneLine(e), e);
        }
    }
}
