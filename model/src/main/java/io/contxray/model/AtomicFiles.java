package io.contxray.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that readers see either the old or the new content, never a torn one:
 * write a temporary file next to the target, fsync it, set its mode, rename it over the target,
 * fsync the directory. On any failure the temporary file is removed and the old target is left
 * as it was.
 */
public final class AtomicFiles {

    /** Writes the temporary file's content; a seam so tests can fail half way (e.g. ENOSPC). */
    @FunctionalInterface
    interface ContentWriter {
        void write(FileChannel channel, byte[] data) throws IOException;
    }

    static final ContentWriter DEFAULT_WRITER = (channel, data) -> {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    };

    private AtomicFiles() {
    }

    /**
     * Atomically replaces {@code target} with {@code data}.
     *
     * @param posixPerms "rw-r--r--" style or octal ("0644", "644")
     * @throws IOException "writing &lt;target&gt;: &lt;cause&gt;"; the old file is intact
     */
    public static void write(Path target, byte[] data, String posixPerms) throws IOException {
        write(target, data, posixPerms, DEFAULT_WRITER);
    }

    /**
     * As {@link #write(Path, byte[], String)}, keeping the mode of the file it replaces (another
     * program's configuration); {@code permsIfNew} when there is none yet.
     */
    public static void writeKeepingMode(Path target, byte[] data, String permsIfNew) throws IOException {
        String perms;
        try {
            perms = Files.exists(target) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(target)) : permsIfNew;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("writing " + target + ": reading its mode: " + Errors.oneLine(e), e);
        }
        write(target, data, perms);
    }

    /** Pretty-printed JSON of {@code value} (see {@link Json}), written atomically. */
    public static void writeJson(Path target, Object value, String posixPerms) throws IOException {
        write(target, json(target, value), posixPerms);
    }

    /**
     * As {@link #writeJson}, never torn but not forced to disk: for small state written on a hot
     * path, where an fsync would make the file system commit everything else dirty first (on
     * ext4, the tens of MB of an event log: a stall of up to seconds). A crash of the process
     * leaves the old or the new file; a crash of the machine may leave the old one.
     */
    public static void writeJsonUnsynced(Path target, Object value, String posixPerms) throws IOException {
        write(target, json(target, value), posixPerms, DEFAULT_WRITER, false);
    }

    private static byte[] json(Path target, Object value) throws IOException {
        try {
            return Json.prettyBytes(value);
        } catch (IOException e) {
            throw new IOException("writing " + target + ": encoding JSON: " + Errors.oneLine(e), e);
        }
    }

    static void write(Path target, byte[] data, String posixPerms, ContentWriter writer) throws IOException {
        write(target, data, posixPerms, writer, true);
    }

    private static void write(Path target, byte[] data, String posixPerms, ContentWriter writer, boolean sync) throws IOException {
        Set<PosixFilePermission> perms = parsePerms(posixPerms);
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(channel, data);
                if (sync) {
                    channel.force(true);
                }
            }
            Files.setPosixFilePermissions(temp, perms);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException | RuntimeException e) {
            IOException failure = new IOException("writing " + target + ": " + Errors.oneLine(e), e);
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
        if (sync) {
            syncDirectory(dir);
        }
    }

    /** Makes the rename durable. Best effort: the new file is already in place when this runs. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some file systems refuse fsync on a directory; the data itself was synced already.
        }
    }

    static Set<PosixFilePermission> parsePerms(String perms) {
        if (perms == null) {
            throw new IllegalArgumentException("file permissions are null");
        }
        if (perms.matches("0?[0-7]{3}")) {
            int mode = Integer.parseInt(perms, 8);
            StringBuilder sb = new StringBuilder();
            String letters = "rwxrwxrwx";
            for (int bit = 8; bit >= 0; bit--) {
                sb.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
            }
            return PosixFilePermissions.fromString(sb.toString());
        }
        try {
            return PosixFilePermissions.fromString(perms);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file permissions \"" + perms + "\" are neither rwx form nor octal", e);
        }
    }
}
