package io.contxray.shim;

import io.contxray.model.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * contxray's part of containerd's config.toml, as marked blocks appended in the layout of the
 * file's {@code version} (2: containerd 1.x, 3: containerd 2.x). No TOML is rewritten: everything
 * outside the blocks keeps its bytes, the original is backed up once next to the file, and
 * uninstall removes exactly the blocks (the backup's bytes come back when nothing else changed).
 * <ul>
 * <li>{@code install containerd}: the CRI runtime handler {@code contxray} (the runc v2 shim with
 * {@code BinaryName} = contxray-runc, the {@code contxray.*} pod annotations let through).
 * <li>{@code install kubernetes}: that handler, plus a second block that enables NRI on
 * {@code /var/run/nri/nri.sock} (where contxray's NRI plugin connects) and lets the
 * {@code contxray.*} pod annotations through on the default {@code runc} handler, each only when
 * the file does not have that table itself: a table of the user's own is left alone and a
 * {@link #notes() note} says what to check in it (TOML forbids a table defined twice).
 * </ul>
 */
public final class ContainerdConfig {
    static final String BEGIN = "# contxray begin: added by `contxray install containerd`, removed by `contxray uninstall containerd`";
    static final String KUBERNETES_BEGIN = "# contxray begin: added by `contxray install kubernetes`, removed by `contxray uninstall kubernetes`";
    static final String END = "# contxray end";
    public static final String NRI_SOCKET = "/var/run/nri/nri.sock";
    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*version\\s*=\\s*(\\d+)\\s*$");
    private static final Pattern HANDLER_BLOCK = block(BEGIN);
    private static final Pattern KUBERNETES_BLOCK = block(KUBERNETES_BEGIN);
    /** A non-comment line naming the NRI plugin (its table header or a dotted key). */
    private static final Pattern NRI_TABLE = Pattern.compile("(?m)^[ \\t]*[^#\\n]*[\"']io\\.containerd\\.nri\\.v1\\.nri[\"']");
    private static final Pattern DISABLE = Pattern.compile("(?m)^[^#\\n]*\\bdisable\\s*=\\s*(true|false)\\b");
    private static final Pattern NEXT_TABLE = Pattern.compile("\\n[ \\t]*\\[");
    private static final Pattern CRI_DISABLED = Pattern.compile(
            "(?m)^\\s*disabled_plugins\\s*=\\s*\\[[^\\]]*[\"'](cri|io\\.containerd\\.grpc\\.v1\\.cri|io\\.containerd\\.cri\\.v1\\.runtime)[\"']");

    public enum Outcome { CHANGED, UNCHANGED, RESTORED }

    private final Path file;
    private final String binaryName;
    private final List<String> notes = new ArrayList<>();

    public ContainerdConfig(Path file, String binaryName) {
        this.file = file;
        this.binaryName = binaryName;
    }

    private static Pattern block(String begin) {
        return Pattern.compile("\\n?" + Pattern.quote(begin) + "\\n.*?" + Pattern.quote(END) + "\\n", Pattern.DOTALL);
    }

    /** The CRI plugin's table in this layout; an IOException for a version contxray does not know. */
    private String cri(int version) throws IOException {
        return switch (version) {
            case 2 -> "plugins.\"io.containerd.grpc.v1.cri\"";
            case 3 -> "plugins.'io.containerd.cri.v1.runtime'";
            default -> throw new IOException(file + ": config version " + version + " is not 2 or 3; nothing changed");
        };
    }

    private static String nriTable(int version) {
        return version == 2 ? "plugins.\"io.containerd.nri.v1.nri\"" : "plugins.'io.containerd.nri.v1.nri'";
    }

    /** The runtime handler block for a config of this version. */
    String block(int version) throws IOException {
        String table = cri(version) + ".containerd.runtimes.contxray";
        return BEGIN + "\n"
                + "[" + table + "]\n"
                + "  runtime_type = \"io.containerd.runc.v2\"\n"
                + "  pod_annotations = [\"contxray.*\"]\n"
                + "[" + table + ".options]\n"
                + "  BinaryName = \"" + binaryName + "\"\n"
                + END + "\n";
    }

    /**
     * The Kubernetes block for a config of this version whose own text (without contxray's
     * blocks) is {@code others}: null when that text already has both tables; the notes say
     * what was left to the user.
     */
    String kubernetesBlock(int version, String others) throws IOException {
        StringBuilder b = new StringBuilder();
        Matcher nri = NRI_TABLE.matcher(others);
        if (nri.find()) {
            notes.add(nriNote(version, others.substring(nri.start())));
        } else {
            b.append('[').append(nriTable(version)).append("]\n")
                    .append("  disable = false\n")
                    .append("  socket_path = \"").append(NRI_SOCKET).append("\"\n");
        }
        String runc = cri(version) + ".containerd.runtimes.runc";
        if (definesRunc(version, others)) {
            notes.add("this file defines [" + runc + "] itself, left as it is: add pod_annotations = [\"contxray.*\"] to it "
                    + "so that contxray.* pod annotations reach pods of the default runtime");
        } else {
            b.append('[').append(runc).append("]\n")
                    .append("  runtime_type = \"io.containerd.runc.v2\"\n")
                    .append("  pod_annotations = [\"contxray.*\"]\n");
        }
        if (CRI_DISABLED.matcher(others).find()) {
            notes.add("this file disables the CRI plugin (disabled_plugins): Kubernetes, and so NRI's pods, need it enabled");
        }
        return b.isEmpty() ? null : KUBERNETES_BEGIN + "\n" + b + END + "\n";
    }

    /** What the user's own NRI table (the text from its first mention on) says about disable. */
    private static String nriNote(int version, String from) {
        Matcher next = NEXT_TABLE.matcher(from);
        Matcher d = DISABLE.matcher(next.find(1) ? from.substring(0, next.start()) : from);
        String disable = d.find() ? d.group(1) : null;
        String state = disable != null ? "disable = " + disable
                : "no disable line: NRI is " + (version == 2 ? "off by default in containerd 1.x" : "on by default in containerd 2.x");
        boolean on = "false".equals(disable) || disable == null && version == 3;
        return "this file has its own [" + nriTable(version) + "] settings (" + state + "), left as they are: "
                + (on ? "contxray's NRI plugin expects socket_path " : "set disable = false there for contxray's NRI plugin (socket_path ")
                + NRI_SOCKET + (on ? "" : ")");
    }

    private static boolean definesRunc(int version, String others) {
        String id = version == 2 ? "io\\.containerd\\.grpc\\.v1\\.cri" : "io\\.containerd\\.cri\\.v1\\.runtime";
        return Pattern.compile("(?m)^[ \\t]*\\[\\s*plugins\\.[\"']" + id + "[\"']\\.containerd\\.runtimes\\.([\"']?)runc\\1\\s*[\\].]")
                .matcher(others).find();
    }

    /** What the last install or uninstall left to the user, one line each. */
    /** What contxray registered in a config.toml's text: the handler block, the Kubernetes (NRI) block. */
    public record Registered(boolean handler, boolean kubernetes) {
    }

    public static Registered registered(String configText) {
        return new Registered(HANDLER_BLOCK.matcher(configText).find(), KUBERNETES_BLOCK.matcher(configText).find());
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public Path backup() {
        return file.resolveSibling(file.getFileName() + DockerDaemonConfig.BACKUP_SUFFIX);
    }

    /** {@code install containerd}: the runtime handler block. */
    public Outcome install() throws IOException {
        return install(false);
    }

    /** {@code install kubernetes}: the runtime handler block and the NRI/pod_annotations block. */
    public Outcome installKubernetes() throws IOException {
        return install(true);
    }

    /** {@code uninstall containerd}: the runtime handler block goes. */
    public Outcome uninstall() throws IOException {
        return uninstall(false);
    }

    /** {@code uninstall kubernetes}: both blocks go. */
    public Outcome uninstallKubernetes() throws IOException {
        return uninstall(true);
    }

    private Outcome install(boolean kubernetes) throws IOException {
        notes.clear();
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int version = version(text);
        String others = KUBERNETES_BLOCK.matcher(HANDLER_BLOCK.matcher(text).replaceFirst("")).replaceFirst("");
        if (others.contains("runtimes.contxray]") || others.contains("runtimes.contxray.options]")) {
            throw new IOException(file + " already defines a runtime named contxray outside contxray's block; nothing changed");
        }
        String updated = others.isBlank() ? "version = " + version + "\n" : text;
        updated = put(updated, HANDLER_BLOCK, block(version));
        if (kubernetes) {
            updated = put(updated, KUBERNETES_BLOCK, kubernetesBlock(version, others));
        }
        if (updated.equals(text)) {
            return Outcome.UNCHANGED;
        }
        Path backup = backup();
        if (!others.isBlank() && Files.exists(file) && !Files.exists(backup)) {
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        }
        write(updated);
        return Outcome.CHANGED;
    }

    private Outcome uninstall(boolean kubernetes) throws IOException {
        notes.clear();
        if (!Files.exists(file)) {
            return Outcome.UNCHANGED;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String updated = put(text, HANDLER_BLOCK, null);
        if (kubernetes) {
            updated = put(updated, KUBERNETES_BLOCK, null);
        }
        if (updated.equals(text)) {
            return Outcome.UNCHANGED;
        }
        Path backup = backup();
        if (Files.exists(backup)) {
            String original = Files.readString(backup, StandardCharsets.UTF_8);
            // install ends an original without a final newline with one before its block
            if (updated.equals(original) || updated.equals(original + "\n")) {
                Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Outcome.RESTORED;
            }
        }
        write(updated);
        return Outcome.CHANGED;
    }

    /**
     * {@code text} with the marked block {@code existing} matches replaced in place by
     * {@code block}, or {@code block} appended after a blank line; removed when {@code block} is null.
     */
    private static String put(String text, Pattern existing, String block) {
        Matcher m = existing.matcher(text);
        if (m.find()) {
            String lead = m.group().startsWith("\n") ? "\n" : "";
            return text.substring(0, m.start()) + (block == null ? "" : lead + block) + text.substring(m.end());
        }
        if (block == null) {
            return text;
        }
        return (text.endsWith("\n") ? text : text + "\n") + "\n" + block;
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
