package io.contxray.shim.nri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.shim.nri.proto.NriApi;
import io.contxray.shim.nri.proto.Ttrpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session against a scripted runtime on a real unix socket. */
class NriSessionTest {
    @TempDir
    Path dir;

    /** The runtime's end of the connection: reads and writes whole ttrpc frames. */
    static final class FakeRuntime {
        final InputStream in;
        final OutputStream out;
        final FrameAssembler plugin = new FrameAssembler();
        final FrameAssembler runtime = new FrameAssembler();

        FakeRuntime(SocketChannel ch) {
            in = Channels.newInputStream(ch);
            out = Channels.newOutputStream(ch);
        }

        CapturedExchangeTest.Framed next() throws IOException {
            while (true) {
                Multiplexer.Frame f = Multiplexer.read(in);
                List<TtrpcFrame> frames = (f.connection() == Multiplexer.PLUGIN_SERVICE ? plugin : runtime).feed(f.payload());
                if (!frames.isEmpty()) {
                    return new CapturedExchangeTest.Framed(f.connection(), frames.get(0));
                }
            }
        }

        void send(int connection, TtrpcFrame frame) throws IOException {
            out.write(Multiplexer.encode(connection, frame.encode()));
            out.flush();
        }

        void call(int stream, String method, com.google.protobuf.MessageLite request) throws IOException {
            send(Multiplexer.PLUGIN_SERVICE, new TtrpcFrame(stream, TtrpcFrame.REQUEST, (byte) 0, Ttrpc.Request.newBuilder()
                    .setService(NriPlugin.PLUGIN_SERVICE).setMethod(method).setPayload(request.toByteString()).build().toByteArray()));
        }
    }

    ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("nri.sock")));
        return server;
    }

    @Test
    void registersIsConfiguredAndAnswersACreate() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        NriPlugin plugin = new NriPlugin(new ContainerAdjuster("/hook", "contxray"), new PrintStream(log, true));
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<Ttrpc.Response> createAnswer = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel ch = server.accept()) {
                    FakeRuntime rt = new FakeRuntime(ch);
                    CapturedExchangeTest.Framed reg = rt.next();
                    assertEquals(Multiplexer.RUNTIME_SERVICE, reg.connection());
                    // as containerd does: configure first, then answer the registration
                    rt.call(1, "Configure", NriApi.ConfigureRequest.newBuilder().setRuntimeName("fake").build());
                    NriApi.ConfigureResponse conf = NriApi.ConfigureResponse.parseFrom(Ttrpc.Response.parseFrom(rt.next().frame().data()).getPayload());
                    assertEquals(1 << 3, conf.getEvents(), "CreateContainer only");
                    rt.send(Multiplexer.RUNTIME_SERVICE, new TtrpcFrame(reg.frame().streamId(), TtrpcFrame.RESPONSE, (byte) 0,
                            Ttrpc.Response.newBuilder().build().toByteArray()));
                    rt.call(3, "CreateContainer", ContainerAdjusterTest.request("", Map.of("contxray.record", "true"), Map.of()));
                    CapturedExchangeTest.Framed answer = rt.next();
                    assertEquals(3, answer.frame().streamId());
                    rt.call(5, "NoSuchMethod", NriApi.Empty.getDefaultInstance());
                    Ttrpc.Response unknown = Ttrpc.Response.parseFrom(rt.next().frame().data());
                    assertEquals(CallException.UNIMPLEMENTED, unknown.getStatus().getCode());
                    return Ttrpc.Response.parseFrom(answer.frame().data());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (NriSession session = NriSession.connect(dir.resolve("nri.sock"), plugin, null, null).start()) {
                plugin.register(session, "contxray", "10");
                Ttrpc.Response r = createAnswer.get(10, TimeUnit.SECONDS);
                NriApi.CreateContainerResponse created = NriApi.CreateContainerResponse.parseFrom(r.getPayload());
                assertEquals(1, created.getAdjust().getHooks().getCreateRuntimeCount());
                assertNull(session.awaitClosed(), "the runtime closing is a clean end");
            }
        }
        assertTrue(log.toString().contains("configured by fake"), log.toString());
        assertTrue(log.toString().contains("recording container nginx (c1) of pod shop/web"), log.toString());
    }

    @Test
    void aRuntimeThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocketChannel server = listen();
             NriSession session = NriSession.connect(dir.resolve("nri.sock"), (s, m, p) -> new byte[0], null, null).start();
             SocketChannel accepted = server.accept()) {
            CallException e = assertThrows(CallException.class, () -> session.call(NriPlugin.RUNTIME_SERVICE, "RegisterPlugin",
                    NriApi.RegisterPluginRequest.getDefaultInstance(), Duration.ofMillis(200)));
            assertEquals(CallException.DEADLINE_EXCEEDED, e.code());
            assertTrue(e.getMessage().contains("no answer in 200 ms"), e.getMessage());
        }
    }

    @Test
    void aMissingSocketSaysWhichOne() {
        IOException e = assertThrows(IOException.class,
                () -> NriSession.connect(dir.resolve("absent.sock"), (s, m, p) -> new byte[0], null, null));
        assertTrue(e.getMessage().startsWith("connecting to NRI socket " + dir.resolve("absent.sock")), e.getMessage());
    }

    @Test
    void garbageFromTheRuntimeEndsTheSessionWithTheReason() throws Exception {
        try (ServerSocketChannel server = listen();
             NriSession session = NriSession.connect(dir.resolve("nri.sock"), (s, m, p) -> new byte[0], null, null).start();
             SocketChannel accepted = server.accept()) {
            Channels.newOutputStream(accepted).write(Multiplexer.encode(7, new byte[] {1}));
            Throwable reason = session.awaitClosed();
            assertTrue(reason != null && reason.getMessage().contains("unknown connection 7"), String.valueOf(reason));
        }
    }
}
