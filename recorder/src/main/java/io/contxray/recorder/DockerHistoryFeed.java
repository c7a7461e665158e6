package io.contxray.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds the address history from one Docker engine: its {@code /events} stream (container
 * create/start/die/destroy, network connect/disconnect), with one listing each time the stream
 * is (re)opened, so what happened while it was down is reconciled. The stream resumes from the
 * last event applied (the engine replays what it still holds). One thread per engine.
 */
final class DockerHistoryFeed implements AutoCloseable {
    /** What the feed asks the engine (DockerEngine; captured answers in tests). */
    interface Engine {
        String key();

        DockerEngine.Container inspect(String id) throws IOException;

        Map<String, List<DockerEngine.Address>> network(String id) throws IOException;

        List<DockerEngine.Container> running() throws IOException;

        List<String> events(long sinceNs, long untilNs) throws IOException;

        DockerEventStream stream(long sinceNs) throws IOException;
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Engine engine;
    private final AddressHistory history;
    private final Runnable changed;
    private final Clock clock;
    private final Log log;
    private volatile boolean running = true;
    private volatile DockerEventStream current;
    private Thread thread;
    private String lastWarning;

    /** @param changed told after each change to the history (naming waits for it) */
    DockerHistoryFeed(Engine engine, AddressHistory history, Runnable changed, Clock clock, Log log) {
        this.engine = engine;
        this.history = history;
        this.changed = changed;
        this.clock = clock;
        this.log = log;
    }

    static Engine of(DockerEngine d, Duration headTimeout) {
        return new Engine() {
            public String key() {
                return d.socket().toString();
            }

            public DockerEngine.Container inspect(String id) throws IOException {
                return d.inspect(id);
            }

            public Map<String, List<DockerEngine.Address>> network(String id) throws IOException {
                return d.network(id);
            }

            public List<DockerEngine.Container> running() throws IOException {
                return d.running();
            }

            public List<String> events(long sinceNs, long untilNs) throws IOException {
                return d.events(sinceNs, untilNs);
            }

            public DockerEventStream stream(long sinceNs) throws IOException {
                return DockerEventStream.open(d.socket(), DockerEngine.eventsPath(sinceNs), headTimeout);
            }
        };
    }

    void start() {
        thread = new Thread(this::loop, "contxray-history-" + engine.key());
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long backoffMs = 250;
        while (running) {
            try (DockerEventStream s = engine.stream(history.lastEvent(engine.key()))) {
                current = s;
                list();
                backoffMs = 250;
                lastWarning = null;
                s.forEach(this::applyLine);
                if (running) {
                    warnOnce("the event stream of the Docker engine at " + engine.key() + " ended; reconnecting");
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    warnOnce("following the Docker engine's events: " + e.getMessage());
                }
            }
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        }
    }

    private void warnOnce(String message) {
        if (!message.equals(lastWarning)) {
            lastWarning = message;
            log.warn(message);
        }
    }

    /** One line of the stream; a line that is not an event is skipped, said once. */
    void applyLine(String line) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (IOException e) {
            warnOnce("an event line from the Docker engine at " + engine.key() + " is not JSON: " + e.getMessage());
            return;
        }
        apply(DockerEvent.parse(node));
        changed.run();
    }

    /** Applies the events up to now that the stream may not have delivered yet (bounded). */
    void catchUp() {
        long since = history.lastEvent(engine.key());
        if (since == 0) {
            return; // no stream has been opened yet: nothing of the engine's is known
        }
        try {
            for (String line : engine.events(since, io.contxray.model.Holdings.nanos(clock.instant()))) {
                applyLine(line);
            }
        } catch (IOException e) {
            warnOnce("catching up with the Docker engine's events: " + e.getMessage());
        }
    }

    void apply(DockerEvent e) {
        String key = engine.key();
        long t = e.timeNano();
        switch (e.type() + " " + e.action()) {
            case "container create" -> history.identify(e.actor(), e.attributes().get("name"), e.attributes().get("image"), t);
            case "container start" -> {
                history.identify(e.actor(), e.attributes().get("name"), e.attributes().get("image"), t);
                try {
                    DockerEngine.Container c = engine.inspect(e.actor());
                    hold(c, AddressHistory.ENGINE_EVENT, c.since() > 0 ? Math.min(t, c.since()) : t);
                } catch (IOException gone) {
                    // removed already: its network connect named its addresses
                }
            }
            case "container die", "container destroy" -> history.release(key, e.actor(), null, t);
            case "network connect" -> {
                String container = e.attributes().get("container");
                try {
                    for (DockerEngine.Address a : engine.network(e.actor()).getOrDefault(container, List.of())) {
                        history.hold(key, container, a.address(), null, null, a.network(), AddressHistory.ENGINE_EVENT, t);
                    }
                } catch (IOException gone) {
                    // the network went with the container
                }
            }
            case "network disconnect" -> history.release(key, e.attributes().get("container"), e.actor(), t);
            default -> {
                // not what the history follows
            }
        }
        if (t > 0) {
            history.lastEvent(key, t);
        }
    }

    /** The engine's running containers, and the end of what no longer runs. */
    void list() throws IOException {
        long now = io.contxray.model.Holdings.nanos(clock.instant());
        Set<String> listed = new HashSet<>();
        for (DockerEngine.Container c : engine.running()) {
            listed.add(c.id());
            history.identify(c.id(), c.name(), c.image(), now);
            hold(c, AddressHistory.LISTING, c.since() > 0 ? c.since() : now);
        }
        for (String gone : history.holding(engine.key())) {
            if (!listed.contains(gone)) {
                history.release(engine.key(), gone, null, now);
            }
        }
        if (history.lastEvent(engine.key()) == 0) {
            history.lastEvent(engine.key(), now);
        }
        changed.run();
    }

    private void hold(DockerEngine.Container c, String source, long from) {
        history.identify(c.id(), c.name(), c.image(), from);
        for (DockerEngine.Address a : c.addresses()) {
            history.hold(engine.key(), c.id(), a.address(), null, null, a.network(), source, from);
        }
        for (DockerEngine.Published p : c.published()) {
            history.hold(engine.key(), c.id(), p.hostIp(), p.port(), p.protocol(), null, source, from);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        DockerEventStream s = current;
        if (s != null) {
            s.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
