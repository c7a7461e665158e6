package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contxray install|uninstall kubernetes} on config.toml: the runtime handler plus NRI and
 * the runc handler's pod_annotations, v2 and v3 layouts, idempotence, backup and exact restore,
 * the user's own tables left alone with a note, refusals; and the shipped snippets in
 * install/kubernetes are what the command writes.
 */
class ContainerdKubernetesConfigTest {
    @TempDir
    Path dir;

    static final String V2 = "version = 2\nroot = \"/var/lib/containerd\"\n\n[plugins]\n  [plugins.\"io.containerd.grpc.v1.cri\"]\n"
            + "    sandbox_image = \"registry.k8s.io/pause:3.9\"\n    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n"
            + "      bin_dir = \"/usr/lib/cni\"\n";
    static final String V3 = "version = 3\n\n[plugins.'io.containerd.cri.v1.images']\n  snapshotter = 'overlayfs'\n";

    ContainerdConfig config(Path f) {
        return new ContainerdConfig(f, "/usr/local/bin/contxray-runc");
    }

    Path write(String text) throws IOException {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void v2HandlerNriAndRuncAnnotationsTwiceUnchangedUninstallRestoresTheBytes() throws Exception {
        Path f = write(V2);
        ContainerdConfig c = config(f);
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        assertEquals(List.of(), c.notes());
        String installed = Files.readString(f);
        assertTrue(installed.startsWith(V2), "the original is kept as it was: " + installed);
        assertTrue(installed.contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.contxray.options]\n"
                + "  BinaryName = \"/usr/local/bin/contxray-runc\"\n"), installed);
        assertTrue(installed.contains("[plugins.\"io.containerd.nri.v1.nri\"]\n  disable = false\n"
                + "  socket_path = \"/var/run/nri/nri.sock\"\n"), installed);
        assertTrue(installed.contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
                + "  runtime_type = \"io.containerd.runc.v2\"\n  pod_annotations = [\"contxray.*\"]\n"), installed);
        assertEquals(V2, Files.readString(c.backup()));

        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.installKubernetes());
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.install(), "the handler block is the same one");
        assertEquals(installed, Files.readString(f));

        assertEquals(ContainerdConfig.Outcome.RESTORED, c.uninstallKubernetes());
        assertEquals(V2, Files.readString(f));
        assertFalse(Files.exists(c.backup()));
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.uninstallKubernetes());
    }

    @Test
    void v3LayoutUsesTheContainerd2TableNames() throws Exception {
        Path f = write(V3);
        ContainerdConfig c = config(f);
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        String installed = Files.readString(f);
        assertTrue(installed.contains("[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.contxray]\n"), installed);
        assertTrue(installed.contains("[plugins.'io.containerd.nri.v1.nri']\n  disable = false\n"), installed);
        assertTrue(installed.contains("[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]\n"), installed);
        assertFalse(installed.contains("io.containerd.grpc.v1.cri"), installed);
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.installKubernetes());
        assertEquals(ContainerdConfig.Outcome.RESTORED, c.uninstallKubernetes());
        assertEquals(V3, Files.readString(f));
    }

    @Test
    void theUsersOwnNriAndRuncTablesAreLeftAloneWithANote() throws Exception {
        String own = V2 + "  [plugins.\"io.containerd.nri.v1.nri\"]\n    disable = true\n    disable_connections = false\n"
                + "  [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n    runtime_type = \"io.containerd.runc.v2\"\n"
                + "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n      SystemdCgroup = true\n";
        Path f = write(own);
        ContainerdConfig c = config(f);
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        String installed = Files.readString(f);
        assertFalse(installed.contains(ContainerdConfig.KUBERNETES_BEGIN), "nothing left to add but the handler: " + installed);
        assertTrue(installed.contains(ContainerdConfig.BEGIN), installed);
        List<String> notes = c.notes();
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("(disable = true), left as they are: set disable = false there"), notes.get(0));
        assertTrue(notes.get(1).contains("runtimes.runc] itself") && notes.get(1).contains("pod_annotations = [\"contxray.*\"]"),
                notes.get(1));
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.installKubernetes());
        assertEquals(2, c.notes().size(), "the notes come again on every install");
        assertEquals(ContainerdConfig.Outcome.RESTORED, c.uninstallKubernetes());
        assertEquals(own, Files.readString(f));
    }

    @Test
    void anEnabledNriTableIsUsedAndOnlyTheMissingPartIsAdded() throws Exception {
        Path f = write(V2 + "[plugins.\"io.containerd.nri.v1.nri\"]\n  disable = false\n  socket_path = \"/var/run/nri/nri.sock\"\n");
        ContainerdConfig c = config(f);
        c.installKubernetes();
        String installed = Files.readString(f);
        assertEquals(1, installed.split("io\\.containerd\\.nri\\.v1\\.nri", -1).length - 1, "one NRI table: " + installed);
        assertTrue(installed.contains("runtimes.runc]\n  runtime_type"), installed);
        assertEquals(1, c.notes().size());
        assertTrue(c.notes().get(0).contains("(disable = false)") && c.notes().get(0).contains("expects socket_path"), c.notes().get(0));

        // the user adds a runc table of their own later: a re-install takes ours out (no table twice)
        Files.writeString(f, installed + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n  runtime_type = \"x\"\n");
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        assertFalse(Files.readString(f).contains(ContainerdConfig.KUBERNETES_BEGIN), Files.readString(f));
    }

    @Test
    void containerdAndKubernetesBlocksComeAndGoSeparately() throws Exception {
        Path f = write(V2);
        ContainerdConfig c = config(f);
        c.install();
        String handlerOnly = Files.readString(f);
        assertFalse(handlerOnly.contains(ContainerdConfig.KUBERNETES_BEGIN));
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        assertTrue(Files.readString(f).startsWith(handlerOnly), "the handler block stays where it was");
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.uninstall(), "uninstall containerd takes the handler only");
        String left = Files.readString(f);
        assertFalse(left.contains(ContainerdConfig.BEGIN));
        assertTrue(left.contains(ContainerdConfig.KUBERNETES_BEGIN));
        assertTrue(Files.exists(c.backup()), "not the original yet: the backup stays");
        assertEquals(ContainerdConfig.Outcome.RESTORED, c.uninstallKubernetes());
        assertEquals(V2, Files.readString(f));
    }

    @Test
    void anOriginalWithoutAFinalNewlineComesBackExactly() throws Exception {
        String text = "version = 2\noom_score = -999";
        Path f = write(text);
        config(f).installKubernetes();
        assertTrue(Files.readString(f).startsWith(text + "\n\n"));
        assertEquals(ContainerdConfig.Outcome.RESTORED, config(f).uninstallKubernetes());
        assertEquals(text, Files.readString(f));
    }

    @Test
    void aMissingFileBecomesAVersion2ConfigWithoutABackup() throws Exception {
        Path f = dir.resolve("etc/containerd/config.toml");
        ContainerdConfig c = config(f);
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.installKubernetes());
        assertTrue(Files.readString(f).startsWith("version = 2\n\n" + ContainerdConfig.BEGIN), Files.readString(f));
        assertFalse(Files.exists(c.backup()));
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.uninstallKubernetes());
        assertEquals("version = 2\n", Files.readString(f));
    }

    @Test
    void refusedUnchangedAndWithoutBackup() throws Exception {
        for (String bad : new String[] {"[plugins.cri]\n  systemd_cgroup = true\n", "version = 1\n", "version = 4\n",
                V2 + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.contxray]\n  runtime_type = \"x\"\n"}) {
            Path f = write(bad);
            ContainerdConfig c = config(f);
            IOException e = assertThrows(IOException.class, c::installKubernetes);
            assertTrue(e.getMessage().contains("nothing changed"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertEquals(bad, Files.readString(f));
            assertFalse(Files.exists(c.backup()));
        }
    }

    @Test
    void aDisabledCriPluginGetsANote() throws Exception {
        Path f = write("version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n");
        ContainerdConfig c = config(f);
        c.installKubernetes();
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("disables the CRI plugin")), c.notes().toString());
        assertNull(new ContainerdConfig(f, "/x").kubernetesBlock(2, "version = 2\n"
                + "[plugins.'io.containerd.nri.v1.nri']\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.'runc']\n"));
    }

    /** install/kubernetes/containerd-config-vN.toml: its comment header, then what the command writes into `version = N`. */
    @Test
    void theShippedSnippetsAreWhatTheCommandWrites() throws Exception {
        for (int v : new int[] {2, 3}) {
            Path snippet = Path.of("..", "install", "kubernetes", "containerd-config-v" + v + ".toml");
            String shipped = Files.readString(snippet);
            String body = shipped.substring(shipped.indexOf("version = " + v + "\n"));
            assertTrue(shipped.substring(0, shipped.indexOf("version = ")).lines().allMatch(l -> l.startsWith("#")), snippet.toString());
            Path f = write("version = " + v + "\n");
            config(f).installKubernetes();
            assertEquals(Files.readString(f), body, snippet + " differs from what `contxray install kubernetes` writes");
        }
    }
}
