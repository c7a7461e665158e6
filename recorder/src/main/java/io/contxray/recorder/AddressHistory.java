package io.contxray.recorder;

import io.contxray.model.Holdings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which container held which address, and published which host port, from when to when, per
 * engine: what naming a peer looks up at a connection's time. Holdings of running containers are
 * kept; those that ended are kept for {@code keepNs} and at most {@code maxEnded}, the oldest
 * going first, and each one dropped is counted (a connection older than the newest dropped one
 * that finds no holder may have lost it). Thread-safe.
 */
final class AddressHistory {
    static final String REGISTRATION = "registration";
    static final String ENGINE_EVENT = "engine-event";
    static final String LISTING = "listing";

    /** A container as its engine (or its registration) named it; seen: when last told (epoch ns). */
    record Holder(String id, String name, String image, long seen) {
    }

    /**
     * @param engine   the engine's socket, or {@link #REGISTRATION}
     * @param port     with protocol (tcp, udp): a host port published on address (0.0.0.0 or ::
     *                 for all the host's); null for the container's own address
     * @param network  the engine's network the address is on (null when not known)
     * @param until    epoch ns, {@link Holdings#OPEN} while held
     */
    record Holding(String engine, String container, String address, Integer port, String protocol, String network,
                   String source, long from, long until) {
        boolean open() {
            return until == Holdings.OPEN;
        }
    }

    record Match(Holding holding, Holder holder) {
    }

    /** What is persisted: enough to go on naming after a restart. */
    record Snapshot(List<Holding> holdings, List<Holder> holders, long evicted, long droppedThrough,
                    Map<String, Long> lastEvents) {
    }

    private final long keepNs;
    private final int maxEnded;
    private final Map<String, List<Holding>> byAddress = new HashMap<>();
    private final Map<String, Holder> holders = new HashMap<>();
    private final Map<String, Long> lastEvents = new HashMap<>();
    /** Addresses held anew since {@link #takeHeld}; {@link #ANY} for a published port (any address may be the host's). */
    private final Set<String> held = new HashSet<>();
    static final String ANY = "*";
    private long evicted;
    private long droppedThrough = Long.MIN_VALUE;
    private long version;

    AddressHistory(long keepNs, int maxEnded) {
        this.keepNs = keepNs;
        this.maxEnded = maxEnded;
    }

    synchronized void identify(String container, String name, String image, long now) {
        Holder old = holders.get(container);
        holders.put(container, new Holder(container, name != null ? name : old == null ? null : old.name(),
                image != null ? image : old == null ? null : old.image(), now));
        version++;
    }

    /** Opens a holding unless the container already holds it (then nothing changes). */
    synchronized void hold(String engine, String container, String address, Integer port, String protocol,
                           String network, String source, long from) {
        List<Holding> list = byAddress.computeIfAbsent(address, a -> new ArrayList<>());
        for (Holding h : list) {
            if (h.open() && h.engine().equals(engine) && h.container().equals(container)
                    && java.util.Objects.equals(h.port(), port) && java.util.Objects.equals(h.protocol(), protocol)) {
                return;
            }
        }
        list.add(new Holding(engine, container, address, port, protocol, network, source, from, Holdings.OPEN));
        held.add(port == null ? address : ANY);
        version++;
    }

    /** Ends the container's open holdings (only those on network, when not null) at {@code at}. */
    synchronized void release(String engine, String container, String network, long at) {
        for (List<Holding> list : byAddress.values()) {
            for (int i = 0; i < list.size(); i++) {
                Holding h = list.get(i);
                if (h.open() && h.engine().equals(engine) && h.container().equals(container)
                        && (network == null || network.equals(h.network()))) {
                    list.set(i, new Holding(h.engine(), h.container(), h.address(), h.port(), h.protocol(), h.network(),
                            h.source(), h.from(), Math.max(at, h.from())));
                    version++;
                }
            }
        }
    }

    /** Containers of an engine holding something now. */
    synchronized Set<String> holding(String engine) {
        Set<String> out = new HashSet<>();
        byAddress.values().forEach(l -> l.stream().filter(h -> h.open() && h.engine().equals(engine))
                .forEach(h -> out.add(h.container())));
        return out;
    }

    /**
     * Who held the container address at t: what an engine said first, the recorder's own
     * registrations only when no engine knew (they name the same containers later).
     */
    synchronized Match at(String address, long t) {
        return best(address, t, h -> h.port() == null);
    }

