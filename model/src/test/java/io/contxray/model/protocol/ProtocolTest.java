package io.contxray.model.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    private static byte[] line(ByteBuffer b) {
        byte[] all = new byte[b.remaining()];
        b.get(all);
        assertEquals('\n', all[all.length - 1], "a message ends with a newline");
        return Arrays.copyOf(all, all.length - 1);
    }

    @Test
    void registerRoundTripsWithEveryField() throws ProtocolException {
        Request r = Request.register("abc", 42, "/b", Map.of("contxray.record", "true"));
        String json = new String(line(Protocol.encode(r)), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"v\":1,\"op\":\"register\""), json);
        assertEquals(r, Protocol.decodeRequest(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unusedFieldsAreLeftOutOfTheWire() {
        String json = new String(line(Protocol.encode(Request.stop("abc"))), StandardCharsets.UTF_8);
        assertEquals("{\"v\":1,\"op\":\"stop\",\"id\":\"abc\"}", json);
    }

    @Test
    void refusesOtherVersionsAndMissingOps() {
        ProtocolException v2 = assertThrows(ProtocolException.class,
                () -> Protocol.decodeRequest("{\"v\":2,\"op\":\"stop\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(v2.getMessage().contains("version 2"), v2.getMessage());
        assertThrows(ProtocolException.class, () -> Protocol.decodeRequest("{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
        ProtocolException resp = assertThrows(ProtocolException.class,
                () -> Protocol.decodeResponse("{\"v\":7,\"ok\":true}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(resp.getMessage().contains("version 7"), resp.getMessage());
    }

    @Test
    void malformedJsonIsOneLine() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Protocol.decodeRequest("{\"v\":1,".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("malformed request"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertThrows(ProtocolException.class, () -> Protocol.decodeRequest(new byte[0]));
        assertThrows(ProtocolException.class, () -> Protocol.decodeRequest("null".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void errorResponsesAreFlattenedToOneLine() {
        assertEquals("a b", Response.error("a\r\nb").error());
    }

    @Test
    void lineBufferAssemblesSplitLinesAndStopsAtTheLimit() throws ProtocolException {
        Protocol.LineBuffer buf = new Protocol.LineBuffer();
        assertNull(buf.feed(ByteBuffer.wrap("{\"a\":".getBytes(StandardCharsets.UTF_8))));
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), buf.feed(ByteBuffer.wrap("1}\nrest".getBytes(StandardCharsets.UTF_8))));

        Protocol.LineBuffer big = new Protocol.LineBuffer();
        ByteBuffer huge = ByteBuffer.allocate(Protocol.MAX_LINE_BYTES + 1);
        Arrays.fill(huge.array(), (byte) 'x');
        ProtocolException e = assertThrows(ProtocolException.class, () -> big.feed(huge));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
