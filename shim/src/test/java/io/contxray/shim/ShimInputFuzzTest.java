package io.contxray.shim;

import static io.contxray.model.fuzz.Fuzz.assertOneLine;
import static io.contxray.model.fuzz.Fuzz.bounded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contxray.analyzer.ProfileStore;
import io.contxray.model.StateDir;
import io.contxray.model.fuzz.Fuzz;
import io.contxray.model.fuzz.Fuzz.Mutation;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes what the runtime wrapper reads from others: a bundle's config.json (patched in place) and
 * the host's rollout policy. Any bytes give an outcome or one PatchException line; a refused
 * config.json is left byte for byte as it was; a patched one keeps every field it had.
 */
class ShimInputFuzzTest {
    private static final ObjectMapper JSON = LosslessJson.MAPPER;

    @Property
    void arbitraryConfigBytesArePatchedOrRefusedInOneLine(@ForAll @Size(max = 600) byte[] config, @ForAll PatchMode mode)
            throws IOException {
        patchesOrRefuses(config, mode);
    }

    @Property
    void mutatedConfigsArePatchedOrRefusedInOneLine(@ForAll("configs") Map<String, Object> config, @ForAll PatchMode mode,
                                                   @ForAll("mutations") List<Mutation> mutations) throws IOException {
        patchesOrRefuses(Mutation.apply(mutations, JSON.writeValueAsBytes(config)), mode);
    }

    /** A valid config (not a pod sandbox) keeps every field it had, gets both hooks, and a second patch changes nothing. */
    @Property
    void generatedConfigsKeepTheirFieldsAndArePatchedOnce(@ForAll("configs") Map<String, Object> config) throws Exception {
        Path dir = Files.createTempDirectory("cx-fuzz");
        try {
            Path file = dir.resolve("config.json");
            byte[] written = JSON.writeValueAsBytes(config);
            Files.write(file, written);
            ConfigPatcher patcher = patcher(dir);
            JsonNode before = JSON.readTree(written);
            if (ConfigPatcher.isPodSandbox(before)) { // the pod's pause container: never recorded
                assertEquals(ConfigPatcher.Outcome.NOT_REQUESTED, patcher.patch(file, PatchMode.ALL));
                assertArrayEquals(written, Files.readAllBytes(file));
                return;
            }
            assertEquals(ConfigPatcher.Outcome.PATCHED, patcher.patch(file, PatchMode.ALL));
            JsonNode after = JSON.readTree(file.toFile());
            before.fieldNames().forEachRemaining(f -> {
                if (!f.equals("hooks")) {
                    assertEquals(before.get(f), after.get(f), f);
                }
            });
            assertTrue(after.path("hooks").path("createRuntime").size() >= 1);
            assertTrue(after.path("hooks").path("poststop").size() >= 1);
            byte[] once = Files.readAllBytes(file);
            assertEquals(ConfigPatcher.Outcome.ALREADY_PATCHED, patcher.patch(file, PatchMode.ALL));
            assertArrayEquals(once, Files.readAllBytes(file));
        } finally {
            delete(dir);
        }
    }

    /** The daemon's side of the native wrapper client: any mode and bundle get an answer, an error in one line. */
    @Property
    void theDaemonAnswersEveryPatchRequestInOneLine(@ForAll("bundles") String bundle, @ForAll("modes") String mode) throws IOException {
        Path dir = Files.createTempDirectory("cx-fuzz");
        try {
            PatchRequests requests = new PatchRequests(patcher(dir));
            bounded(() -> {
                Response r = requests.handle(Request.patch(mode, bundle));
                assertTrue(r.ok() || !r.error().contains("\n"), r.error());
            });
        } finally {
            delete(dir);
        }
    }

    @Property
    void arbitraryPolicyBytesAreAPolicyOrOneLineRefusal(@ForAll @Size(max = 600) byte[] policy) throws IOException {
        loadsOrRefuses(policy);
    }

    @Property
    void mutatedPoliciesAreAPolicyOrOneLineRefusal(@ForAll("policies") List<RolloutPolicy.Rule> rules,
                                                  @ForAll("mutations") List<Mutation> mutations) throws IOException {
        loadsOrRefuses(Mutation.apply(mutations, policyBytes(rules)));
    }

    @Property
    void generatedPoliciesAreReadAsWritten(@ForAll("policies") List<RolloutPolicy.Rule> rules) throws Exception {
        Path dir = Files.createTempDirectory("cx-fuzz");
        try {
            Path file = dir.resolve("policy.json");
            Files.write(file, policyBytes(rules));
            assertEquals(rules, RolloutPolicy.load(file).rules());
        } finally {
            delete(dir);
        }
    }

