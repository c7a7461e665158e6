package io.contxray.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two read-only calls contxray makes to a Docker engine's API on its unix socket: what a
 * container is called and runs, and which running container has which address. HTTP/1.0 (the
 * engine closes the connection after the answer, no chunking); every call is bounded.
 */
final class DockerEngine {
    /** A container as the engine names it; name without Docker's leading '/'. */
    record Container(String id, String name, String image, List<String> addresses) {
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "contxray-docker-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Path socket;
    private final Duration timeout;

    DockerEngine(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    /** GET /containers/{id}/json. */
    Container inspect(String id) throws IOException {
        return parseInspect(get("/containers/" + id + "/json"));
    }

    /**
     * The container with this id, from GET /containers/json?all=1 filtered by id, or null: the
     * list is served from the engine's snapshot, without the container's lock, which the engine
     * holds while the container starts (an inspect then waits for the start that waits for us).
     */
    Container listed(String id) throws IOException {
        String filter = java.net.URLEncoder.encode("{\"id\":[\"" + id + "\"]}", java.nio.charset.StandardCharsets.UTF_8);
        List<Container> found = parseList(get("/containers/json?all=1&filters=" + filter));
        return found.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** GET /containers/json: running containers with their addresses. */
    List<Container> running() throws IOException {
        return parseList(get("/containers/json"));
    }

    static Container parseInspect(JsonNode c) {
        List<String> addresses = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").forEach(n -> addAddresses(n, addresses));
        return new Container(c.path("Id").asText(), stripSlash(c.path("Name").asText()), c.path("Config").path("Image").asText(null),
                addresses);
    }

    static List<Container> parseList(JsonNode list) {
        List<Container> out = new ArrayList<>();
        for (JsonNode c : list) {
            List<String> addresses = new ArrayList<>();
            c.path("NetworkSettings").path("Networks").forEach(n -> addAddresses(n, addresses));
            String name = c.path("Names").size() > 0 ? stripSlash(c.path("Names").get(0).asText()) : null;
            out.add(new Container(c.path("Id").asText(), name, c.path("Image").asText(null), addresses));
        }
        return out;
    }

    private static void addAddresses(JsonNode network, List<String> into) {
        for (String field : List.of("IPAddress", "GlobalIPv6Address")) {
            String a = network.path(field).asText("");
            if (!a.isEmpty()) {
                into.add(a);
            }
        }
    }

    private static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private JsonNode get(String path) throws IOException {
        byte[] response = exchange(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return Json.mapper().readTree(body(response, path));
    }

    /** The body of a 200 answer; an IOException with the status line otherwise. */
    static byte[] body(byte[] response, String path) throws IOException {
        String head = new String(response, 0, Math.min(response.length, 4096), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("GET " + path + ": no complete HTTP answer");
        }
        String status = head.substring(0, head.indexOf("\r\n"));
        if (!status.matches("HTTP/1\\.[01] 200 .*")) {
            throw new IOException("GET " + path + ": " + status);
        }
        byte[] body = new byte[response.length - end - 4];
        System.arraycopy(response, end + 4, body, 0, body.length);
        return body;
    }

    private byte[] exchange(byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a silent engine must not hold the caller: closing the channel ends any blocked call
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(request));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(16384);
                while (ch.read(buf.clear()) >= 0) {
                    out.write(buf.array(), 0, buf.position());
                    if (out.size() > 16 << 20) {
                        throw new IOException("answer from " + socket + " larger than 16 MiB");
                    }
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new IOException("Docker engine at " + socket + ": " + (ch.isOpen() ? e.getMessage()
                        : "no answer within " + timeout.toMillis() + " ms"));
            } finally {
                alarm.cancel(false);
            }
        }
    }
}
