package io.contxray.shim.nri;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * NRI's connection multiplexer: one unix connection carries several byte streams, each write a
 * frame with an 8-byte header (connection id u32, payload length u32, both big endian). NRI uses
 * two: {@link #PLUGIN_SERVICE}, on which the runtime calls the plugin, and {@link #RUNTIME_SERVICE},
 * on which the plugin calls the runtime.
 */
public final class Multiplexer {
    public static final int PLUGIN_SERVICE = 1;
    public static final int RUNTIME_SERVICE = 2;
    static final int HEADER_SIZE = 8;
    /** One ttrpc message and its header fit in a frame; anything larger means a broken stream. */
    static final int MAX_PAYLOAD = TtrpcFrame.MAX_DATA + TtrpcFrame.HEADER_SIZE;

    /** One multiplexer frame: which connection, and its bytes. */
    public record Frame(int connection, byte[] payload) {
    }

    private Multiplexer() {
    }

    public static byte[] encode(int connection, byte[] payload) {
        return ByteBuffer.allocate(HEADER_SIZE + payload.length).putInt(connection).putInt(payload.length).put(payload).array();
    }

    /** The next frame from {@code in}; an EOFException when the stream ends between frames. */
    public static Frame read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            throw new EOFException("connection closed");
        }
        byte[] header = new byte[HEADER_SIZE];
        header[0] = (byte) first;
        data.readFully(header, 1, HEADER_SIZE - 1);
        ByteBuffer h = ByteBuffer.wrap(header);
        int connection = h.getInt();
        long length = Integer.toUnsignedLong(h.getInt());
        if (length > MAX_PAYLOAD) {
            throw new IOException("multiplexer frame of " + length + " bytes on connection " + connection + ", over the limit");
        }
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        return new Frame(connection, payload);
    }
}
