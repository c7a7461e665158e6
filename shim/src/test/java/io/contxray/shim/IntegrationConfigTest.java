package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** daemon.json and config.toml registration: merge, idempotence, backup, exact restore, refusals. */
class IntegrationConfigTest {
    @TempDir
    Path dir;

    static final String ORIGINAL = "{\n  \"log-level\": \"warn\",\n  \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 18446744073709551615, \"Soft\": 1024}},\n"
            + "  \"runtimes\": {\"nvidia\": {\"path\": \"/usr/bin/nvidia-container-runtime\", \"runtimeArgs\": []}},\n  \"mtu\": 1.50\n}\n";

    DockerDaemonConfig docker(Path f) {
        return DockerDaemonConfig.standard(f, Path.of("/usr/local/bin"));
    }

    @Test
    void dockerInstallKeepsEverythingTwiceIsANoOpUninstallRestoresTheBytes() throws Exception {
        Path f = dir.resolve("daemon.json");
        Files.writeString(f, ORIGINAL);
        assertEquals(DockerDaemonConfig.Outcome.CHANGED, docker(f).install());
        var json = new ObjectMapper().readTree(f.toFile());
        assertEquals("/usr/local/bin/contxray-runc", json.at("/runtimes/contxray/path").asText());
        assertEquals("/usr/local/bin/contxray-record", json.at("/runtimes/contxray-record/path").asText());
        assertEquals("/usr/bin/nvidia-container-runtime", json.at("/runtimes/nvidia/path").asText());
        assertEquals("warn", json.get("log-level").asText());
        String text = Files.readString(f);
        assertTrue(text.contains("18446744073709551615"), "uint64 kept exactly: " + text);
        assertTrue(text.contains("1.50"), text);
        assertEquals(ORIGINAL, Files.readString(docker(f).backup()));

        String installed = Files.readString(f);
        assertEquals(DockerDaemonConfig.Outcome.UNCHANGED, docker(f).install());
        assertEquals(installed, Files.readString(f));

        assertEquals(DockerDaemonConfig.Outcome.RESTORED, docker(f).uninstall());
        assertEquals(ORIGINAL, Files.readString(f));
        assertFalse(Files.exists(docker(f).backup()));
        assertEquals(DockerDaemonConfig.Outcome.UNCHANGED, docker(f).uninstall());
    }

    @Test
    void dockerWithoutAFileAndAfterLaterEdits() throws Exception {
        Path f = dir.resolve("etc/docker/daemon.json");
        assertEquals(DockerDaemonConfig.Outcome.CHANGED, docker(f).install());
        assertFalse(Files.exists(docker(f).backup()), "nothing to back up");
        assertEquals(DockerDaemonConfig.Outcome.CHANGED, docker(f).uninstall());
        assertEquals("{ }", Files.readString(f).strip());

        // someone edits the file after install: uninstall removes only ours and keeps the edit
        Files.writeString(f, ORIGINAL);
        docker(f).install();
        var edited = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(f.toFile());
        edited.put("debug", true);
        Files.writeString(f, edited.toString());
        assertEquals(DockerDaemonConfig.Outcome.CHANGED, docker(f).uninstall());
        var after = new ObjectMapper().readTree(f.toFile());
        assertTrue(after.get("debug").asBoolean());
        assertFalse(after.at("/runtimes").has("contxray"));
        assertTrue(after.at("/runtimes").has("nvidia"));
    }

    @Test
    void dockerRefusesWhatItCannotParse() throws Exception {
        Path f = dir.resolve("daemon.json");
        for (String bad : new String[] {"{\"a\":", "[1]", "{\"runtimes\": [1]}"}) {
            Files.writeString(f, bad);
            IOException e = assertThrows(IOException.class, () -> docker(f).install());
            assertTrue(e.getMessage().contains("nothing changed"), e.getMessage());
            assertEquals(bad, Files.readString(f));
            assertFalse(Files.exists(docker(f).backup()));
        }
    }

    static final String TOML_V2 = "version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"pause:3.9\"\n"
            + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runsc]\n  runtime_type = \"io.containerd.runsc.v1\"\n";

    @Test
    void containerdBlockForV2AndV3IdempotentAndRemovedExactly() throws Exception {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, TOML_V2);
        ContainerdConfig c = new ContainerdConfig(f, "/usr/local/bin/contxray-runc");
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.install());
        String installed = Files.readString(f);
        assertTrue(installed.startsWith(TOML_V2), "the original is kept as it was");
        assertTrue(installed.contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.contxray.options]\n"
                + "  BinaryName = \"/usr/local/bin/contxray-runc\"\n"), installed);
        assertTrue(installed.contains("pod_annotations = [\"contxray.*\"]"), installed);
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.install());
        assertEquals(installed, Files.readString(f));
        assertEquals(TOML_V2, Files.readString(c.backup()), "the original is backed up once");
        assertEquals(ContainerdConfig.Outcome.RESTORED, c.uninstall());
        assertEquals(TOML_V2, Files.readString(f));
        assertFalse(Files.exists(c.backup()));
        assertEquals(ContainerdConfig.Outcome.UNCHANGED, c.uninstall());

        Files.writeString(f, "version = 3\n");
        c.install();
        assertTrue(Files.readString(f).contains("[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.contxray]"));
    }

    @Test
    void containerdRefusals() throws Exception {
        Path f = dir.resolve("config.toml");
        ContainerdConfig c = new ContainerdConfig(f, "/x");
        for (String bad : new String[] {"[plugins.cri]\n", "version = 1\n",
                TOML_V2 + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.contxray]\n  runtime_type = \"x\"\n"}) {
            Files.writeString(f, bad);
            IOException e = assertThrows(IOException.class, c::install);
            assertTrue(e.getMessage().contains("nothing changed"), e.getMessage());
            assertEquals(bad, Files.readString(f));
        }
        Files.delete(f);
        assertEquals(ContainerdConfig.Outcome.CHANGED, c.install());
        assertTrue(Files.readString(f).startsWith("version = 2\n"));
    }
}
