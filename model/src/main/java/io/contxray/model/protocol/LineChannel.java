package io.contxray.model.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Sends and receives one protocol line on a non-blocking channel, every wait bounded by one
 * deadline (unix socket channels have no read timeout of their own). A write is tried before any
 * wait, so a line the socket has room for goes out even once the deadline has passed.
 */
public final class LineChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private long deadlineNanos;
    private final long timeoutMillis;

    public LineChannel(SocketChannel channel, long timeoutMillis) throws IOException {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    public void send(Object message, String doing) throws IOException, TimeoutException {
        ByteBuffer out = Protocol.encode(message);
        channel.register(selector, SelectionKey.OP_WRITE);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                awaitReady(doing);
            }
        }
    }

    /**
     * Starts the timeout again from now: a server calls it once the request is handled, so that
     * the time its own work took (waiting for a busy recorder, say) is not charged to the client.
     */
    public void restartDeadline() {
        deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    /** The next line, or null if the peer closed before sending anything. */
    public byte[] receive(String doing) throws IOException, TimeoutException, ProtocolException {
        channel.register(selector, SelectionKey.OP_READ);
        Protocol.LineBuffer line = new Protocol.LineBuffer();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (true) {
            awaitReady(doing);
            in.clear();
            if (channel.read(in) < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new ProtocolException("connection closed in the middle of a message");
            }
            in.flip();
            byte[] complete = line.feed(in);
            if (complete != null) {
                return complete;
            }
        }
    }

    private void awaitReady(String doing) throws IOException, TimeoutException {
        while (true) {
            long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new TimeoutException("timed out after " + timeoutMillis + " ms " + doing);
            }
            if (selector.select(leftMs) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /** The deadline passed. */
    public static final class TimeoutException extends Exception {
        public TimeoutException(String message) {
            super(message);
        }
    }
}