    /** Who published host port/protocol on address (or on all the host's addresses) at t. */
    synchronized Match published(String address, int port, String protocol, long t) {
        java.util.function.Predicate<Holding> onPort = h -> h.port() != null && h.port() == port
                && h.protocol().equals(protocol);
        Match m = best(address, t, onPort);
        for (String any : List.of("0.0.0.0", "::")) {
            m = m != null ? m : best(any, t, onPort);
        }
        return m;
    }

    private Match best(String address, long t, java.util.function.Predicate<Holding> which) {
        List<Holding> list = byAddress.getOrDefault(address, List.of());
        List<Holding> engines = new ArrayList<>();
        List<Holding> registered = new ArrayList<>();
        for (Holding h : list) {
            if (which.test(h)) {
                (h.engine().equals(REGISTRATION) ? registered : engines).add(h);
            }
        }
        Holding h = Holdings.at(engines, Holding::from, Holding::until, t);
        h = h != null ? h : Holdings.at(registered, Holding::from, Holding::until, t);
        if (h == null) {
            return null;
        }
        Holder who = holders.get(h.container());
        return new Match(h, who != null ? who : new Holder(h.container(), null, null, 0));
    }

    /** The addresses held anew since the last call (only they can name what found no holder before). */
    synchronized Set<String> takeHeld() {
        Set<String> out = Set.copyOf(held);
        held.clear();
        return out;
    }

    /** Whether a holding that answered for t may have been dropped. */
    synchronized boolean mayHaveDropped(long t) {
        return t <= droppedThrough;
    }

    /** Drops ended holdings older than the kept time, then the oldest beyond the bound; holders no holding names. */
    synchronized void evict(long now) {
        long before = now - keepNs;
        List<Holding> endedNow = new ArrayList<>();
        for (List<Holding> list : byAddress.values()) {
            for (Holding h : list) {
                if (!h.open()) {
                    endedNow.add(h);
                }
            }
        }
        endedNow.sort(java.util.Comparator.comparingLong(Holding::until));
        Set<Holding> drop = new HashSet<>();
        for (int i = 0; i < endedNow.size(); i++) {
            if (endedNow.get(i).until() < before || endedNow.size() - i > maxEnded) {
                drop.add(endedNow.get(i));
            }
        }
        for (Iterator<List<Holding>> it = byAddress.values().iterator(); it.hasNext(); ) {
            List<Holding> list = it.next();
            list.removeIf(drop::contains);
            if (list.isEmpty()) {
                it.remove();
            }
        }
        for (Holding h : drop) {
            droppedThrough = Math.max(droppedThrough, h.until());
        }
        evicted += drop.size();
        Set<String> named = new HashSet<>();
        byAddress.values().forEach(l -> l.forEach(h -> named.add(h.container())));
        holders.values().removeIf(h -> !named.contains(h.id()) && h.seen() < before);
        if (!drop.isEmpty()) {
            version++;
        }
    }

    synchronized void lastEvent(String engine, long at) {
        lastEvents.merge(engine, at, Math::max);
    }

    /** The time of the engine's last event applied, or 0 (none yet). */
    synchronized long lastEvent(String engine) {
        return lastEvents.getOrDefault(engine, 0L);
    }

    synchronized int size() {
        return byAddress.values().stream().mapToInt(List::size).sum();
    }

    synchronized int holders() {
        return holders.size();
    }

    synchronized long evicted() {
        return evicted;
    }

    /** Changes so far: a caller that saw the same value twice saw no change between. */
    synchronized long version() {
        return version;
    }

    synchronized Snapshot snapshot() {
        List<Holding> all = new ArrayList<>();
        byAddress.values().forEach(all::addAll);
        return new Snapshot(all, new ArrayList<>(holders.values()), evicted, droppedThrough, new HashMap<>(lastEvents));
    }

    synchronized void restore(Snapshot s) {
        byAddress.clear();
        holders.clear();
        lastEvents.clear();
        for (Holding h : s.holdings()) {
            byAddress.computeIfAbsent(h.address(), a -> new ArrayList<>()).add(h);
        }
        s.holders().forEach(h -> holders.put(h.id(), h));
        held.add(ANY);
        lastEvents.putAll(s.lastEvents());
        evicted = s.evicted();
        droppedThrough = s.droppedThrough();
        version++;
    }
}
