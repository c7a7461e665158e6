package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchRequestsTest {
    @TempDir
    Path dir;

    PatchRequests patches;

    @org.junit.jupiter.api.BeforeEach
    void patcher() {
        patches = new PatchRequests(new ConfigPatcher("/opt/cx/contxray-hook", new io.contxray.analyzer.ProfileStore(dir.resolve("profiles"))));
    }

    Path bundle(String name, String config) throws Exception {
        Path b = Files.createDirectories(dir.resolve(name));
        Files.writeString(b.resolve("config.json"), config);
        return b;
    }

    @Test
    void patchesAnAnnotatedBundleAndLeavesOthersAlone() throws Exception {
        Path annotated = bundle("a", "{\"annotations\":{\"contxray.record\":\"true\"}}");
        Response r = patches.handle(Request.patch("annotated", annotated.toString()));
        assertTrue(r.ok(), r.error());
        String patched = Files.readString(annotated.resolve("config.json"));
        assertTrue(patched.contains("\"createRuntime\":[{\"path\":\"/opt/cx/contxray-hook\""), patched);

        String plain = "{\"annotations\":{\"other\":\"x\"}}";
        Path other = bundle("o", plain);
        assertTrue(patches.handle(Request.patch("annotated", other.toString())).ok());
        assertEquals(plain, Files.readString(other.resolve("config.json")));
        assertTrue(patches.handle(Request.patch("all", other.toString())).ok());
        assertTrue(Files.readString(other.resolve("config.json")).contains("\"poststop\""));
    }

    /** Found by ShimInputFuzzTest: a NUL in the bundle threw out of the handler, so the client got no answer. */
    @Test
    void aBundleWithANulIsRefusedWithAnAnswer() {
        Response r = patches.handle(Request.patch("all", "/run/x\0y"));
        assertFalse(r.ok());
        assertEquals("patch: bundle is not a path: Nul character not allowed", r.error());
    }

    @Test
    void refusals() throws Exception {
        Path broken = bundle("broken", "{\"annotations\":");
        Response r = patches.handle(Request.patch("all", broken.toString()));
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("patching " + broken.resolve("config.json") + ": not valid JSON"), r.error());
        assertEquals("{\"annotations\":", Files.readString(broken.resolve("config.json")));

        assertTrue(patches.handle(Request.patch("some", broken.toString())).error().contains("mode must be annotated or all"));
        assertTrue(patches.handle(Request.patch("all", "rel/b")).error().contains("absolute path"));
        assertTrue(patches.handle(Request.patch("all", null)).error().contains("absolute path"));
        assertFalse(patches.handle(Request.patch("all", dir.resolve("missing").toString())).ok());
    }
}
