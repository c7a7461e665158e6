package io.contxray.shim.nri;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One ttrpc message on a byte stream: a 10-byte header (data length u32, stream id u32, both big
 * endian; type u8; flags u8) and the data (a protobuf Request or Response). Unary calls only:
 * contxray never opens streams, so the data-frame type and stream flags are read but not used.
 */
public record TtrpcFrame(int streamId, byte type, byte flags, byte[] data) {
    public static final int HEADER_SIZE = 10;
    /** ttrpc refuses messages over 4 MiB. */
    public static final int MAX_DATA = 4 << 20;
    public static final byte REQUEST = 1;
    public static final byte RESPONSE = 2;

    public TtrpcFrame {
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("ttrpc message of " + data.length + " bytes is over the 4 MiB limit");
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_SIZE + data.length)
                .putInt(data.length).putInt(streamId).put(type).put(flags).put(data).array();
    }

    /** The data length a header announces; an IOException for one over the limit (the stream cannot be trusted). */
    static int dataLength(ByteBuffer header) throws IOException {
        long length = Integer.toUnsignedLong(header.getInt(header.position()));
        if (length > MAX_DATA) {
            throw new IOException("ttrpc message of " + length + " bytes announced, over the 4 MiB limit");
        }
        return (int) length;
    }

    /** Reads a frame whose full header and data are at {@code buf}'s position. */
    static TtrpcFrame read(ByteBuffer buf) throws IOException {
        int length = dataLength(buf);
        buf.getInt();
        int stream = buf.getInt();
        byte type = buf.get();
        byte flags = buf.get();
        byte[] data = new byte[length];
        buf.get(data);
        return new TtrpcFrame(stream, type, flags, data);
    }
}