    private static void patchesOrRefuses(byte[] config, PatchMode mode) throws IOException {
        Path dir = Files.createTempDirectory("cx-fuzz");
        try {
            Path file = dir.resolve("config.json");
            Files.write(file, config);
            bounded(() -> {
                try {
                    ConfigPatcher.Outcome outcome = patcher(dir).patch(file, mode);
                    if (outcome == ConfigPatcher.Outcome.PATCHED) {
                        assertTrue(JSON.readTree(file.toFile()).path("hooks").isObject(), "patched without hooks");
                    } else {
                        assertArrayEquals(config, Files.readAllBytes(file), outcome + " changed the file");
                    }
                } catch (PatchException e) {
                    assertOneLine(e);
                    assertArrayEquals(config, Files.readAllBytes(file), "refused, yet the file changed");
                }
            });
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(file), left.toList(), "temporary files left behind");
            }
        } finally {
            delete(dir);
        }
    }

    private static void loadsOrRefuses(byte[] policy) throws IOException {
        Path dir = Files.createTempDirectory("cx-fuzz");
        try {
            Path file = dir.resolve("policy.json");
            Files.write(file, policy);
            bounded(() -> {
                try {
                    RolloutPolicy p = RolloutPolicy.load(file);
                    p.match("nginx:latest");
                } catch (PatchException e) {
                    assertOneLine(e);
                    assertTrue(e.required(), "a broken policy must refuse the container");
                }
            });
        } finally {
            delete(dir);
        }
    }

    private static ConfigPatcher patcher(Path dir) throws IOException {
        Path policy = dir.resolve("no-policy.json");
        return new ConfigPatcher(ConfigPatcher.DEFAULT_HOOK_BIN, ProfileStore.of(new StateDir(dir.resolve("state"))), policy,
                ImageLookup.NONE);
    }

    private static byte[] policyBytes(List<RolloutPolicy.Rule> rules) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        for (RolloutPolicy.Rule r : rules) {
            out.add(Map.of("image", r.image(), "profile", r.profile(), "mode", r.mode().name().toLowerCase()));
        }
        return JSON.writeValueAsBytes(Map.of("rules", out));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> configs() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<Object> leaf = Arbitraries.oneOf(text.map(v -> (Object) v), Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.bigDecimals().ofScale(2).map(v -> (Object) v), Arbitraries.of(true, false).map(v -> (Object) v));
        Arbitrary<Map<String, String>> annotations = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(RecordAnnotation.NAME,
                "io.kubernetes.cri.container-type"), text), Arbitraries.oneOf(Arbitraries.of("true", "required", "sandbox"), text))
                .ofMaxSize(3);
        return Combinators.combine(Arbitraries.maps(text.filter(k -> !k.equals("hooks") && !k.equals("annotations")), leaf)
                        .ofMaxSize(6), annotations, Arbitraries.of(true, false))
                .as((fields, ann, dockerHook) -> {
                    Map<String, Object> m = new LinkedHashMap<>(fields);
                    m.put("annotations", ann);
                    if (dockerHook) {
                        m.put("hooks", Map.of("prestart", List.of(Map.of("path", "/proc/1/exe", "args", List.of("libnetwork-setkey")))));
                    }
                    return m;
                });
    }

    @Provide
    Arbitrary<String> bundles() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).injectNull(0.1), Arbitraries.strings().ofMaxLength(20)
                .map(s -> "/nonexistent/" + s), Arbitraries.strings().withChars('\0', '/', 'a').ofMaxLength(6).map(s -> "/" + s));
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.oneOf(Arbitraries.of("annotated", "all"), Arbitraries.strings().ofMaxLength(8).injectNull(0.1));
    }

    @Provide
    Arbitrary<List<RolloutPolicy.Rule>> policies() {
        Arbitrary<String> image = Arbitraries.strings().withCharRange('a', 'z').withChars(":/.-*").ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.isBlank() && !s.equals("*") && s.equals(s.trim()));
        Arbitrary<String> profile = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._-").ofMinLength(1).ofMaxLength(20)
                .filter(s -> {
                    try {
                        ProfileStore.validateName(s);
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                });
        return Combinators.combine(image, profile, Arbitraries.of(RolloutAnnotations.Mode.class)).as(RolloutPolicy.Rule::new)
                .list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Fuzz.mutations();
    }
}
