package io.contxray.model.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static io.contxray.model.fuzz.Fuzz.assertOneLine;
import static io.contxray.model.fuzz.Fuzz.bounded;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import io.contxray.model.fuzz.Fuzz;
import io.contxray.model.fuzz.Fuzz.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the daemon's socket protocol, both directions: any bytes a peer sends decode to a
 * message or are refused with one ProtocolException line, never anything else and never a hang;
 * every message the protocol can encode comes back equal however the stream is cut.
 */
class ProtocolFuzzTest {
    @Property
    void arbitraryLinesDecodeOrAreRefusedInOneLine(@ForAll @Size(max = 600) byte[] line) {
        decodesOrRefuses(line);
    }

    @Property
    void mutatedRequestsDecodeOrAreRefusedInOneLine(@ForAll("requests") Request r, @ForAll("mutations") List<Mutation> mutations) {
        decodesOrRefuses(Mutation.apply(mutations, line(r)));
    }

    @Property
    void mutatedResponsesDecodeOrAreRefusedInOneLine(@ForAll("responses") Response r, @ForAll("mutations") List<Mutation> mutations) {
        decodesOrRefuses(Mutation.apply(mutations, line(r)));
    }

    @Property
    void requestsComeBackEqualHoweverTheStreamIsCut(@ForAll("requests") Request r, @ForAll List<@net.jqwik.api.constraints.IntRange(min = 1, max = 64) Integer> cuts)
            throws ProtocolException {
        assertEquals(r, Protocol.decodeRequest(reassemble(Protocol.encode(r), cuts)));
    }

    @Property
    void responsesComeBackEqualHoweverTheStreamIsCut(@ForAll("responses") Response r, @ForAll List<@net.jqwik.api.constraints.IntRange(min = 1, max = 64) Integer> cuts)
            throws ProtocolException {
        assertEquals(r, Protocol.decodeResponse(reassemble(Protocol.encode(r), cuts)));
    }

    /** A real unix socket whose peer sends arbitrary bytes and closes: a line, nothing, or one refusal. */
    @Property
    void aChannelFromAPeerSendingArbitraryBytesEndsWithALineNothingOrARefusal(@ForAll @Size(max = 3000) byte[] sent)
            throws Exception {
        Path dir = Files.createTempDirectory("cx-fuzz");
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock));
                 SocketChannel served = server.accept()) {
                client.write(ByteBuffer.wrap(sent));
                client.shutdownOutput();
                bounded(() -> {
                    try (LineChannel line = new LineChannel(served, 5_000)) {
                        byte[] got = line.receive("reading a fuzzed request");
                        int nl = indexOf(sent, (byte) '\n');
                        if (got == null) {
                            assertEquals(0, sent.length, "bytes were sent, yet none came back");
                            return;
                        }
                        if (nl < 0) {
                            fail("no newline was sent, yet a line came back");
                        }
                        assertEquals(nl, got.length);
                    } catch (ProtocolException e) {
                        assertOneLine(e);
                        assertTrue(indexOf(sent, (byte) '\n') < 0, "a line was complete: " + e.getMessage());
                    }
                });
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
    }

    @Property(tries = 5)
    void aLineOverTheBoundIsRefusedWithoutBufferingOn(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 70_000) int chunk) {
        Protocol.LineBuffer buffer = new Protocol.LineBuffer();
        byte[] bytes = new byte[chunk];
        java.util.Arrays.fill(bytes, (byte) 'x');
        long fed = 0;
        try {
            while (fed <= 2L * Protocol.MAX_LINE_BYTES) {
                assertNull(buffer.feed(ByteBuffer.wrap(bytes)));
                fed += chunk;
            }
            fail("a line of " + fed + " bytes was buffered");
        } catch (ProtocolException e) {
            assertOneLine(e);
            assertTrue(fed <= Protocol.MAX_LINE_BYTES, "refused only after " + fed + " bytes");
        }
    }

    private static void decodesOrRefuses(byte[] line) {
        bounded(() -> {
            try {
                Request r = Protocol.decodeRequest(line);
                assertEquals(Protocol.VERSION, r.v());
            } catch (ProtocolException e) {
                assertOneLine(e);
            }
            try {
                Protocol.decodeResponse(line);
            } catch (ProtocolException e) {
                assertOneLine(e);
            }
        });
    }

    private static byte[] line(Object message) {
        ByteBuffer b = Protocol.encode(message);
        byte[] out = new byte[b.remaining() - 1];
        b.get(out);
        return out;
    }

    /** The line a LineBuffer returns when {@code encoded} arrives in pieces of the given sizes. */
    private static byte[] reassemble(ByteBuffer encoded, List<Integer> cuts) throws ProtocolException {
        Protocol.LineBuffer buffer = new Protocol.LineBuffer();
        int i = 0;
        while (encoded.hasRemaining()) {
            int n = Math.min(encoded.remaining(), cuts.isEmpty() ? encoded.remaining() : cuts.get(i++ % cuts.size()));
            ByteBuffer piece = encoded.slice(encoded.position(), n);
            encoded.position(encoded.position() + n);
            byte[] line = buffer.feed(piece);
            if (line != null) {
                assertFalse(encoded.hasRemaining(), "a line ended before the message did");
                return line;
            }
        }
        throw new AssertionError("the encoded message had no newline");
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> s = Arbitraries.strings().ofMaxLength(40).injectNull(0.2);
        Arbitrary<Map<String, String>> annotations = Arbitraries.maps(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(20)).ofMaxSize(4).injectNull(0.3);
        return Combinators.combine(Arbitraries.oneOf(
                        Arbitraries.of(Request.REGISTER, Request.STOP, Request.STATUS, Request.HOOK, Request.PATCH),
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(10)), s,
                Arbitraries.integers().injectNull(0.3), s, annotations, s, s, s)
                .as((op, id, pid, bundle, ann, stage, state, mode) ->
                        new Request(Protocol.VERSION, op, id, pid, bundle, ann, stage, state, mode));
    }

    @Provide
    Arbitrary<Response> responses() {
        Arbitrary<String> s = Arbitraries.strings().ofMaxLength(40).injectNull(0.3);
        Arbitrary<List<Map<String, Object>>> containers = Arbitraries.maps(Arbitraries.strings().ofMaxLength(10),
                        Arbitraries.strings().ofMaxLength(20).map(v -> (Object) v)).ofMaxSize(4)
                .list().ofMaxSize(3).injectNull(0.3);
        return Combinators.combine(Arbitraries.of(true, false), s, Arbitraries.integers().injectNull(0.3),
                        Arbitraries.longs().injectNull(0.3), s, s, containers)
                .as((ok, error, slot, cg, report, method, cs) -> new Response(Protocol.VERSION, ok, error, slot, cg, report, method, cs));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Fuzz.mutations();
    }
}
