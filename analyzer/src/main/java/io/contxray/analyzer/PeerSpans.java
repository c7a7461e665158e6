package io.contxray.analyzer;

import io.contxray.model.ContainerEvent;
import io.contxray.model.Holdings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code peer} lines of an event log: who held each address (or published each host port)
 * from when to when, and the spans the recorder could not name, with why. A connection is named
 * by the span that held its address at its time ({@link Holdings#at}).
 */
final class PeerSpans {
    /** What a connection was named: a peer, or the reason there is none (both null: loopback). */
    record Naming(Network.Peer peer, String unnamed) {
    }

    private record Span(long from, long until, Integer port, Network.Peer peer, String reason) {
    }

    private final Map<String, List<Span>> byAddress = new HashMap<>();

    void add(ContainerEvent e) {
        if (e.remoteAddr() == null) {
            return;
        }
        // a line of an older recorder has no source: its peer answered for the address throughout
        long from = e.source() == null && e.reason() == null ? Long.MIN_VALUE : Holdings.nanosOf(e.time(), Long.MIN_VALUE);
        long until = Holdings.nanosOf(e.until(), Holdings.OPEN);
        Network.Peer peer = e.peerId() == null ? null : new Network.Peer(e.peerId(), e.name(), e.image(), e.source());
        byAddress.computeIfAbsent(e.remoteAddr(), a -> new ArrayList<>())
                .add(new Span(from, until, e.remotePort(), peer, e.reason()));
    }

    /**
     * @param port the remote port of an outbound connection or datagram (a published host port
     *             names its container), 0 for an inbound one
     * @param t    the connection's time, epoch ns; Long.MIN_VALUE when unknown (the latest holder)
     */
    Naming at(String address, int port, long t) {
        if (address == null || Holdings.isLoopback(address)) {
            return new Naming(null, null);
        }
        List<Span> spans = byAddress.getOrDefault(address, List.of());
        List<Span> named = new ArrayList<>();
        List<Span> reasons = new ArrayList<>();
        for (Span s : spans) {
            if (s.port() != null && s.port() != port) {
                continue;
            }
            (s.peer() != null ? named : reasons).add(s);
        }
        Span held = t == Long.MIN_VALUE ? latest(named) : Holdings.at(named, Span::from, Span::until, t);
        if (held != null) {
            return new Naming(held.peer(), null);
        }
        for (Span r : reasons) {
            if (r.from() <= t && t <= r.until()) {
                return new Naming(null, r.reason());
            }
        }
        return new Naming(null, Network.NO_ENGINE_KNEW);
    }

    private static Span latest(List<Span> spans) {
        Span best = null;
        for (Span s : spans) {
            if (best == null || s.from() > best.from()) {
                best = s;
            }
        }
        return best;
    }
}
