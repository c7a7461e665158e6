package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.Json;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEngineTest {
    @Test
    void parsesInspectAndList() throws Exception {
        DockerEngine.Container c = DockerEngine.parseInspect(Json.mapper().readTree("{\"Id\":\"abc\",\"Name\":\"/web\","
                + "\"Config\":{\"Image\":\"nginx:1\"},\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAddress\":\"172.17.0.2\","
                + "\"GlobalIPv6Address\":\"\"},\"other\":{\"IPAddress\":\"10.1.0.5\",\"GlobalIPv6Address\":\"fd00::5\"}}}}"));
        assertEquals(new DockerEngine.Container("abc", "web", "nginx:1", List.of(new DockerEngine.Address("172.17.0.2", null),
                new DockerEngine.Address("10.1.0.5", null), new DockerEngine.Address("fd00::5", null)), List.of(), 0), c);
        List<DockerEngine.Container> list = DockerEngine.parseList(Json.mapper().readTree("[{\"Id\":\"x\",\"Names\":[\"/a\"],"
                + "\"Image\":\"busybox\",\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAddress\":\"172.17.0.3\"}}}},"
                + "{\"Id\":\"y\",\"Names\":[],\"Image\":\"z\",\"NetworkSettings\":{\"Networks\":{\"none\":{\"IPAddress\":\"\"}}}}]"));
        assertEquals(List.of(new DockerEngine.Container("x", "a", "busybox", List.of(new DockerEngine.Address("172.17.0.3", null)),
                List.of(), 0), new DockerEngine.Container("y", null, "z", List.of(), List.of(), 0)), list);
    }

    @Test
    void onlyA200BodyIsAnAnswer() throws Exception {
        assertEquals("[]", new String(DockerEngine.body("HTTP/1.0 200 OK\r\nContent-Type: x\r\n\r\n[]".getBytes(StandardCharsets.ISO_8859_1),
                "/p"), StandardCharsets.UTF_8));
        IOException notFound = assertThrows(IOException.class,
                () -> DockerEngine.body("HTTP/1.1 404 Not Found\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1), "/containers/x/json"));
        assertEquals("GET /containers/x/json: HTTP/1.1 404 Not Found", notFound.getMessage());
        assertThrows(IOException.class, () -> DockerEngine.body("HTTP/1.0 200".getBytes(StandardCharsets.ISO_8859_1), "/p"));
    }

    @Test
    void aMissingOrSilentEngineFailsWithinTheTimeout(@TempDir Path dir) throws Exception {
        DockerEngine missing = new DockerEngine(dir.resolve("none.sock"), Duration.ofSeconds(2));
        assertTrue(assertThrows(IOException.class, missing::running).getMessage().startsWith("Docker engine at "));
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(dir.resolve("silent.sock")));
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> new DockerEngine(dir.resolve("silent.sock"), Duration.ofMillis(300)).inspect("abc"));
            assertTrue(e.getMessage().endsWith("no answer within 300 ms"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        }
    }
}
