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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read-only calls contxray makes to a Docker engine's API on its unix socket: what a
 * container is called and runs, which running container has which address and published port,
 * which containers a network holds, and the engine's events (see {@link DockerEventStream} for
 * the streamed ones). HTTP/1.0 (the engine closes the connection after the answer, no chunking);
 * every call is bounded.
 */
final class DockerEngine {
    /**
     * A container as the engine names it; name without Docker's leading '/'.
     *
     * @param since when it started (inspect) or was created (listing), epoch ns; 0 if not said
     */
    record Container(String id, String name, String image, List<Address> addresses, List<Published> published,
                     long since) {
    }

    /** An address of a container on one of the engine's networks. */
    record Address(String address, String network) {
    }

    /** A host port the engine published for a container: on hostIp (0.0.0.0 or :: for all). */
    record Published(String hostIp, int port, String protocol) {
    }

    /** Events the address history follows. */
    static final String EVENT_FILTERS = "{\"type\":[\"container\",\"network\"],"
            + "\"event\":[\"create\",\"start\",\"die\",\"destroy\",\"connect\",\"disconnect\"]}";

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

    /** GET /networks/{id}: the addresses of the containers on it. */
    Map<String, List<Address>> network(String id) throws IOException {
        return parseNetwork(get("/networks/" + id));
    }

    /**
     * The engine's events from since to until (epoch ns), one JSON object a line: a bounded
     * answer, for catching up with what a stream has not delivered yet.
     */
    List<String> events(long sinceNs, long untilNs) throws IOException {
        String path = eventsPath(sinceNs) + "&until=" + seconds(untilNs);
        byte[] response = exchange(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        List<String> lines = new ArrayList<>();
        for (String line : new String(body(response, path), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** /events of the history's types, from sinceNs (0: from now on). */
    static String eventsPath(long sinceNs) {
        String path = "/events?filters=" + java.net.URLEncoder.encode(EVENT_FILTERS, StandardCharsets.UTF_8);
        return sinceNs > 0 ? path + "&since=" + seconds(sinceNs) : path;
    }

    /** Docker's timestamp parameter form: seconds.nanoseconds. */
    static String seconds(long epochNs) {
        return Math.floorDiv(epochNs, 1_000_000_000L) + "." + String.format("%09d", Math.floorMod(epochNs, 1_000_000_000L));
    }

    static Container parseInspect(JsonNode c) {
        List<Published> published = new ArrayList<>();
        c.path("NetworkSettings").path("Ports").fields().forEachRemaining(p -> {
            String[] portProto = p.getKey().split("/");
            for (JsonNode binding : p.getValue()) {
                int hostPort = binding.path("HostPort").asInt(0);
                if (hostPort > 0 && portProto.length == 2) {
                    published.add(new Published(hostIp(binding.path("HostIp").asText("")), hostPort, portProto[1]));
                }
            }
        });
        return new Container(c.path("Id").asText(), stripSlash(c.path("Name").asText()), c.path("Config").path("Image").asText(null),
                addresses(c), published, io.contxray.model.Holdings.nanosOf(c.path("State").path("StartedAt").asText(null), 0));
    }

    static List<Container> parseList(JsonNode list) {
        List<Container> out = new ArrayList<>();
        for (JsonNode c : list) {
            String name = c.path("Names").size() > 0 ? stripSlash(c.path("Names").get(0).asText()) : null;
            List<Published> published = new ArrayList<>();
            for (JsonNode p : c.path("Ports")) {
                if (p.path("PublicPort").asInt(0) > 0) {
                    published.add(new Published(hostIp(p.path("IP").asText("")), p.path("PublicPort").asInt(),
                            p.path("Type").asText("tcp")));
                }
            }
            out.add(new Container(c.path("Id").asText(), name, c.path("Image").asText(null), addresses(c), published,
                    c.path("Created").asLong(0) * 1_000_000_000L));
        }
        return out;
    }

    /** A network's containers and their addresses ("172.17.0.2/16" in the answer). */
    static Map<String, List<Address>> parseNetwork(JsonNode n) {
        Map<String, List<Address>> out = new java.util.HashMap<>();
        String network = n.path("Id").asText(null);
        n.path("Containers").fields().forEachRemaining(c -> {
            List<Address> addresses = new ArrayList<>();
            for (String field : List.of("IPv4Address", "IPv6Address")) {
                String a = c.getValue().path(field).asText("");
                if (!a.isEmpty()) {
                    addresses.add(new Address(a.contains("/") ? a.substring(0, a.indexOf('/')) : a, network));
                }
            }
            out.put(c.getKey(), addresses);
        });
        return out;
    }

    private static List<Address> addresses(JsonNode container) {
        List<Address> out = new ArrayList<>();
        container.path("NetworkSettings").path("Networks").forEach(n -> {
            for (String field : List.of("IPAddress", "GlobalIPv6Address")) {
                String a = n.path(field).asText("");
                if (!a.isEmpty()) {
                    out.add(new Address(a, n.path("NetworkID").asText(null)));
                }
            }
        });
        return out;
    }

    /** An empty host address is every address. */
    private static String hostIp(String ip) {
        return ip.isEmpty() ? "0.0.0.0" : ip;
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
