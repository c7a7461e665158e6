package io.contxray.shim.nri;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.contxray.shim.nri.proto.Ttrpc;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection of an NRI plugin to its runtime: the multiplexed unix socket, a ttrpc server for
 * the calls the runtime makes on {@link Multiplexer#PLUGIN_SERVICE}, and a ttrpc client for the
 * plugin's own calls on {@link Multiplexer#RUNTIME_SERVICE}. One reader thread (started by
 * {@link #start}) owns the reading side and answers the runtime's calls itself, in order, so a
 * handler must not call the runtime back. Closing the session closes the socket.
 */
public final class NriSession implements AutoCloseable {
    /** Answers one call of the runtime: the reply message's bytes, or a CallException sent as its status. */
    public interface Handler {
        byte[] handle(String service, String method, byte[] payload) throws CallException;
    }

    private final SocketChannel channel;
    private final Handler handler;
    private final OutputStream tapIn;
    private final OutputStream tapOut;
    private final Map<Integer, CompletableFuture<Ttrpc.Response>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private int nextStream = 1;

    private NriSession(SocketChannel channel, Handler handler, OutputStream tapIn, OutputStream tapOut) {
        this.channel = channel;
        this.handler = handler;
        this.tapIn = tapIn;
        this.tapOut = tapOut;
    }

    /**
     * Connects to the runtime's NRI socket. {@code tapIn}/{@code tapOut}, when not null, get a copy
     * of every byte read and written (a capture of the exchange).
     */
    public static NriSession connect(Path socket, Handler handler, OutputStream tapIn, OutputStream tapOut) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("connecting to NRI socket " + socket + ": " + e.getMessage(), e);
        }
        return new NriSession(ch, handler, tapIn, tapOut);
    }

    /** Starts the reader thread. */
    public NriSession start() {
        Thread reader = new Thread(this::readLoop, "nri-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Calls {@code method} of the runtime's service, waiting at most {@code timeout} for its answer. */
    public byte[] call(String service, String method, MessageLite request, Duration timeout) throws IOException, CallException {
        int stream;
        CompletableFuture<Ttrpc.Response> answer = new CompletableFuture<>();
        synchronized (writeLock) {
            stream = nextStream;
            nextStream += 2;
        }
        pending.put(stream, answer);
        Ttrpc.Request req = Ttrpc.Request.newBuilder().setService(service).setMethod(method)
                .setPayload(request.toByteString()).setTimeoutNano(timeout.toNanos()).build();
        try {
            send(Multiplexer.RUNTIME_SERVICE, new TtrpcFrame(stream, TtrpcFrame.REQUEST, (byte) 0, req.toByteArray()));
            Ttrpc.Response resp = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (resp.hasStatus() && resp.getStatus().getCode() != 0) {
                throw new CallException(resp.getStatus().getCode(), service + "/" + method + ": " + resp.getStatus().getMessage());
            }
            return resp.getPayload().toByteArray();
        } catch (TimeoutException e) {
            throw new CallException(CallException.DEADLINE_EXCEEDED, service + "/" + method + ": no answer in " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(service + "/" + method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(service + "/" + method + ": interrupted", e);
        } finally {
            pending.remove(stream);
        }
    }

    /** Waits until the connection is closed (by the runtime, by an error or by {@link #close}); the reason, null for a clean close. */
    public Throwable awaitClosed() throws InterruptedException {
        try {
            closed.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
        closed.complete(null);
    }

    private void readLoop() {
        FrameAssembler pluginSide = new FrameAssembler();
        FrameAssembler runtimeSide = new FrameAssembler();
        InputStream in = new ChannelInput();
        try {
            while (true) {
                Multiplexer.Frame frame = Multiplexer.read(in);
                switch (frame.connection()) {
                    case Multiplexer.PLUGIN_SERVICE -> {
                        for (TtrpcFrame f : pluginSide.feed(frame.payload())) {
                            serve(f);
                        }
                    }
                    case Multiplexer.RUNTIME_SERVICE -> {
                        for (TtrpcFrame f : runtimeSide.feed(frame.payload())) {
                            answered(f);
                        }
                    }
                    default -> throw new IOException("multiplexer frame for unknown connection " + frame.connection());
                }
            }
        } catch (IOException | RuntimeException e) {
            // EOF: the runtime closed; a closed channel: we did; anything else breaks the connection
            boolean clean = e instanceof EOFException || !channel.isOpen();
            IOException failure = clean ? new IOException("NRI connection closed") : new IOException("NRI connection: " + e.getMessage(), e);
            failPending(failure);
            if (clean) {
                closed.complete(null);
            } else {
                closed.completeExceptionally(failure);
            }
            close();
        }
    }

    private void serve(TtrpcFrame frame) throws IOException {
        if (frame.type() != TtrpcFrame.REQUEST) {
            return; // the runtime is the client on this connection: nothing else is meant for us
        }
        Ttrpc.Response.Builder resp = Ttrpc.Response.newBuilder();
        try {
            Ttrpc.Request req = Ttrpc.Request.parseFrom(frame.data());
            resp.setPayload(ByteString.copyFrom(handler.handle(req.getService(), req.getMethod(), req.getPayload().toByteArray())));
        } catch (InvalidProtocolBufferException e) {
            resp.setStatus(Ttrpc.Status.newBuilder().setCode(CallException.INVALID_ARGUMENT).setMessage("unreadable request: " + e.getMessage()));
        } catch (CallException e) {
            resp.setStatus(Ttrpc.Status.newBuilder().setCode(e.code()).setMessage(e.getMessage()));
        }
        send(Multiplexer.PLUGIN_SERVICE, new TtrpcFrame(frame.streamId(), TtrpcFrame.RESPONSE, (byte) 0, resp.build().toByteArray()));
    }

    private void answered(TtrpcFrame frame) throws IOException {
        CompletableFuture<Ttrpc.Response> waiting = pending.get(frame.streamId());
        if (frame.type() != TtrpcFrame.RESPONSE || waiting == null) {
            return; // a late answer to a call that timed out
        }
        waiting.complete(Ttrpc.Response.parseFrom(frame.data()));
    }

    private void send(int connection, TtrpcFrame frame) throws IOException {
        byte[] bytes = Multiplexer.encode(connection, frame.encode());
        synchronized (writeLock) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            if (tapOut != null) {
                tapOut.write(bytes);
                tapOut.flush();
            }
        }
    }

    private void failPending(IOException e) {
        pending.values().forEach(f -> f.completeExceptionally(e));
    }

    /** Reads the channel directly: the streams of java.nio.channels.Channels lock reads and writes together. */
    private final class ChannelInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n > 0 && tapIn != null) {
                tapIn.write(b, off, n);
                tapIn.flush();
            }
            return n;
        }
    }
}
