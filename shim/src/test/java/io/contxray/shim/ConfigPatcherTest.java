package io.contxray.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.SeccompProfile;
import io.contxray.analyzer.SeccompRule;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPatcherTest {
    static final String BIN = ConfigPatcher.DEFAULT_HOOK_BIN;
    static final ObjectMapper M = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path dir;

    /** A config.json as Docker writes it (trimmed), with its own prestart hook. */
    static String dockerConfig(String annotations, String hooks) {
        return "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"nginx\",\"-g\",\"daemon off;\"],"
                + "\"env\":[\"PATH=/usr/sbin:/usr/bin\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"]},"
                + "\"oomScoreAdj\":0},\"root\":{\"path\":\"/var/lib/docker/overlay2/x/merged\"},\"hostname\":\"abc\","
                + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]}],"
                + (hooks == null ? "" : "\"hooks\":" + hooks + ",")
                + "\"linux\":{\"resources\":{\"memory\":{\"limit\":18446744073709551615},\"cpu\":{\"shares\":1024,\"quota\":1.50,\"period\":1e3}},"
                + "\"cgroupsPath\":\"/docker/abc\",\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"}]}"
                + (annotations == null ? "" : ",\"annotations\":" + annotations)
                + ",\"zzz\":\"\\u00e9\\u2028 \\\"quoted\\\"\"}";
    }

    static final String DOCKER_HOOKS = "{\"prestart\":[{\"path\":\"/proc/1117/exe\",\"args\":[\"libnetwork-setkey\",\"-exec-root=/var/run/docker\",\"abc\",\"0e1c\"]}],"
            + "\"createRuntime\":[{\"path\":\"/usr/bin/other-hook\"}]}";

    Path write(String json) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, json, StandardCharsets.UTF_8);
        return config;
    }

    static JsonNode read(Path p) throws Exception {
        return M.readTree(Files.readAllBytes(p));
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    ProfileStore store() {
        return new ProfileStore(dir.resolve("profiles"));
    }

    ConfigPatcher patcher() {
        return new ConfigPatcher(BIN, store());
    }

    static final SeccompProfile WEB = new SeccompProfile("SCMP_ACT_ERRNO", 1, List.of("SCMP_ARCH_X86_64"),
            List.of(SeccompRule.allow(List.of("read", "write")), SeccompRule.errno(List.of("clone3"), 38)));

    @Test
    void aPodsSandboxIsNeverPatchedEvenWithThePodsAnnotations() throws Exception {
        store().save("web", WEB);
        for (String type : List.of("\"io.kubernetes.cri.container-type\":\"sandbox\"", "\"io.kubernetes.cri-o.ContainerType\":\"sandbox\"")) {
            Path config = write(dockerConfig("{" + type + ",\"contxray.record\":\"true\",\"contxray.profile\":\"web\"}", null));
            byte[] before = Files.readAllBytes(config);
            assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED, patcher().patch(config, PatchMode.ALL));
            assertArrayEquals(before, Files.readAllBytes(config));
        }
        Path container = write(dockerConfig("{\"io.kubernetes.cri.container-type\":\"container\",\"contxray.record\":\"true\"}", null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(container, PatchMode.ANNOTATED));
    }

    @Test
    void enforceInjectsTheStoredProfileWithoutRecording() throws Exception {
        store().save("web", WEB);
        Path config = write(dockerConfig("{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"web\"}", DOCKER_HOOKS));
        JsonNode before = read(config);
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        JsonNode after = read(config);
        assertEquals(M.valueToTree(WEB), after.at("/linux/seccomp"));
        assertEquals(before.get("hooks"), after.get("hooks"), "enforce alone does not record");
        assertEquals(before.at("/linux/resources"), after.at("/linux/resources"));
        // again: nothing to change
        assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        // a profile name alone means enforce
        Path implicit = write(dockerConfig("{\"contxray.profile\":\"web\"}", null));
        patcher().patch(implicit, PatchMode.ANNOTATED);
        assertEquals("SCMP_ACT_ERRNO", read(implicit).at("/linux/seccomp/defaultAction").asText());
    }

    @Test
    void aNumberPastJacksonsLimitsIsRefusedAndARequiredContainerStaysRequired() throws Exception {
        Path config = write("{\"annotations\":{\"contxray.record\":\"required\"},\"x\":1000000E2147483680}");
        byte[] before = Files.readAllBytes(config);
        PatchException e = org.junit.jupiter.api.Assertions.assertThrows(PatchException.class,
                () -> patcher().patch(config, PatchMode.ANNOTATED));
        assertTrue(e.getMessage().startsWith("not valid JSON: "), e.getMessage());
        assertTrue(e.required(), "found by bench/fuzz.sh: a required container ran unrecorded");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(config));
    }

    @Test
    void enforceInjectsArgumentFiltersWithUnsignedValues() throws Exception {
        SeccompProfile filtered = new SeccompProfile("SCMP_ACT_ERRNO", 1, List.of("SCMP_ARCH_X86_64"), List.of(
                SeccompRule.allow(List.of("read")), SeccompRule.allowIf("personality", new SeccompRule.Arg(0, -1L, "SCMP_CMP_EQ")),
                SeccompRule.allowIf("socket", new SeccompRule.Arg(0, 2, "SCMP_CMP_EQ"))));
        store().save("web", filtered);
        Path config = write(dockerConfig("{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"web\"}", null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        String raw = Files.readString(config);
        assertTrue(raw.contains("{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2,"
                + "\"op\":\"SCMP_CMP_EQ\"}]}"), raw);
        assertTrue(raw.contains("\"value\":18446744073709551615,"), "a uint64, as runc reads it: " + raw);
        assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
    }

    @Test
    void enforceGivesTheProcessExactlyTheStoredCapabilities() throws Exception {
        store().save("web", WEB);
        io.contxray.analyzer.CapabilitiesFile.of(null, null, "test",
                new java.util.TreeMap<>(java.util.Map.of("NET_BIND_SERVICE",
                        new io.contxray.analyzer.CapabilitiesFile.Detail("test", 1L, List.of()))))
                .writeTo(dir.resolve("profiles/web"));
        String withInheritable = dockerConfig("{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"web\"}", null)
                .replace("\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"]}",
                        "\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],"
                                + "\"inheritable\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"]}");
        Path config = write(withInheritable);
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        JsonNode caps = read(config).at("/process/capabilities");
        for (String kind : List.of("bounding", "effective", "permitted", "inheritable")) {
            assertEquals(List.of("CAP_NET_BIND_SERVICE"), M.convertValue(caps.get(kind), List.class), kind);
        }
        assertTrue(caps.get("ambient") == null, "not added where the engine set none");
        assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, patcher().patch(config, PatchMode.ANNOTATED));

        // complain leaves capabilities alone; a broken capabilities.json refuses enforce
        Path complain = write(dockerConfig("{\"contxray.mode\":\"complain\",\"contxray.profile\":\"web\"}", null));
        patcher().patch(complain, PatchMode.ANNOTATED);
        assertEquals(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"),
                M.convertValue(read(complain).at("/process/capabilities/bounding"), List.class));
        Files.writeString(dir.resolve("profiles/web/capabilities.json"), "{\"add\":[\"NOT_A_CAP\"]}");
        Path refused = write(dockerConfig("{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"web\"}", null));
        PatchException e = assertThrows(PatchException.class, () -> patcher().patch(refused, PatchMode.ANNOTATED));
        assertTrue(e.getMessage().contains("\"NOT_A_CAP\" is not a Linux capability") && e.required(), e.getMessage());
    }

    @Test
    void thePolicyRollsOutByImageUnlessTheContainerSaysOtherwise() throws Exception {
        store().save("web", WEB);
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"rules\":[{\"image\":\"nginx:1.27\",\"profile\":\"web\"},"
                + "{\"image\":\"shop/*\",\"profile\":\"web\",\"mode\":\"complain\"}]}");
        java.util.Map<String, String> asked = new java.util.HashMap<>();
        ImageLookup engine = id -> {
            asked.put(id, "asked");
            return "nginx:1.27";
        };
        ConfigPatcher withPolicy = new ConfigPatcher(BIN, store(), policy, engine);
        Path bundle = Files.createDirectories(dir.resolve("c0ffee"));
        Path config = bundle.resolve("config.json");
        Files.writeString(config, dockerConfig(null, null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, withPolicy.patch(config, PatchMode.ANNOTATED));
        assertEquals(M.valueToTree(WEB), read(config).at("/linux/seccomp"));
        assertEquals(java.util.Map.of("c0ffee", "asked"), asked, "the engine is asked by the bundle's name");

        // CRI names the image itself; complain also records
        Files.writeString(config, dockerConfig("{\"io.kubernetes.cri.image-name\":\"shop/cart:2\"}", null));
        withPolicy.patch(config, PatchMode.ANNOTATED);
        assertEquals("SCMP_ACT_LOG", read(config).at("/linux/seccomp/defaultAction").asText());
        assertEquals(BIN, read(config).at("/hooks/createRuntime/0/path").asText());

        // the container's own annotations win; an image no rule names is left alone
        Files.writeString(config, dockerConfig("{\"contxray.mode\":\"record\"}", null));
        assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED, withPolicy.patch(config, PatchMode.ANNOTATED));
        Files.writeString(config, dockerConfig(null, null));
        assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED,
                new ConfigPatcher(BIN, store(), policy, id -> "redis:7").patch(config, PatchMode.ANNOTATED));
        assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED,
                new ConfigPatcher(BIN, store(), policy, ImageLookup.NONE).patch(config, PatchMode.ANNOTATED),
                "image unknown: no rule applies");
    }

    @Test
    void complainInjectsALoggingDefaultAndRecords() throws Exception {
        store().save("web", WEB);
        Path config = write(dockerConfig("{\"contxray.mode\":\"complain\",\"contxray.profile\":\"web\"}", null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        JsonNode after = read(config);
        assertEquals("SCMP_ACT_LOG", after.at("/linux/seccomp/defaultAction").asText());
        assertEquals(M.valueToTree(WEB.syscalls()), after.at("/linux/seccomp/syscalls"));
        assertEquals(BIN, after.at("/hooks/createRuntime/0/path").asText());
        assertEquals(BIN, after.at("/hooks/poststop/0/path").asText());
    }

    @Test
    void aProfileThatCannotBeAppliedRefusesTheContainerAndLeavesTheFile() throws Exception {
        Files.createDirectories(dir.resolve("profiles/broken"));
        Files.writeString(dir.resolve("profiles/broken/seccomp.json"), "{\"defaultAction\":");
        String[][] cases = {
            {"{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"missing\"}", "contxray.profile=missing: no profile \"missing\""},
            {"{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"broken\"}", "contxray.profile=broken: "},
            {"{\"contxray.mode\":\"enforce\",\"contxray.profile\":\"../../etc\"}", "rejected"},
            {"{\"contxray.mode\":\"enforce\"}", "contxray.mode=enforce needs contxray.profile=<name>"},
            {"{\"contxray.mode\":\"audit\",\"contxray.profile\":\"web\"}", "contxray.mode=audit is not record, complain or enforce"},
        };
        for (String[] c : cases) {
            String json = dockerConfig(c[0], null);
            Path config = write(json);
            PatchException e = assertThrows(PatchException.class, () -> patcher().patch(config, PatchMode.ALL), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.required() && e.rollout(), "must not run without its profile: " + c[0]);
            assertEquals(json, Files.readString(config));
        }
        // an unparsable config asking for enforce must not run unpatched either
        Path config = write("{\"annotations\":{\"contxray.mode\": \"Enforce\"},");
        assertTrue(assertThrows(PatchException.class, () -> patcher().patch(config, PatchMode.ANNOTATED)).required());
    }

    @Test
    void appendsAfterExistingHooksAndKeepsEverythingElse() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\"true\",\"org.example\":\"1\"}", DOCKER_HOOKS));
        JsonNode before = read(config);
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        JsonNode after = read(config);

        JsonNode hooks = after.get("hooks");
        assertEquals(before.get("hooks").get("prestart"), hooks.get("prestart"));
        assertEquals(2, hooks.get("createRuntime").size());
        assertEquals("/usr/bin/other-hook", hooks.get("createRuntime").get(0).get("path").asText());
        assertEquals(M.readTree("{\"path\":\"" + BIN + "\",\"args\":[\"contxray\",\"hook\",\"createRuntime\"],\"timeout\":15}"),
                hooks.get("createRuntime").get(1));
        assertEquals(M.readTree("[{\"path\":\"" + BIN + "\",\"args\":[\"contxray\",\"hook\",\"poststop\"],\"timeout\":30}]"),
                hooks.get("poststop"));
        assertEquals(List.of("prestart", "createRuntime", "poststop"), fieldNames(hooks));

        // Everything but hooks: same values, same order, numbers as written.
        ObjectNode b = before.deepCopy();
        ObjectNode a = after.deepCopy();
        b.remove("hooks");
        a.remove("hooks");
        assertEquals(b, a);
        assertEquals(fieldNames(before), fieldNames(after));
        String text = Files.readString(config);
        assertTrue(text.contains("\"limit\":18446744073709551615"), text);
        assertTrue(text.contains("\"quota\":1.50,\"period\":1E+3"), text);
        assertEquals("é\u2028 \"quoted\"", after.get("zzz").asText());
    }

    @Test
    void createsTheHooksObject() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\"required\"}", null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        JsonNode hooks = read(config).get("hooks");
        assertEquals(List.of("createRuntime", "poststop"), fieldNames(hooks));
        assertEquals(1, hooks.get("createRuntime").size());
        assertEquals("hooks", fieldNames(read(config)).get(fieldNames(read(config)).size() - 1));

        Path nullHooks = write(dockerConfig("{\"contxray.record\":\"true\"}", "null"));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(nullHooks, PatchMode.ANNOTATED));
        assertEquals(1, read(nullHooks).get("hooks").get("poststop").size());
    }

    @Test
    void idempotent() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\"true\"}", DOCKER_HOOKS));
        patcher().patch(config, PatchMode.ANNOTATED);
        byte[] once = Files.readAllBytes(config);
        assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
        assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, new ConfigPatcher("/opt/other/contxray", store()).patch(config, PatchMode.ALL));
        assertArrayEquals(once, Files.readAllBytes(config));
    }

    @Test
    void leavesUnannotatedAndFalseAlone() throws Exception {
        for (String ann : new String[] {null, "{}", "{\"contxray.record\":\"false\"}", "{\"contxray.record\":\"yes\"}",
                "{\"contxray.record\":true}"}) {
            String json = dockerConfig(ann, DOCKER_HOOKS);
            Path config = write(json);
            Files.setLastModifiedTime(config, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
            assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED, patcher().patch(config, PatchMode.ANNOTATED), String.valueOf(ann));
            assertEquals(json, Files.readString(config));
            assertEquals(1_000_000_000L, Files.getLastModifiedTime(config).toMillis());
        }
    }

    @Test
    void modeAllPatchesEveryContainer() throws Exception {
        for (String ann : new String[] {null, "{\"contxray.record\":\"false\"}"}) {
            Path config = write(dockerConfig(ann, null));
            assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ALL));
            assertEquals(1, read(config).get("hooks").get("createRuntime").size());
        }
    }

    @Test
    void annotationValueIsCaseAndSpaceInsensitive() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\" True \"}", null));
        assertEquals(ConfigPatcher.Outcome.PATCHED, patcher().patch(config, PatchMode.ANNOTATED));
    }

    @Test
    void keepsFileMode() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\"true\"}", null));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        patcher().patch(config, PatchMode.ANNOTATED);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertNoTempFiles();
    }

    @Test
    void unparsableConfigIsAnErrorAndUnchanged() throws Exception {
        String broken = "{\"annotations\":{\"contxray.record\": \"required\"}, \"process\": {";
        Path config = write(broken);
        PatchException e = assertThrows(PatchException.class, () -> patcher().patch(config, PatchMode.ALL));
        assertTrue(e.getMessage().startsWith("not valid JSON: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.required());
        assertEquals(broken, Files.readString(config));

        Path optional = write("{\"annotations\":{\"contxray.record\":\"true\"},");
        assertFalse(assertThrows(PatchException.class, () -> patcher().patch(optional, PatchMode.ANNOTATED)).required());

        Path array = write("[1,2]");
        PatchException notObject = assertThrows(PatchException.class, () -> patcher().patch(array, PatchMode.ALL));
        assertEquals("not a JSON object", notObject.getMessage());
        assertEquals("[1,2]", Files.readString(array));
        assertNoTempFiles();
    }

    @Test
    void wrongHooksShapeIsAnErrorAndUnchanged() throws Exception {
        String json = dockerConfig("{\"contxray.record\":\"required\"}", "{\"poststop\":{\"path\":\"/x\"}}");
        Path config = write(json);
        PatchException e = assertThrows(PatchException.class, () -> patcher().patch(config, PatchMode.ANNOTATED));
        assertEquals("\"hooks.poststop\" is not an array", e.getMessage());
        assertTrue(e.required());
        assertEquals(json, Files.readString(config));

        Path list = write(dockerConfig("{\"contxray.record\":\"true\"}", "[]"));
        PatchException notObject = assertThrows(PatchException.class, () -> patcher().patch(list, PatchMode.ANNOTATED));
        assertEquals("\"hooks\" is not an object", notObject.getMessage());
        assertFalse(notObject.required());
    }

    @Test
    void missingConfigOrBundle() {
        PatchException noFile = assertThrows(PatchException.class, () -> patcher().patch(dir.resolve("config.json"), PatchMode.ALL));
        assertEquals("no such file", noFile.getMessage());
        assertFalse(noFile.required());
        PatchException noDir = assertThrows(PatchException.class,
                () -> patcher().patch(dir.resolve("gone").resolve("config.json"), PatchMode.ALL));
        assertEquals("bundle directory " + dir.resolve("gone") + " does not exist", noDir.getMessage());
    }

    @Test
    void hookBinFromEnvironment() throws Exception {
        Path config = write(dockerConfig("{\"contxray.record\":\"true\"}", null));
        ConfigPatcher.fromEnvironment(java.util.Map.of("CONTXRAY_HOOK_BIN", "/opt/cx/contxray")).patch(config, PatchMode.ANNOTATED);
        assertEquals("/opt/cx/contxray", read(config).get("hooks").get("poststop").get(0).get("path").asText());
        Path other = dir.resolve("o");
        Files.createDirectory(other);
        Path c2 = other.resolve("config.json");
        Files.writeString(c2, "{}");
        ConfigPatcher.fromEnvironment(java.util.Map.of()).patch(c2, PatchMode.ALL);
        assertEquals(ConfigPatcher.DEFAULT_HOOK_BIN, read(c2).get("hooks").get("poststop").get(0).get("path").asText());
    }

    private void assertNoTempFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("config.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
