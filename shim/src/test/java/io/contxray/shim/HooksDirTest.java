package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HooksDirTest {
    @TempDir
    Path dir;

    @Test
    void twoHooksDFilesInTheOneDotZeroFormatMatchingTheRecordAnnotation() throws Exception {
        HooksDir h = new HooksDir(dir, "/usr/local/lib/contxray/contxray-hook");
        assertEquals(HooksDir.Outcome.CHANGED, h.install());
        JsonNode create = new ObjectMapper().readTree(dir.resolve("contxray-createruntime.json").toFile());
        assertEquals("1.0.0", create.get("version").asText());
        assertEquals("/usr/local/lib/contxray/contxray-hook", create.at("/hook/path").asText());
        assertEquals("[\"contxray\",\"hook\",\"createRuntime\"]", create.at("/hook/args").toString());
        assertEquals(15, create.at("/hook/timeout").asInt());
        assertEquals("[\"createRuntime\"]", create.get("stages").toString());
        JsonNode poststop = new ObjectMapper().readTree(dir.resolve("contxray-poststop.json").toFile());
        assertEquals("[\"poststop\"]", poststop.get("stages").toString());
        assertEquals(30, poststop.at("/hook/timeout").asInt());

        // the "when" regexes select exactly the annotation values the wrapper records
        var when = create.at("/when/annotations").fields().next();
        assertTrue(Pattern.compile(when.getKey()).matcher("contxray.record").find());
        assertFalse(Pattern.compile(when.getKey()).matcher("contxray.recordx").find());
        for (String v : new String[] {"true", "required"}) {
            assertTrue(Pattern.compile(when.getValue().asText()).matcher(v).find(), v);
        }
        for (String v : new String[] {"false", "truex", ""}) {
            assertFalse(Pattern.compile(when.getValue().asText()).matcher(v).find(), v);
        }

        assertEquals(HooksDir.Outcome.UNCHANGED, h.install());
        assertEquals(HooksDir.Outcome.CHANGED, h.uninstall());
        assertEquals(0, Files.list(dir).count());
        assertEquals(HooksDir.Outcome.UNCHANGED, h.uninstall());
    }
}
