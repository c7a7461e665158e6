package io.contxray.recorder;

import io.contxray.analyzer.Network;
import io.contxray.model.ContainerEvent;
import io.contxray.model.EventLog;
import io.contxray.model.Holdings;
import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Names what a recorded container talks to by who held the address when the connection was made:
 * each connection is looked up in the {@link AddressHistory} at its own time, and a {@code peer}
 * line for each holder found goes into the container's event log. A connection whose holder the
 * history does not know yet waits until it does (the engine's events come a little after), and
 * at the latest until the container's report is written, when the engines are asked for the
 * events not delivered yet; what is still unknown then is logged unnamed, with why. At
 * registration the container's own name and image go in as a {@code container} event, and the
 * addresses of its network namespace into the history, so recorded containers are named even
 * with no engine. One worker thread; the event pump only queues.
 */
final class PeerResolver implements AutoCloseable {
    /**
     * Connections of one container that wait for their holder, per destination and in all, at
     * most: the first ones of a destination are enough to name its holders, and the rest are
     * said unnamed (a scan of many addresses nobody holds must not grow the daemon).
     */
    private static final int MAX_WAITING = 1024;
    private static final int MAX_WAITING_ALL = 65_536;
    private static final int MAX_QUEUED = 100_000;

    /** A connection to name: remote address, port and protocol (tcp, udp; null: neither), time (epoch ns). */
    private record Lookup(String address, int port, String protocol, long at) {
        String destination() {
            return address + " " + port;
        }
    }

    /** Worker thread only: what has been said for a recorded container, and what waits. */
    private static final class Watch {
        final Set<String> emitted = new HashSet<>();
        final Map<String, List<Lookup>> waiting = new HashMap<>();
        int waitingCount;
    }

    private final AddressHistory history;
    private final List<DockerHistoryFeed> feeds;
    private final List<DockerEngine> engines;
    private final ContainerdLookup containerdLookup;
    private final BiConsumer<String, ContainerEvent> sink;
    private final Clock clock;
    private final Log log;
    private final Path proc;
    private final ThreadPoolExecutor worker;
    private final Map<String, Watch> watches = new HashMap<>();
    private final AtomicBoolean retryQueued = new AtomicBoolean();
    private final AtomicLong unqueued = new AtomicLong();
    private Set<String> hostAddresses = Set.of();
    private long hostAddressesAt;

    PeerResolver(List<DockerEngine> engines, AddressHistory history, BiConsumer<String, ContainerEvent> sink, Clock clock,
                 Log log) {
        this(engines, history, ContainerdLookup.host(), Path.of("/proc"), sink, clock, log);
    }

    PeerResolver(List<DockerEngine> engines, AddressHistory history, ContainerdLookup containerdLookup, Path proc,
                 BiConsumer<String, ContainerEvent> sink, Clock clock, Log log) {
        this.engines = List.copyOf(engines);
        this.history = history;
        this.containerdLookup = containerdLookup;
        this.proc = proc;
        this.sink = sink;
        this.clock = clock;
        this.log = log;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "contxray-peers");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> unqueued.incrementAndGet());
        List<DockerHistoryFeed> f = new ArrayList<>();
        for (DockerEngine e : this.engines) {
            f.add(new DockerHistoryFeed(DockerHistoryFeed.of(e, Duration.ofSeconds(2)), history, this::changed, clock, log));
        }
        this.feeds = List.copyOf(f);
    }

    /** Starts following the engines' events. */
    void start() {
        feeds.forEach(DockerHistoryFeed::start);
    }

    /**
     * A recorded container's own name and image, queued: from the Docker engines, else from the
     * containerd whose shim runs it (found from its process, pid). Its network namespace's
     * addresses go into the history now, while pid lives.
     */
    void describe(String containerId, int pid) {
        long now = Holdings.nanos(clock.instant());
        for (String address : NetnsAddresses.of(proc, pid)) {
            history.hold(AddressHistory.REGISTRATION, containerId, address, null, null, null, AddressHistory.REGISTRATION, now);
        }
        Optional<ContainerdLookup.Endpoint> containerd = containerdLookup.endpointOf(pid); // now, while pid lives
        queue(() -> {
            for (DockerEngine engine : engines) {
                try {
                    DockerEngine.Container c = engine.inspect(containerId);
                    named(containerId, c.name(), c.image());
                    return;
                } catch (IOException notThere) {
                    // another engine's, or not a Docker container (plain runc, containerd)
                }
            }
            containerd.flatMap(e -> containerdLookup.describe(e, containerId)).ifPresent(c -> named(containerId, c.name(), c.image()));
        });
    }

    private void named(String containerId, String name, String image) {
        history.identify(containerId, name, image, Holdings.nanos(clock.instant()));
        sink.accept(containerId, ContainerEvent.container(clock.instant().toString(), containerId, name, image));
    }

    /** A connection or datagram of a recorded container (a {@code net} event), to be named. */
    void connection(String containerId, ContainerEvent e) {
        String address = e.remoteAddr();
        if (address == null || "unix".equals(e.family()) || Holdings.isLoopback(address)) {
            return;
        }
        String kind = e.kind();
        boolean inbound = "accept".equals(kind);
        String protocol = kind.equals("connect") || inbound ? "tcp" : kind.startsWith("udp-") ? "udp" : null;
        int port = inbound || e.remotePort() == null ? 0 : e.remotePort();
        String time = e.time();
        queue(() -> name(containerId, new Lookup(address, port, protocol, Holdings.nanosOf(time, Holdings.nanos(clock.instant())))));
    }

    /** The history changed: waiting connections are looked up again (once per burst of changes). */
    void changed() {
        if (retryQueued.compareAndSet(false, true)) {
            queue(() -> {
                retryQueued.set(false);
                Set<String> held = history.takeHeld();
                if (!held.isEmpty()) {
                    watches.forEach((id, w) -> retry(id, w, held));
                }
            });
        }
    }

    /**
     * After a restart, the connections already in a recorded container's event log are looked up
     * (again): the ones whose lookup waited when the previous daemon stopped would go unnamed.
     */
    void rescan(String containerId, Path containerDir) {
        queue(() -> {
            try {
                EventLog.read(containerDir, e -> {
                    if (ContainerEvent.NET.equals(e.type()) && !"listen".equals(e.kind())) {
                        connection(containerId, e);
                    }
                });
            } catch (IOException e) {
                log.warn("naming the peers already logged for " + containerId + ": " + e.getMessage());
            }
        });
    }

    /**
     * Names what still waits, after asking the engines for the events not delivered yet, logs
     * the rest unnamed, ends the container's registered addresses; bounded, before its report.
     */
    void finish(String containerId, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue(() -> {
            try {
                Watch w = watches.get(containerId);
                if (w != null && w.waitingCount > 0) {
                    feeds.forEach(DockerHistoryFeed::catchUp);
                    retry(containerId, w, Set.of(AddressHistory.ANY));
                    unnamed(containerId, w);
                }
            } finally {
                watches.remove(containerId);
                history.release(AddressHistory.REGISTRATION, containerId, null, Holdings.nanos(clock.instant()));
                done.complete(null);
            }
        });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("naming the peers of " + containerId + ": not done within " + timeout.toMillis() + " ms");
        }
        long lost = unqueued.getAndSet(0);
        if (lost > 0) {
            log.warn(lost + " connection(s) not named: more than " + MAX_QUEUED + " waited for the peer lookup");
        }
    }

    private void queue(Runnable task) {
        worker.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("naming peers: " + e);
            }
        });
    }

    /** Worker: names a connection, or keeps it waiting for the history. */
    private void name(String containerId, Lookup l) {
        Watch w = watches.computeIfAbsent(containerId, k -> new Watch());
        if (!found(containerId, w, l)) {
            List<Lookup> waiting = w.waiting.get(l.destination());
            if (waiting == null ? w.waitingCount < MAX_WAITING_ALL : waiting.size() < MAX_WAITING) {
                w.waiting.computeIfAbsent(l.destination(), k -> new ArrayList<>()).add(l);
                w.waitingCount++;
            }
        }
    }

    /** Worker: looks up again what waits for one of the addresses held anew ({@link AddressHistory#ANY}: all). */
    private void retry(String containerId, Watch w, Set<String> held) {
        if (w.waitingCount == 0) {
            return;
        }
        boolean all = held.contains(AddressHistory.ANY);
        for (List<Lookup> waiting : w.waiting.values()) {
            if (!all && !held.contains(waiting.get(0).address())) {
                continue;
            }
            int before = waiting.size();
            waiting.removeIf(l -> found(containerId, w, l));
            w.waitingCount -= before - waiting.size();
        }
        w.waiting.values().removeIf(List::isEmpty);
    }

    /** Worker: whether the history knows who held l's address at its time; its peer line logged once. */
    private boolean found(String containerId, Watch w, Lookup l) {
        AddressHistory.Match m = history.at(l.address(), l.at());
        if (m == null && l.port() > 0 && l.protocol() != null && isHostAddress(l.address())) {
            m = history.published(l.address(), l.port(), l.protocol(), l.at());
        }
        if (m == null) {
            return false;
        }
        AddressHistory.Holding h = m.holding();
        Integer port = h.port() == null ? null : l.port();
        if (w.emitted.add(h.container() + " " + l.address() + " " + port + " " + h.from() + " " + h.until())) {
            sink.accept(containerId, ContainerEvent.peer(Holdings.instant(h.from()).toString(),
                    h.open() ? null : Holdings.instant(h.until()).toString(), containerId, l.address(), port,
                    port == null ? null : h.protocol(), h.container(), m.holder().name(), m.holder().image(), h.source()));
        }
        return true;
    }

    /** Worker: one unnamed line per destination still waiting. */
    private void unnamed(String containerId, Watch w) {
        w.waiting.forEach((dest, waiting) -> {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            boolean dropped = false;
            for (Lookup l : waiting) {
                first = Math.min(first, l.at());
                last = Math.max(last, l.at());
                dropped |= history.mayHaveDropped(l.at());
            }
            Lookup any = waiting.get(0);
            sink.accept(containerId, ContainerEvent.unnamedPeer(Holdings.instant(first).toString(),
                    Holdings.instant(last).toString(), containerId, any.address(), any.port() > 0 ? any.port() : null,
                    dropped ? Network.HISTORY_DROPPED : Network.NO_ENGINE_KNEW));
        });
    }

    /** The host's own addresses (the daemon runs in the host's network namespace), refreshed every few seconds. */
    private boolean isHostAddress(String address) {
        long now = System.nanoTime();
        if (now - hostAddressesAt > 5_000_000_000L) {
            Set<String> out = new HashSet<>();
            try {
                NetworkInterface.networkInterfaces().forEach(i -> i.inetAddresses()
                        .forEach(a -> out.add(EventPump.address(a.getAddress()))));
            } catch (IOException e) {
                // none known: nothing is named as published
            }
            hostAddresses = out;
            hostAddressesAt = now;
        }
        return hostAddresses.contains(address);
    }

    @Override
    public void close() {
        feeds.forEach(DockerHistoryFeed::close);
        worker.shutdownNow();
    }
}
