package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Holdings;
import io.contxray.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history a feed builds from a real engine's answers: captured from dockerd 20.10 and 26.1 on
 * this kind of machine (resources docker/VERSION/*.http: the raw HTTP/1.0 answers) while a busybox
 * "srv" started with -p 127.0.0.1:18021:80, joined and left a network of its own, a "cli" ran
 * `true` with --rm, and srv was removed. The engine's other answers (srv's inspect, the bridge
 * network's endpoints, the container list) are the ones captured at the same time.
 */
class DockerHistoryFeedTest {
    private static final String KEY = "/run/docker.sock";

    private static byte[] resource(String version, String name) throws IOException {
        try (var in = DockerHistoryFeedTest.class.getResourceAsStream("/docker/" + version + "/" + name)) {
            return in.readAllBytes();
        }
    }

    private static JsonNode body(String version, String name) throws IOException {
        return Json.mapper().readTree(DockerEngine.body(resource(version, name), name));
    }

    /** The lines of the captured event stream, through the decoder the daemon uses. */
    private static List<String> events(String version) throws IOException {
        byte[] raw = resource(version, "events.http");
        return new EventStreamDecoder("GET /events").feed(raw, 0, raw.length);
    }

    /** Answers as the engine gave them then; what was not captured is gone (as removed containers are). */
    private static DockerHistoryFeed.Engine captured(String version) throws IOException {
        DockerEngine.Container srv = DockerEngine.parseInspect(body(version, "inspect.http"));
        JsonNode network = body(version, "network.http");
        List<DockerEngine.Container> running = DockerEngine.parseList(body(version, "containers-json.http"));
        return new DockerHistoryFeed.Engine() {
            public String key() {
                return KEY;
            }

            public DockerEngine.Container inspect(String id) throws IOException {
                if (id.equals(srv.id())) {
                    return srv;
                }
                throw new IOException("GET /containers/" + id + "/json: HTTP/1.0 404 Not Found");
            }

            public Map<String, List<DockerEngine.Address>> network(String id) throws IOException {
                if (id.equals(network.path("Id").asText())) {
                    return DockerEngine.parseNetwork(network);
                }
                throw new IOException("GET /networks/" + id + ": HTTP/1.0 404 Not Found");
            }

            public List<DockerEngine.Container> running() {
                return running;
            }

            public List<String> events(long sinceNs, long untilNs) {
                return List.of();
            }

            public DockerEventStream stream(long sinceNs) throws IOException {
                throw new IOException("not in this test");
            }
        };
    }

    private static DockerHistoryFeed feed(String version, AddressHistory h) throws IOException {
        return new DockerHistoryFeed(captured(version), h, () -> { }, Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"),
                ZoneOffset.UTC), new Log(new PrintStream(new ByteArrayOutputStream())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20.10", "26.1"})
    void theEventsGiveWhoHeldTheAddressAndThePublishedPortFromConnectToDie(String version) throws IOException {
        List<DockerEvent> events = new ArrayList<>();
        for (String line : events(version)) {
            events.add(DockerEvent.parse(Json.mapper().readTree(line)));
        }
        assertEquals(17, events.size());
        DockerEvent connect = events.stream().filter(e -> e.action().equals("connect")).findFirst().orElseThrow();
        String srv = connect.attributes().get("container");
        long died = events.stream().filter(e -> e.action().equals("die") && e.actor().equals(srv)).findFirst()
                .orElseThrow().timeNano();
        String address = body(version, "inspect.http").path("NetworkSettings").path("Networks").path("bridge")
                .path("IPAddress").asText();

        AddressHistory h = new AddressHistory(3600_000_000_000L, 100);
        DockerHistoryFeed f = feed(version, h);
        events(version).forEach(f::applyLine);

        AddressHistory.Match m = h.at(address, connect.timeNano() + 1);
        assertEquals(srv, m.holder().id());
        assertEquals("cx21cap-srv-" + (version.equals("20.10") ? "d20" : "d26"), m.holder().name());
        assertEquals("contxray-test/busybox", m.holder().image());
        assertEquals(AddressHistory.ENGINE_EVENT, m.holding().source());
        assertEquals(connect.timeNano(), m.holding().from());
        // ended by its network disconnect (26.1 sends it before the die) or its die, whichever came first
        long ended = m.holding().until();
        assertEquals(true, ended <= died && ended > connect.timeNano());
        assertNull(h.at(address, died + Holdings.EARLY + 1), "nobody holds it after");
        assertEquals(srv, h.published("127.0.0.1", 18021, "tcp", connect.timeNano() + 1).holder().id());
        assertEquals(events.get(events.size() - 1).timeNano(), h.lastEvent(KEY));
        assertEquals(java.util.Set.of(), h.holding(KEY), "everything captured was removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"20.10", "26.1"})
    void aListingHoldsWhatRunsAndEndsWhatNoLongerDoes(String version) throws IOException {
        AddressHistory h = new AddressHistory(3600_000_000_000L, 100);
        h.hold(KEY, "gone", "10.9.9.9", null, null, null, AddressHistory.ENGINE_EVENT, 1);
        DockerHistoryFeed f = feed(version, h);
        f.list();
        DockerEngine.Container srv = DockerEngine.parseInspect(body(version, "inspect.http"));
        long now = Holdings.nanos(Instant.parse("2026-12-07T03:00:00Z"));
        AddressHistory.Match m = h.at(srv.addresses().get(0).address(), now);
        assertEquals(srv.id(), m.holder().id());
        assertEquals(AddressHistory.LISTING, m.holding().source());
        assertEquals(srv.id(), h.published("127.0.0.1", 18021, "tcp", now).holder().id());
        assertNull(h.at("10.9.9.9", now + Holdings.EARLY + 1));
        assertEquals(now, h.at("10.9.9.9", 5).holding().until());
    }

    @org.junit.jupiter.api.Test
    void aLineThatIsNotJsonIsSkipped() throws IOException {
        AddressHistory h = new AddressHistory(3600_000_000_000L, 100);
        DockerHistoryFeed f = feed("20.10", h);
        f.applyLine("{not json");
        assertEquals(0, h.size());
    }
}
