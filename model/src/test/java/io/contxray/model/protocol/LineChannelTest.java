package io.contxray.model.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's side of a connection: what its deadline bounds, and what it does not. */
class LineChannelTest {
    private static final long TIMEOUT_MS = 500;

    @TempDir
    Path tmp;

    /** Serves one request: reads it, works for workMs, then answers (restarting the clock first if asked). */
    private CompletableFuture<Void> serveSlowly(ServerSocketChannel server, long workMs, boolean restart) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel ch = server.accept(); LineChannel line = new LineChannel(ch, TIMEOUT_MS)) {
                line.receive("reading a request");
                Thread.sleep(workMs);
                if (restart) {
                    line.restartDeadline();
                }
                line.send(Response.error("done"), "sending the answer");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(tmp.resolve("s.sock")));
        return server;
    }

    @Test
    void anAnswerAfterWorkLongerThanTheTimeoutStillReachesTheClient() throws Exception {
        Protocol.encode(Request.status()); // class loading is not the client's silence
        for (boolean restart : new boolean[] {true, false}) {
            try (ServerSocketChannel server = listen()) {
                CompletableFuture<Void> served = serveSlowly(server, 3 * TIMEOUT_MS, restart);
                Response r = new DaemonClient(tmp.resolve("s.sock"), Duration.ofSeconds(10)).call(Request.status());
                assertEquals("done", r.error(), "restart " + restart);
                served.get(10, TimeUnit.SECONDS);
            }
            java.nio.file.Files.delete(tmp.resolve("s.sock"));
        }
    }

    @Test
    void aSilentClientIsStillCutOffAtTheDeadline() throws Exception {
        try (ServerSocketChannel server = listen();
             SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(tmp.resolve("s.sock")));
             SocketChannel ch = server.accept();
             LineChannel line = new LineChannel(ch, TIMEOUT_MS)) {
            client.write(ByteBuffer.wrap("{\"v\":1,".getBytes(StandardCharsets.UTF_8))); // half a line, then nothing
            long t0 = System.nanoTime();
            LineChannel.TimeoutException e = assertThrows(LineChannel.TimeoutException.class, () -> line.receive("reading a request"));
            assertTrue(e.getMessage().contains("timed out after " + TIMEOUT_MS + " ms reading a request"), e.getMessage());
            assertTrue(System.nanoTime() - t0 >= TIMEOUT_MS * 1_000_000L, "cut off before its deadline");
        }
    }
}
