package io.contxray.model.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonClientTest {
    @TempDir
    Path tmp;
    private ServerSocketChannel server;
    private Thread peer;

    /** A one-shot peer: reads one line, then sends {@code answer} raw (null: say nothing, hold the connection). */
    private Path serveOnce(String answer, AtomicReference<String> received) throws IOException {
        Path sock = tmp.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        peer = new Thread(() -> {
            try (SocketChannel ch = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4096);
                StringBuilder got = new StringBuilder();
                while (got.indexOf("\n") < 0 && ch.read(in) > 0) {
                    in.flip();
                    got.append(StandardCharsets.UTF_8.decode(in));
                    in.clear();
                }
                received.set(got.toString().trim());
                if (answer == null) {
                    Thread.sleep(5_000);
                } else {
                    ch.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException | InterruptedException ignored) {
                // the test decides what counts
            }
        });
        peer.setDaemon(true);
        peer.start();
        return sock;
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsTheRequestAndReadsTheAnswer() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        Path sock = serveOnce("{\"v\":1,\"ok\":true,\"slot\":3,\"cgroupId\":99}\n", got);
        Response r = new DaemonClient(sock, Duration.ofSeconds(5)).call(Request.stop("c1"));
        assertTrue(r.ok());
        assertEquals(3, r.slot());
        assertEquals(99L, r.cgroupId());
        assertEquals("{\"v\":1,\"op\":\"stop\",\"id\":\"c1\"}", got.get());
    }

    @Test
    void aMissingSocketIsUnreachable() {
        DaemonException e = assertThrows(DaemonException.class,
                () -> new DaemonClient(tmp.resolve("none.sock"), Duration.ofSeconds(1)).call(Request.status()));
        assertTrue(e.unreachable());
        assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
    }

    @Test
    void aSilentDaemonTimesOut() throws Exception {
        Path sock = serveOnce(null, new AtomicReference<>());
        long t0 = System.nanoTime();
        DaemonException e = assertThrows(DaemonException.class,
                () -> new DaemonClient(sock, Duration.ofMillis(300)).call(Request.status()));
        assertFalse(e.unreachable());
        assertTrue(e.getMessage().contains("timed out after 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the deadline bounds the call");
    }

    @Test
    void aDaemonClosingWithoutAnswerOrSpeakingAnotherVersionIsAnError() throws Exception {
        Path sock = serveOnce("", new AtomicReference<>());
        DaemonException closed = assertThrows(DaemonException.class,
                () -> new DaemonClient(sock, Duration.ofSeconds(2)).call(Request.status()));
        assertTrue(closed.getMessage().contains("without answering"), closed.getMessage());
        server.close();
        Path sock2 = tmp.resolve("d.sock");
        java.nio.file.Files.deleteIfExists(sock2);
        serveOnce("{\"v\":2,\"ok\":true}\n", new AtomicReference<>());
        DaemonException v2 = assertThrows(DaemonException.class,
                () -> new DaemonClient(sock2, Duration.ofSeconds(2)).call(Request.status()));
        assertTrue(v2.getMessage().contains("version 2"), v2.getMessage());
    }
}
