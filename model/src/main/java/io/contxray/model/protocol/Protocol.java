package io.contxray.model.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Wire format of the daemon protocol: one JSON object per line in each direction, one exchange
 * per connection. A line is bounded so a hostile or broken peer cannot make either side buffer
 * without limit.
 */
public final class Protocol {
    public static final int VERSION = 1;
    public static final int MAX_LINE_BYTES = 1 << 20;
    public static final Path DEFAULT_SOCKET = Path.of("/run/contxray/contxray.sock");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Protocol() {
    }

    /** The socket path: $CONTXRAY_SOCKET if set, else /run/contxray/contxray.sock. */
    public static Path socketPath() {
        String env = System.getenv("CONTXRAY_SOCKET");
        return env == null || env.isBlank() ? DEFAULT_SOCKET : Path.of(env);
    }

    public static ByteBuffer encode(Object message) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(message);
            ByteBuffer buf = ByteBuffer.allocate(json.length + 1);
            buf.put(json).put((byte) '\n').flip();
            return buf;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("encoding " + message.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static Request decodeRequest(byte[] line) throws ProtocolException {
        Request r = decode(line, Request.class, "request");
        if (r.v() != VERSION) {
            throw new ProtocolException("unsupported protocol version " + r.v() + " (this daemon speaks " + VERSION + ")");
        }
        if (r.op() == null) {
            throw new ProtocolException("request has no op");
        }
        return r;
    }

    public static Response decodeResponse(byte[] line) throws ProtocolException {
        Response r = decode(line, Response.class, "response");
        if (r.v() != VERSION) {
            throw new ProtocolException("daemon answered with protocol version " + r.v() + ", expected " + VERSION);
        }
        return r;
    }

    private static <T> T decode(byte[] line, Class<T> type, String what) throws ProtocolException {
        try {
            T value = MAPPER.readValue(line, type);
            if (value == null) {
                throw new ProtocolException("empty " + what);
            }
            return value;
        } catch (IOException e) {
            throw new ProtocolException("malformed " + what + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * Accumulates bytes until a newline. Returns the line without the newline once complete,
     * null while incomplete; refuses lines over {@link #MAX_LINE_BYTES}.
     */
    public static final class LineBuffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        public byte[] feed(ByteBuffer in) throws ProtocolException {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    return bytes.toByteArray();
                }
                if (bytes.size() >= MAX_LINE_BYTES) {
                    throw new ProtocolException("message longer than " + MAX_LINE_BYTES + " bytes");
                }
                bytes.write(b);
            }
            return null;
        }

        public boolean isEmpty() {
            return bytes.size() == 0;
        }

        public String partial() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
