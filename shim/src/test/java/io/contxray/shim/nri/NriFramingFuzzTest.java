package io.contxray.shim.nri;

import static io.contxray.model.fuzz.Fuzz.assertOneLine;
import static io.contxray.model.fuzz.Fuzz.bounded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the NRI plugin's input from the runtime: the multiplexer frames, the ttrpc frames inside
 * them, and the protobuf requests of each method. Any bytes are frames, an IOException, or (for a
 * request) one CallException sent back as the call's status; frames survive any cutting.
 */
class NriFramingFuzzTest {
    @Property
    void arbitraryStreamsAreFramesOrAnIOException(@ForAll @Size(max = 2000) byte[] stream) {
        bounded(() -> {
            ByteArrayInputStream in = new ByteArrayInputStream(stream);
            FrameAssembler assembler = new FrameAssembler();
            try {
                while (true) {
                    Multiplexer.Frame f = Multiplexer.read(in);
                    assembler.feed(f.payload());
                    assertTrue(assembler.pendingBytes() <= Multiplexer.MAX_PAYLOAD + TtrpcFrame.MAX_DATA, "unbounded");
                }
            } catch (EOFException e) {
                // the peer closed, between or inside frames: NRI's session ends cleanly
            } catch (IOException e) {
                assertOneLine(e);
            }
        });
    }

    @Property
    void arbitraryTtrpcBytesAreFramesOrAnIOException(@ForAll @Size(max = 2000) byte[] bytes,
                                                    @ForAll List<@IntRange(min = 1, max = 300) Integer> cuts) {
        bounded(() -> {
            FrameAssembler assembler = new FrameAssembler();
            try {
                for (byte[] piece : cut(bytes, cuts)) {
                    assembler.feed(piece);
                }
            } catch (IOException e) {
                assertOneLine(e);
            }
        });
    }

    /** ttrpc frames sent over multiplexer frames cut anywhere come out whole and in order. */
    @Property
    void framesSurviveAnyCutting(@ForAll("frames") List<TtrpcFrame> frames, @ForAll List<@IntRange(min = 1, max = 300) Integer> cuts)
            throws IOException {
        ByteArrayOutputStream ttrpc = new ByteArrayOutputStream();
        for (TtrpcFrame f : frames) {
            ttrpc.write(f.encode());
        }
        ByteArrayOutputStream mux = new ByteArrayOutputStream();
        for (byte[] piece : cut(ttrpc.toByteArray(), cuts)) {
            mux.write(Multiplexer.encode(Multiplexer.PLUGIN_SERVICE, piece));
        }
        ByteArrayInputStream in = new ByteArrayInputStream(mux.toByteArray());
        FrameAssembler assembler = new FrameAssembler();
        List<TtrpcFrame> out = new ArrayList<>();
        while (in.available() > 0) {
            Multiplexer.Frame f = Multiplexer.read(in);
            assertEquals(Multiplexer.PLUGIN_SERVICE, f.connection());
            out.addAll(assembler.feed(f.payload()));
        }
        assertEquals(frames.size(), out.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(frames.get(i).streamId(), out.get(i).streamId());
            assertEquals(frames.get(i).type(), out.get(i).type());
            assertEquals(frames.get(i).flags(), out.get(i).flags());
            assertArrayEquals(frames.get(i).data(), out.get(i).data());
        }
        assertEquals(0, assembler.pendingBytes());
    }

    @Property
    void everyMethodAnswersArbitraryPayloadsOrRefusesThemAsACallStatus(@ForAll("methods") String method,
                                                                       @ForAll @Size(max = 1000) byte[] payload) {
        NriPlugin plugin = new NriPlugin(new ContainerAdjuster("/hook", ""), new PrintStream(new ByteArrayOutputStream()));
        bounded(() -> {
            try {
                assertNotNull(plugin.handle(NriPlugin.PLUGIN_SERVICE, method, payload));
            } catch (CallException e) {
                assertNotNull(e.getMessage());
            }
        });
    }

    private static List<byte[]> cut(byte[] bytes, List<Integer> cuts) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        int i = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, cuts.isEmpty() ? bytes.length : cuts.get(i++ % cuts.size()));
            byte[] piece = new byte[n];
            System.arraycopy(bytes, at, piece, 0, n);
            out.add(piece);
            at += n;
        }
        return out;
    }

    @Provide
    Arbitrary<List<TtrpcFrame>> frames() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.bytes(), Arbitraries.bytes(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(500))
                .as(TtrpcFrame::new).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.oneOf(Arbitraries.of("Configure", "Synchronize", "CreateContainer", "Shutdown", "StateChange"),
                Arbitraries.strings().ofMaxLength(10));
    }
}
