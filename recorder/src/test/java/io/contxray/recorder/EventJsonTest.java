package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.model.ContainerEvent;
import io.contxray.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final List<ContainerEvent> SAMPLES = List.of(
            ContainerEvent.exec("t", 1, "c", 2, 2, 1, 0, 0, "sh", "/bin/sh", List.of("sh", "-c", "a \"q\" \\ \n"), 3,
                    true, false),
            ContainerEvent.file("t", 5, "c", 3, 4, "cat", "open", "/etc/hostname", null, List.of("read", "write"), 2,
                    -13, "EACCES", true, "beef"),
            ContainerEvent.socket("t", 6, "c", 3, 3, "dig", "udp-send", "ipv6", "::1", 53, null, 40, null, null),
            ContainerEvent.capability("t", 7, "c", 3, 3, "httpd", "NET_BIND_SERVICE", true, "workload", "m"),
            ContainerEvent.repeatCount(ContainerEvent.NET_COUNT, "t", "c", "beef", 12),
            ContainerEvent.peer("t", null, "c", "10.0.0.2", null, null, "p", "web", "nginx:1", "engine-event"),
            ContainerEvent.peer("t", "u", "c", "10.0.0.1", 8080, "tcp", "p", "web", null, "listing"),
            ContainerEvent.unnamedPeer("t", "u", "c", "10.0.0.3", 80, "the address history had dropped it"),
            ContainerEvent.exit("t", Long.MAX_VALUE, "c", Integer.MAX_VALUE, Integer.MIN_VALUE, 255, 9, "x"),
            ContainerEvent.file("t", -1, "c", -7, 0, "cat", "open", "/", null, List.of(), Integer.MIN_VALUE,
                    Long.MIN_VALUE, null, false, null));

    @Test
    void linesAreWhatTheMapperWrites() throws Exception {
        EventJson json = new EventJson();
        for (ContainerEvent e : SAMPLES) {
            assertEquals(Json.mapper().writeValueAsString(e), new String(json.line(e), StandardCharsets.UTF_8));
        }
    }

    /** Values repeated from the line before are copied from it: still exactly the mapper's line. */
    @Test
    void repeatedAndChangedValuesInAnyOrder() throws Exception {
        EventJson json = new EventJson();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            ContainerEvent e = SAMPLES.get(random.nextInt(SAMPLES.size()));
            assertEquals(Json.mapper().writeValueAsString(e), new String(json.line(e), StandardCharsets.UTF_8));
        }
    }

    /** Escapes and UTF-8 as Jackson writes them, for control chars, quotes, non-ASCII and surrogate pairs. */
    @Test
    void stringsEncodeAsTheMapperDoes() throws Exception {
        EventJson json = new EventJson();
        Random random = new Random(11);
        char[] alphabet = {'a', '/', '"', '\\', '\n', '\t', '\r', '\b', '\f', '\0', '\u001f', '\u007f', '\u00e9',
                '\u0101', '\u2028', '\uffff', '\ufffd'};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(40);
            for (int k = 0; k < n; k++) {
                if (random.nextInt(10) == 0) {
                    s.appendCodePoint(0x1f600 + random.nextInt(50)); // a surrogate pair
                } else {
                    s.append(alphabet[random.nextInt(alphabet.length)]);
                }
            }
            ContainerEvent e = ContainerEvent.file("t", i, "c", 1, 1, s.toString(), "open", "/" + s, null,
                    List.of("read"), 0, 3, null, false, null);
            assertEquals(Json.mapper().writeValueAsString(e), new String(json.line(e), StandardCharsets.UTF_8));
        }
    }

    /** Jackson refuses a lone surrogate; the event log must not lose the event for it. */
    @Test
    void aLoneSurrogateBecomesAQuestionMark() {
        ContainerEvent e = ContainerEvent.file("t", 1, "c", 1, 1, "x\ud800y", "open", "/a", null, List.of("read"), 0, 3,
                null, false, null);
        String line = new String(new EventJson().line(e), StandardCharsets.UTF_8);
        assertEquals(true, line.contains("\"comm\":\"x?y\""), line);
    }

    @Test
    void longLinesGrowTheBuffer() throws Exception {
        String big = "p".repeat(100_000);
        ContainerEvent e = ContainerEvent.file("t", 1, "c", 1, 1, "c", "open", "/" + big, null, List.of("read"), 0, 3,
                null, false, null);
        EventJson json = new EventJson();
        assertEquals(Json.mapper().writeValueAsString(e), new String(json.line(e), StandardCharsets.UTF_8));
        assertEquals(Json.mapper().writeValueAsString(SAMPLES.get(0)),
                new String(json.line(SAMPLES.get(0)), StandardCharsets.UTF_8));
    }
}
