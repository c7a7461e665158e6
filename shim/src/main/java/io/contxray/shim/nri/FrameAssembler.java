package io.contxray.shim.nri;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte stream of one multiplexed connection cut into ttrpc frames. The multiplexer's frames
 * need not line up with ttrpc's (a sender may split one message over several writes, or put two
 * in one), so bytes are kept until a whole frame is there.
 */
final class FrameAssembler {
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** Adds {@code bytes} and returns the frames now complete, in order. */
    List<TtrpcFrame> feed(byte[] bytes) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(pending.remaining() + bytes.length);
        all.put(pending).put(bytes).flip();
        List<TtrpcFrame> frames = new ArrayList<>();
        while (all.remaining() >= TtrpcFrame.HEADER_SIZE
                && all.remaining() >= TtrpcFrame.HEADER_SIZE + TtrpcFrame.dataLength(all)) {
            frames.add(TtrpcFrame.read(all));
        }
        pending = all.slice();
        return frames;
    }

    /** Bytes of an unfinished frame held back. */
    int pendingBytes() {
        return pending.remaining();
    }
}
