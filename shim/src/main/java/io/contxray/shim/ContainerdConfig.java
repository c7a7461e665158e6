package io.contxray.shim;

import io.contxray.model.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registers the runtime wrapper as a containerd CRI runtime handler ({@code contxray}: the runc v2
 * shim with {@code BinaryName} = contxray-runc, and the {@code contxray.*} pod annotations let
 * through) by appending one marked block to config.toml, in the layout of the file's
 * {@code version} (2: containerd 1.x, 3: containerd 2.x). No TOML is rewritten: everything
 * outside the block keeps its bytes, and uninstall removes exactly the block.
 */
public final class ContainerdConfig {
    static final String BEGIN = "# contxray begin: added by `contxray install containerd`, removed by `contxray uninstall containerd`";
    static final String END = "# contxray end";
    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*version\\s*=\\s*(\\d+)\\s*$");
    private static final Pattern BLOCK = Pattern.compile("\\n?" + Pattern.quote(BEGIN) + "\\n.*?" + Pattern.quote(END) + "\\n",
            Pattern.DOTALL);

    public enum Outcome { CHANGED, UNCHANGED }

    private final Path file;
    private final String binaryName;

    public ContainerdConfig(Path file, String binaryName) {
        this.file = file;
        this.binaryName = binaryName;
    }

    /** The block for a config of this version; an IOException for a version contxray does not know. */
    String block(int version) throws IOException {
        String table = switch (version) {
            case 2 -> "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.contxray";
            case 3 -> "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.contxray";
            default -> throw new IOException(file + ": config version " + version + " is not 2 or 3; nothing changed");
        };
        return BEGIN + "\n"
                + "[" + table + "]\n"
                + "  runtime_type = \"io.containerd.runc.v2\"\n"
                + "  pod_annotations = [\"contxray.*\"]\n"
                + "[" + table + ".options]\n"
                + "  BinaryName = \"" + binaryName + "\"\n"
                + END + "\n";
    }

    public Outcome install() throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int version = version(text);
        String block = block(version);
        Matcher existing = BLOCK.matcher(text);
        String without = existing.find() ? existing.replaceFirst("") : text;
        if (without.contains("runtimes.contxray]") || without.contains("runtimes.contxray.options]")) {
            throw new IOException(file + " already defines a runtime named contxray outside contxray's block; nothing changed");
        }
        String updated = (without.isEmpty() ? "version = " + version + "\n" : without.endsWith("\n") ? without : without + "\n")
                + "\n" + block;
        if (updated.equals(text)) {
            return Outcome.UNCHANGED;
        }
        write(updated);
        return Outcome.CHANGED;
    }

    public Outcome uninstall() throws IOException {
        if (!Files.exists(file)) {
            return Outcome.UNCHANGED;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        if (!m.find()) {
            return Outcome.UNCHANGED;
        }
        write(m.replaceFirst(""));
        return Outcome.CHANGED;
    }

    /** The file's `version = N`; a missing or empty file is a fresh version 2 config. */
    int version(String text) throws IOException {
        Matcher m = VERSION.matcher(text);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (text.isBlank()) {
            return 2;
        }
        throw new IOException(file + " has no `version = 2` or `version = 3` line (a version 1 config?); nothing changed");
    }

    private void write(String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeKeepingMode(file, text.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }
}
