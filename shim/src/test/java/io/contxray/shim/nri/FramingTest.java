package io.contxray.shim.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramingTest {
    @Test
    void ttrpcHeaderIsLengthStreamTypeFlagsBigEndian() {
        byte[] bytes = new TtrpcFrame(3, TtrpcFrame.RESPONSE, (byte) 0, new byte[] {7, 8}).encode();
        assertArrayEquals(new byte[] {0, 0, 0, 2, 0, 0, 0, 3, 2, 0, 7, 8}, bytes);
    }

    @Test
    void multiplexerHeaderIsConnectionAndLengthBigEndian() {
        assertArrayEquals(new byte[] {0, 0, 0, 2, 0, 0, 0, 1, 9}, Multiplexer.encode(Multiplexer.RUNTIME_SERVICE, new byte[] {9}));
    }

    @Test
    void aFrameOverFourMibIsRefusedBeforeItsDataIsRead() {
        byte[] header = ByteBuffer.allocate(10).putInt((4 << 20) + 1).putInt(1).put((byte) 1).put((byte) 0).array();
        IOException e = assertThrows(IOException.class, () -> new FrameAssembler().feed(header));
        assertTrue(e.getMessage().contains("over the 4 MiB limit"), e.getMessage());
        byte[] mux = ByteBuffer.allocate(8).putInt(1).putInt(-1).array();
        assertThrows(IOException.class, () -> Multiplexer.read(new ByteArrayInputStream(mux)));
    }

    @Test
    void aStreamEndingBetweenOrInsideFramesIsEof() throws IOException {
        assertThrows(EOFException.class, () -> Multiplexer.read(new ByteArrayInputStream(new byte[0])));
        byte[] cut = {0, 0, 0, 1, 0, 0, 0, 5, 1, 2};
        IOException e = assertThrows(IOException.class, () -> Multiplexer.read(new ByteArrayInputStream(cut)));
        assertEquals(EOFException.class, e.getClass()); // readFully: cut inside the payload
    }

    @Test
    void twoFramesInOneWriteAndOneFrameInManyWrites() throws IOException {
        byte[] a = new TtrpcFrame(1, TtrpcFrame.REQUEST, (byte) 0, new byte[] {1, 2, 3}).encode();
        byte[] b = new TtrpcFrame(3, TtrpcFrame.REQUEST, (byte) 0, new byte[0]).encode();
        FrameAssembler asm = new FrameAssembler();
        byte[] both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
        List<TtrpcFrame> frames = asm.feed(both);
        assertEquals(2, frames.size());
        assertEquals(3, frames.get(1).streamId());
        for (int i = 0; i < a.length - 1; i++) {
            assertEquals(0, asm.feed(new byte[] {a[i]}).size());
        }
        assertEquals(a.length - 1, asm.pendingBytes());
        assertArrayEquals(new byte[] {1, 2, 3}, asm.feed(new byte[] {a[a.length - 1]}).get(0).data());
        assertEquals(0, asm.pendingBytes());
    }
}
