package io.contxray.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A one-connection daemon on a unix socket: records the request line, answers a fixed line (or never). */
final class FakeDaemon implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final CompletableFuture<String> received = new CompletableFuture<>();
    private final Thread thread;

    /** {@code answer} null: accept nothing, answer nothing (the kernel still completes the connect). */
    FakeDaemon(Path dir, String answer) throws IOException {
        socket = dir.resolve("d-" + System.nanoTime() + ".sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> serve(answer), "fake-daemon");
        thread.setDaemon(true);
        if (answer != null) {
            thread.start();
        }
    }

    private void serve(String answer) {
        try (SocketChannel ch = server.accept()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            outer:
            while (ch.read(buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        break outer;
                    }
                    line.write(b);
                }
            }
            received.complete(line.toString(StandardCharsets.UTF_8));
            ch.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            received.completeExceptionally(e);
        }
    }

    Path socket() {
        return socket;
    }

    /** Whether a request line has come in (so far). */
    boolean sawRequest() {
        return received.isDone();
    }

    String request() throws Exception {
        return received.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
