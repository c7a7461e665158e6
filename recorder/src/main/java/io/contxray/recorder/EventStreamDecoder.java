package io.contxray.recorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a streamed HTTP/1.0 answer (a Docker engine's {@code /events}: no chunking, one JSON
 * object per line, the body ends when the connection does) into its lines, as the bytes arrive
 * in any pieces. The status line must say 200. Not thread-safe.
 */
final class EventStreamDecoder {
    static final int MAX_LINE = 1 << 20;

    private final String what;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean inBody;
    private String status;

    /** @param what the request, for errors */
    EventStreamDecoder(String what) {
        this.what = what;
    }

    /** Whether the answer's head has been read (and said 200). */
    boolean inBody() {
        return inBody;
    }

    /** The complete lines in what came so far (without their newline, empty ones left out). */
    List<String> feed(byte[] bytes, int offset, int length) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != '\n') {
                pending.write(b);
                if (pending.size() > MAX_LINE) {
                    throw new IOException(what + ": a line longer than " + MAX_LINE + " bytes");
                }
                continue;
            }
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (!inBody) {
                head(line);
            } else if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private void head(String line) throws IOException {
        if (status == null) {
            status = line;
            if (!line.matches("HTTP/1\\.[01] 200 .*")) {
                throw new IOException(what + ": " + line);
            }
        } else if (line.isEmpty()) {
            inBody = true;
        } else if (line.regionMatches(true, 0, "Transfer-Encoding: chunked", 0, 26)) {
            throw new IOException(what + ": a chunked answer to an HTTP/1.0 request");
        }
    }
}
