package io.contxray.recorder;

import io.contxray.model.ContainerEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Names what a recorded container talks to, while both sides still exist: on its first
 * connection with an address, the address is looked up among the engine's running containers
 * and a {@code peer} event goes into the container's event log; at registration the container's
 * own name and image go in as a {@code container} event. One thread; lookups never block the
 * event pump or the recorder, and a container's pending lookups are awaited (bounded) before its
 * report is written.
 */
final class PeerResolver implements AutoCloseable {
    /**
     * How long a listing answers for addresses: they are reused as soon as a container goes (a
     * 2 s cache named a removed container whose address a new one had), and a lookup happens once
     * per new address of a recording, so the engine is asked again for almost every one.
     */
    private static final Duration LIST_AT_MOST_EVERY = Duration.ofMillis(200);

    private final List<DockerEngine> engines;
    private final BiConsumer<String, ContainerEvent> sink;
    private final Clock clock;
    private final Log log;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "contxray-peers");
        t.setDaemon(true);
        return t;
    });
    /** Per recorded container: the addresses already asked about, and the last lookup queued. */
    private final ContainerdLookup containerdLookup;
    private final Map<String, Set<String>> asked = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> last = new ConcurrentHashMap<>();
    /** Worker thread only. */
    private final Map<String, DockerEngine.Container> byAddress = new HashMap<>();
    private long listedAtNanos;
    private String lastWarning;

    PeerResolver(List<DockerEngine> engines, BiConsumer<String, ContainerEvent> sink, Clock clock, Log log) {
        this(engines, ContainerdLookup.host(), sink, clock, log);
    }

    PeerResolver(List<DockerEngine> engines, ContainerdLookup containerdLookup, BiConsumer<String, ContainerEvent> sink,
                 Clock clock, Log log) {
        this.engines = List.copyOf(engines);
        this.containerdLookup = containerdLookup;
        this.sink = sink;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Queues the lookup of a recorded container's own name and image: from the Docker engines,
     * else from the containerd whose shim runs it (found from its process, pid).
     */
    void describe(String containerId, int pid) {
        java.util.Optional<ContainerdLookup.Endpoint> containerd = containerdLookup.endpointOf(pid); // now, while pid lives
        queue(containerId, () -> {
            for (DockerEngine engine : engines) {
                try {
                    DockerEngine.Container c = engine.inspect(containerId);
                    sink.accept(containerId, ContainerEvent.container(clock.instant().toString(), containerId, c.name(), c.image()));
                    return;
                } catch (IOException notThere) {
                    // another engine's, or not a Docker container (plain runc, containerd)
                }
            }
            containerd.flatMap(e -> containerdLookup.describe(e, containerId)).ifPresent(c -> sink.accept(containerId,
                    ContainerEvent.container(clock.instant().toString(), containerId, c.name(), c.image())));
        });
    }

    /** Queues the naming of {@code address} for a recorded container (once per address). */
    void resolve(String containerId, String address) {
        if (address == null || !asked.computeIfAbsent(containerId, k -> ConcurrentHashMap.newKeySet()).add(address)) {
            return;
        }
        queue(containerId, () -> {
            DockerEngine.Container peer = lookup(address);
            if (peer != null) {
                sink.accept(containerId, ContainerEvent.peer(clock.instant().toString(), null, containerId, address, null,
                        null, peer.id(), peer.name(), peer.image(), "listing"));
            }
        });
    }

    /** Waits (bounded) until the lookups queued for a container are done, then forgets it. */
    void finish(String containerId, Duration timeout) {
        CompletableFuture<Void> f = last.remove(containerId);
        asked.remove(containerId);
        if (f == null) {
            return;
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("naming the peers of " + containerId + ": not done within " + timeout.toMillis() + " ms");
        }
    }

    private void queue(String containerId, Runnable task) {
        last.compute(containerId, (k, prev) -> (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev)
                .thenRunAsync(task, worker).exceptionally(e -> null));
    }

    private DockerEngine.Container lookup(String address) {
        if (System.nanoTime() - listedAtNanos < LIST_AT_MOST_EVERY.toNanos()) {
            return byAddress.get(address);
        }
        listedAtNanos = System.nanoTime();
        Map<String, DockerEngine.Container> fresh = new HashMap<>();
        Set<String> failed = new HashSet<>();
        for (DockerEngine engine : engines) {
            try {
                for (DockerEngine.Container c : engine.running()) {
                    c.addresses().forEach(a -> fresh.put(a, c));
                }
            } catch (IOException e) {
                failed.add(e.getMessage());
            }
        }
        if (!failed.isEmpty() && !failed.iterator().next().equals(lastWarning)) {
            lastWarning = failed.iterator().next();
            log.warn("naming peers: " + lastWarning);
        }
        byAddress.clear();
        byAddress.putAll(fresh);
        return byAddress.get(address);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
