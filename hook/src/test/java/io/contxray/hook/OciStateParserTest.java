package io.contxray.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciStateParserTest {
    static final String GOOD = """
            {"ociVersion":"1.0.2","id":"abc123","status":"creating","pid":4242,
             "bundle":"/run/containerd/io.containerd.runtime.v2.task/moby/abc123",
             "annotations":{"contxray.record":"true","org.opencontainers.image.title":"x"},
             "extra":{"nested":[1,2,{"a":null}]}}
            """;

    private static OciState read(String json, HookStage stage) throws HookException {
        return HookMain.readState(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), stage, Duration.ofSeconds(2));
    }

    private static String failure(String json, HookStage stage) {
        return assertThrows(HookException.class, () -> read(json, stage)).getMessage();
    }

    @Test
    void parsesRuncState() throws Exception {
        OciState s = read(GOOD, HookStage.CREATE_RUNTIME);
        assertEquals("1.0.2", s.ociVersion());
        assertEquals("abc123", s.id());
        assertEquals("creating", s.status());
        assertEquals(4242, s.pid());
        assertEquals("/run/containerd/io.containerd.runtime.v2.task/moby/abc123", s.bundle());
        assertEquals(Map.of("contxray.record", "true", "org.opencontainers.image.title", "x"), s.annotations());
    }

    @Test
    void poststopStateWithoutPidIsAccepted() throws Exception {
        // runc omits pid once the container stopped (pid is omitempty in specs.State).
        OciState s = read("{\"ociVersion\":\"1.0.2\",\"id\":\"abc\",\"status\":\"stopped\",\"bundle\":\"/b\"}", HookStage.POSTSTOP);
        assertNull(s.pid());
        assertEquals(Map.of(), s.annotations());
    }

    @Test
    void emptyInput() {
        assertEquals("empty input", failure("", HookStage.CREATE_RUNTIME));
        assertEquals("empty input", failure(" \n", HookStage.POSTSTOP));
    }

    @Test
    void malformedJson() {
        assertTrue(failure("{\"id\":\"abc\",", HookStage.CREATE_RUNTIME).startsWith("malformed JSON: "));
        assertTrue(failure("{\"id\":\"abc\",\"pid\":1} {}", HookStage.CREATE_RUNTIME).contains("after the state object"));
        assertEquals("expected a JSON object", failure("[1]", HookStage.CREATE_RUNTIME));
        assertTrue(failure("{\"id\":\"a\",\"id\":\"b\",\"pid\":1}", HookStage.CREATE_RUNTIME).contains("Duplicate field"));
        assertEquals("pid is not a 32-bit integer", failure("{\"id\":\"a\",\"pid\":\"1\"}", HookStage.CREATE_RUNTIME));
        assertEquals("pid is not a 32-bit integer", failure("{\"id\":\"a\",\"pid\":99999999999}", HookStage.CREATE_RUNTIME));
        assertEquals("annotation k is not a string", failure("{\"id\":\"a\",\"pid\":1,\"annotations\":{\"k\":1}}", HookStage.CREATE_RUNTIME));
        assertEquals("id is not a string", failure("{\"id\":7,\"pid\":1}", HookStage.CREATE_RUNTIME));
    }

    @Test
    void missingFields() {
        assertEquals("state has no id", failure("{\"pid\":1}", HookStage.CREATE_RUNTIME));
        assertEquals("state has no id", failure("{\"id\":null,\"pid\":1}", HookStage.POSTSTOP));
        assertEquals("state has no pid", failure("{\"id\":\"abc\"}", HookStage.CREATE_RUNTIME));
        assertEquals("state has no pid", failure("{\"id\":\"abc\"}", HookStage.PRESTART));
        assertEquals("pid 0 is not a process id", failure("{\"id\":\"abc\",\"pid\":0}", HookStage.CREATE_RUNTIME));
    }

    @Test
    void hostileIdIsRejected() {
        String m = failure("{\"id\":\"../x\",\"pid\":1}", HookStage.CREATE_RUNTIME);
        assertTrue(m.contains("rejected"), m);
        assertTrue(failure("{\"id\":\"..\",\"pid\":1}", HookStage.POSTSTOP).contains("rejected"));
        assertTrue(failure("{\"id\":\"a\\u0000b\",\"pid\":1}", HookStage.POSTSTOP).contains("rejected"));
    }

    @Test
    void hugeInputIsRefusedWithoutReadingItAll() {
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                served += len;
                return len;
            }
        };
        HookException e = assertThrows(HookException.class, () -> HookMain.readState(endless, HookStage.CREATE_RUNTIME, Duration.ofSeconds(5)));
        assertEquals("input larger than 1048576 bytes", e.getMessage());
    }

    @Test
    void stdinThatNeverClosesTimesOut() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream open = new PipedInputStream(writer);
        writer.write("{\"id\":\"abc\",\"pid\":1}".getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        HookException e = assertThrows(HookException.class, () -> HookMain.readState(open, HookStage.CREATE_RUNTIME, Duration.ofMillis(200)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("input not closed after 200 ms", e.getMessage());
        assertTrue(ms < 2000, "took " + ms + " ms");
        writer.close();
    }

    /** Found by OciStateFuzzTest: a key with a newline made the refusal two lines. */
    @Test
    void aRefusalNamingAKeyWithControlCharactersIsOneLine() {
        String m = failure("{\"id\":\"a\",\"pid\":1,\"annotations\":{\"a\\nb\\rc\":1}}", HookStage.CREATE_RUNTIME);
        assertEquals("annotation a b c is not a string", m);
    }
}
