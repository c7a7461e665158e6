package io.contxray.recorder;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine's streamed {@code /events} on its unix socket. The answer's head must come
 * within the timeout (a hung engine is given up on, and the caller reconnects); after it, the
 * stream may be silent for as long as nothing happens, and it ends when the engine closes it
 * (the engine stopped) or {@link #close} is called.
 */
final class DockerEventStream implements AutoCloseable {
    interface LineSink {
        void accept(String line) throws IOException;
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "contxray-docker-events-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SocketChannel channel;
    private final EventStreamDecoder decoder;
    private final ByteBuffer buf = ByteBuffer.allocate(65536);
    private List<String> first;

    private DockerEventStream(SocketChannel channel, Path socket, String path) {
        this.channel = channel;
        this.decoder = new EventStreamDecoder("GET " + path + " from " + socket);
    }

    /** Connects and reads the answer's head (bounded); the events come with {@link #forEach}. */
    static DockerEventStream open(Path socket, String path, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        DockerEventStream s = new DockerEventStream(ch, socket, path);
        ScheduledFuture<?> alarm = WATCHDOG.schedule(s::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            List<String> lines = List.of();
            while (!s.decoder.inBody()) {
                lines = s.read();
                if (lines == null) {
                    throw new IOException("Docker engine at " + socket + " closed the event stream before answering");
                }
            }
            s.first = lines;
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException("Docker engine at " + socket + ": " + (alarm.isDone() && !alarm.isCancelled()
                    ? "no answer to GET /events within " + timeout.toMillis() + " ms" : e.getMessage()));
        } finally {
            alarm.cancel(false);
        }
    }

    /** Hands every line to sink until the stream ends (then returns) or fails. */
    void forEach(LineSink sink) throws IOException {
        for (List<String> lines = first; lines != null; lines = read()) {
            for (String line : lines) {
                sink.accept(line);
            }
        }
    }

    /** The lines completed by the next read, or null at the end of the stream. */
    private List<String> read() throws IOException {
        int n = channel.read(buf.clear());
        if (n < 0) {
            return null;
        }
        return decoder.feed(buf.array(), 0, n);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
