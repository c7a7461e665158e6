package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamDecoderTest {
    private static final String STREAM = "HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
            + "Date: Mon, 07 Dec 2026 02:00:00 GMT\r\n\r\n{\"a\":1}\n{\"b\":\"\u00e9\"}\n{\"c\":";

    @Test
    void linesComeWholeWhicheverPiecesTheBytesArriveIn() throws IOException {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= bytes.length; piece++) {
            EventStreamDecoder d = new EventStreamDecoder("GET /events");
            List<String> lines = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += piece) {
                lines.addAll(d.feed(bytes, at, Math.min(piece, bytes.length - at)));
            }
            assertEquals(List.of("{\"a\":1}", "{\"b\":\"\u00e9\"}"), lines, "pieces of " + piece);
        }
    }

    @Test
    void anAnswerOtherThan200OrChunkedIsAnError() {
        IOException e = assertThrows(IOException.class, () -> feed("HTTP/1.1 400 Bad Request\r\n\r\n"));
        assertEquals("GET /events: HTTP/1.1 400 Bad Request", e.getMessage());
        assertThrows(IOException.class, () -> feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    private static List<String> feed(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new EventStreamDecoder("GET /events").feed(b, 0, b.length);
    }
}
