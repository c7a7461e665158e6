package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutPolicyTest {
    @TempDir
    Path dir;

    @Test
    void firstMatchingRuleWinsWithTagsAndPrefixes() throws Exception {
        Path f = dir.resolve("policy.json");
        Files.writeString(f, "{\"rules\":[{\"image\":\"nginx\",\"profile\":\"web\"},"
                + "{\"image\":\"registry.local/shop/*\",\"profile\":\"shop\",\"mode\":\"complain\"},"
                + "{\"image\":\"redis:7\",\"profile\":\"cache\",\"mode\":\"Record\"}]}");
        RolloutPolicy p = RolloutPolicy.load(f);
        assertEquals("web", p.match("nginx:latest").orElseThrow().profile(), "a missing tag is :latest");
        assertEquals(RolloutAnnotations.Mode.ENFORCE, p.match("nginx").orElseThrow().mode(), "enforce by default");
        assertEquals(Optional.empty(), p.match("nginx:1.27"));
        assertEquals(RolloutAnnotations.Mode.COMPLAIN, p.match("registry.local/shop/cart:2").orElseThrow().mode());
        assertEquals(RolloutAnnotations.Mode.RECORD, p.match("redis:7").orElseThrow().mode());
        assertEquals(Optional.empty(), p.match("redis:6"));
        assertEquals(Optional.empty(), p.match(null), "image unknown: no rule");
    }

    @Test
    void noFileNoPolicyButABrokenOneRefuses() throws Exception {
        assertTrue(RolloutPolicy.load(dir.resolve("missing.json")).isEmpty());
        Map<String, String> cases = Map.of(
                "{\"rules\":", "policy ",
                "[]", "expected {\"rules\": [...]}",
                "{\"rules\":[{\"image\":\"*\",\"profile\":\"p\"}]}", "rules[0]: \"image\" must name an image",
                "{\"rules\":[{\"image\":\"x\",\"profile\":\"../etc\"}]}", "profile name \"../etc\" rejected",
                "{\"rules\":[{\"image\":\"x\",\"profile\":\"p\",\"mode\":\"audit\"}]}", "mode \"audit\" is not record, complain or enforce");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = dir.resolve("policy.json");
            Files.writeString(f, c.getKey());
            PatchException e = assertThrows(PatchException.class, () -> RolloutPolicy.load(f), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()) && e.required() && e.rollout(), e.getMessage());
        }
        assertEquals(RolloutPolicy.DEFAULT_FILE, RolloutPolicy.file(Map.of()));
        assertEquals(Path.of("/x/p.json"), RolloutPolicy.file(Map.of(RolloutPolicy.ENV, "/x/p.json")));
    }
}
