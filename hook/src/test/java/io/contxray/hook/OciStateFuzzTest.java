package io.contxray.hook;

import static io.contxray.model.fuzz.Fuzz.assertOneLine;
import static io.contxray.model.fuzz.Fuzz.bounded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.contxray.model.fuzz.Fuzz;
import io.contxray.model.fuzz.Fuzz.Mutation;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the hook's stdin, the OCI state a runtime writes (and the daemon's side of the native
 * client, which gets the same bytes in a request): any input is a state or one HookException line.
 */
class OciStateFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property
    void arbitraryBytesAreAStateOrOneLineRefusal(@ForAll @Size(max = 600) byte[] stdin, @ForAll HookStage stage) {
        readsOrRefuses(stdin, stage);
    }

    @Property
    void mutatedStatesAreAStateOrOneLineRefusal(@ForAll("states") Map<String, Object> state, @ForAll HookStage stage,
                                                @ForAll("mutations") List<Mutation> mutations) throws Exception {
        readsOrRefuses(Mutation.apply(mutations, JSON.writeValueAsBytes(state)), stage);
    }

    /** A field of the wrong type (under any key, control characters too) is refused in one line. */
    @Property
    void wrongTypesAreRefusedInOneLine(@ForAll("states") Map<String, Object> state, @ForAll("fields") String field,
                                       @ForAll("values") Object value, @ForAll HookStage stage) throws Exception {
        Map<String, Object> bad = new LinkedHashMap<>(state);
        if (field.startsWith("annotations.")) {
            Map<String, Object> ann = new LinkedHashMap<>();
            ann.put(field.substring("annotations.".length()), value);
            bad.put("annotations", ann);
        } else {
            bad.put(field, value);
        }
        readsOrRefuses(JSON.writeValueAsBytes(bad), stage);
    }

    /** A state as a runtime writes it (fields in any order, unknown ones too) is read back field for field. */
    @Property
    void generatedStatesAreReadAsWritten(@ForAll("states") Map<String, Object> state) throws Exception {
        OciState s = OciStateParser.parse(JSON.writeValueAsBytes(state));
        assertEquals(state.get("id"), s.id());
        assertEquals(state.get("ociVersion"), s.ociVersion());
        assertEquals(state.get("status"), s.status());
        assertEquals(state.get("pid"), s.pid());
        assertEquals(state.get("bundle"), s.bundle());
        assertEquals(state.getOrDefault("annotations", Map.of()), s.annotations());
    }

    /** The daemon's side: whatever the native client forwards, the answer is the recorder's or one error line. */
    @Property
    void theDaemonAnswersEveryForwardedStateInOneLine(@ForAll("stateText") String state, @ForAll("stages") String stage) {
        bounded(() -> {
            Response r = HookRequests.handle(Request.hook(stage, state), req -> Response.registered(0, 1));
            if (!r.ok()) {
                assertFalse(r.error().contains("\n"), r.error());
            }
        });
    }

    private static void readsOrRefuses(byte[] stdin, HookStage stage) {
        bounded(() -> {
            try {
                OciState s = HookMain.readState(new ByteArrayInputStream(stdin), stage, Duration.ofSeconds(5));
                assertNotNull(s.id());
            } catch (HookException e) {
                assertOneLine(e);
            }
        });
    }

    @Provide
    Arbitrary<Map<String, Object>> states() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(30);
        Arbitrary<String> id = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("_.-").ofMinLength(1)
                .ofMaxLength(64).filter(s -> Character.isLetterOrDigit(s.charAt(0)));
        Arbitrary<Map<String, String>> annotations = Arbitraries.maps(text, text).ofMaxSize(5);
        return Combinators.combine(id, text.injectNull(0.2), text.injectNull(0.2), Arbitraries.integers().between(1, Integer.MAX_VALUE),
                        text.injectNull(0.2), annotations.injectNull(0.3), Arbitraries.maps(text, text).ofMaxSize(2))
                .as((i, version, status, pid, bundle, ann, extra) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    extra.forEach((k, v) -> m.put("x-" + k, v)); // fields the parser skips
                    m.put("ociVersion", version);
                    m.put("id", i);
                    m.put("status", status);
                    m.put("pid", pid);
                    m.put("bundle", bundle);
                    if (ann != null) {
                        m.put("annotations", ann);
                    }
                    return m;
                });
    }

    @Provide
    Arbitrary<String> stateText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                states().map(s -> {
                    try {
                        return JSON.writeValueAsString(s);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).flatMap(s -> Fuzz.mutations().map(m -> new String(Mutation.apply(m, s.getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.oneOf(Arbitraries.of("id", "pid", "bundle", "status", "ociVersion", "annotations"),
                Arbitraries.strings().ofMaxLength(8).map(k -> "annotations." + k));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(Arbitraries.longs().map(v -> (Object) v), Arbitraries.doubles().map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v), Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(2).map(v -> (Object) v),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(4), Arbitraries.integers()).ofMaxSize(2).map(v -> (Object) v));
    }

    @Provide
    Arbitrary<String> stages() {
        return Arbitraries.oneOf(Arbitraries.of("createRuntime", "prestart", "poststop"), Arbitraries.strings().ofMaxLength(12));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Fuzz.mutations();
    }
}
