package io.contxray.shim.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.shim.nri.proto.NriApi;
import io.contxray.shim.nri.proto.Ttrpc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decodes and replays a real exchange between contxray's NRI plugin and containerd 1.7.24
 * (src/test/resources/nri/README.md): the multiplexer and ttrpc framing must read every byte of
 * it, and the plugin, given containerd's requests again, must answer with the same bytes.
 */
class CapturedExchangeTest {
    /** One ttrpc frame and the multiplexed connection it came on. */
    record Framed(int connection, TtrpcFrame frame) {
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(CapturedExchangeTest.class.getResourceAsStream("/nri/" + name), name)) {
            return in.readAllBytes();
        }
    }

    /** Every ttrpc frame of a captured byte stream, in order. */
    static List<Framed> frames(byte[] capture) throws IOException {
        InputStream in = new ByteArrayInputStream(capture);
        FrameAssembler plugin = new FrameAssembler();
        FrameAssembler runtime = new FrameAssembler();
        List<Framed> out = new ArrayList<>();
        while (true) {
            Multiplexer.Frame f;
            try {
                f = Multiplexer.read(in);
            } catch (EOFException e) {
                break;
            }
            FrameAssembler a = f.connection() == Multiplexer.PLUGIN_SERVICE ? plugin : runtime;
            for (TtrpcFrame t : a.feed(f.payload())) {
                out.add(new Framed(f.connection(), t));
            }
        }
        assertEquals(0, plugin.pendingBytes() + runtime.pendingBytes(), "no half frame left over");
        return out;
    }

    @Test
    void containerdsSideDecodes() throws IOException {
        List<Framed> frames = frames(resource("from-runtime.bin"));
        List<String> calls = new ArrayList<>();
        for (Framed f : frames) {
            if (f.connection() == Multiplexer.RUNTIME_SERVICE) {
                assertEquals(TtrpcFrame.RESPONSE, f.frame().type(), "containerd only answers on the runtime connection");
                Ttrpc.Response r = Ttrpc.Response.parseFrom(f.frame().data());
                assertEquals(0, r.getStatus().getCode(), "registration accepted");
                calls.add("answer " + f.frame().streamId());
            } else {
                assertEquals(TtrpcFrame.REQUEST, f.frame().type());
                Ttrpc.Request r = Ttrpc.Request.parseFrom(f.frame().data());
                assertEquals(NriPlugin.PLUGIN_SERVICE, r.getService());
                calls.add(r.getMethod());
            }
        }
        // containerd configures the plugin before it answers the registration, then synchronises it
        assertEquals(List.of("Configure", "answer 1", "Synchronize", "CreateContainer", "CreateContainer", "CreateContainer"), calls);
    }

    @Test
    void theCreateRequestsCarryThePodsAnnotations() throws IOException {
        List<NriApi.CreateContainerRequest> creates = new ArrayList<>();
        for (Framed f : frames(resource("from-runtime.bin"))) {
            if (f.frame().type() == TtrpcFrame.REQUEST) {
                Ttrpc.Request r = Ttrpc.Request.parseFrom(f.frame().data());
                if (r.getMethod().equals("CreateContainer")) {
                    creates.add(NriApi.CreateContainerRequest.parseFrom(r.getPayload()));
                }
            }
        }
        assertEquals(List.of("recorded", "plain", "enforced"), creates.stream().map(c -> c.getPod().getName()).toList());
        assertEquals("true", creates.get(0).getPod().getAnnotationsMap().get("contxray.record"));
        assertFalse(creates.get(1).getPod().getAnnotationsMap().containsKey("contxray.record"));
        assertEquals("enforce", creates.get(2).getPod().getAnnotationsMap().get("contxray.mode"));
        assertEquals("recorded-c", creates.get(0).getContainer().getName());
        assertEquals(creates.get(0).getPod().getId(), creates.get(0).getContainer().getPodSandboxId());
    }

    @Test
    void thePluginsSideDecodes() throws IOException {
        List<Framed> frames = frames(resource("to-runtime.bin"));
        Framed first = frames.get(0);
        assertEquals(Multiplexer.RUNTIME_SERVICE, first.connection());
        assertEquals(1, first.frame().streamId(), "a ttrpc client's first stream is 1");
        Ttrpc.Request reg = Ttrpc.Request.parseFrom(first.frame().data());
        assertEquals(NriPlugin.RUNTIME_SERVICE + "/RegisterPlugin", reg.getService() + "/" + reg.getMethod());
        NriApi.RegisterPluginRequest r = NriApi.RegisterPluginRequest.parseFrom(reg.getPayload());
        assertEquals("contxray", r.getPluginName());
        assertEquals("10", r.getPluginIdx());
        assertTrue(frames.subList(1, frames.size()).stream()
                .allMatch(f -> f.connection() == Multiplexer.PLUGIN_SERVICE && f.frame().type() == TtrpcFrame.RESPONSE));
    }

    @Test
    void replayingContainerdsRequestsGivesTheCapturedAnswers() throws IOException {
        NriPlugin plugin = new NriPlugin(new ContainerAdjuster("/usr/local/lib/contxray/contxray-hook", "contxray"),
                new PrintStream(new ByteArrayOutputStream()));
        List<Framed> requests = frames(resource("from-runtime.bin")).stream()
                .filter(f -> f.connection() == Multiplexer.PLUGIN_SERVICE).toList();
        List<Framed> answers = frames(resource("to-runtime.bin")).stream()
                .filter(f -> f.connection() == Multiplexer.PLUGIN_SERVICE).toList();
        assertEquals(requests.size(), answers.size());
        for (int i = 0; i < requests.size(); i++) {
            TtrpcFrame req = requests.get(i).frame();
            TtrpcFrame captured = answers.get(i).frame();
            assertEquals(req.streamId(), captured.streamId(), "answers go back on the request's stream");
            Ttrpc.Request r = Ttrpc.Request.parseFrom(req.data());
            Ttrpc.Response.Builder resp = Ttrpc.Response.newBuilder();
            try {
                resp.setPayload(com.google.protobuf.ByteString.copyFrom(plugin.handle(r.getService(), r.getMethod(), r.getPayload().toByteArray())));
            } catch (CallException e) {
                resp.setStatus(Ttrpc.Status.newBuilder().setCode(e.code()).setMessage(e.getMessage()));
            }
            assertArrayEquals(captured.data(), resp.build().toByteArray(), r.getMethod() + " #" + i);
        }
        Ttrpc.Response refused = Ttrpc.Response.parseFrom(answers.get(answers.size() - 1).frame().data());
        assertEquals(CallException.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getMessage().contains("runtimeClassName: contxray"), refused.getStatus().getMessage());
    }

    @Test
    void framesSplitAnywhereAreReassembled() throws IOException {
        byte[] capture = resource("from-runtime.bin");
        List<Framed> whole = frames(capture);
        // the same ttrpc bytes, re-multiplexed in chunks of random sizes
        ByteArrayOutputStream rechunked = new ByteArrayOutputStream();
        Random random = new Random(42);
        for (Framed f : whole) {
            byte[] bytes = f.frame().encode();
            for (int off = 0; off < bytes.length; ) {
                int n = Math.min(bytes.length - off, 1 + random.nextInt(40));
                rechunked.write(Multiplexer.encode(f.connection(), java.util.Arrays.copyOfRange(bytes, off, off + n)));
                off += n;
            }
        }
        List<Framed> again = frames(rechunked.toByteArray());
        assertEquals(whole.size(), again.size());
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).connection(), again.get(i).connection());
            assertArrayEquals(whole.get(i).frame().encode(), again.get(i).frame().encode());
        }
    }
}
