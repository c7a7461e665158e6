package io.contxray.analyzer;

import io.contxray.model.ContainerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Aggregates the {@code net} events of a container's event log into {@link Network}. */
public final class NetworkBuilder {
    private record Key(String family, String address, int port) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = address.compareTo(o.address);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    private record Seen(long count, String firstTime) {
        Seen plus() {
            return new Seen(count + 1, firstTime);
        }
    }

    private final Map<Key, Boolean> listening = new TreeMap<>();
    private final Map<Key, Seen> outbound = new TreeMap<>();
    private final Map<Key, Seen> inbound = new TreeMap<>();
    private final Map<String, Network.Peer> peers = new java.util.HashMap<>();
    private Network.Peer self;

    public void accept(ContainerEvent e) {
        if (ContainerEvent.PEER.equals(e.type()) && e.remoteAddr() != null) {
            peers.put(e.remoteAddr(), new Network.Peer(e.peerId(), e.name(), e.image()));
            return;
        }
        if (ContainerEvent.CONTAINER.equals(e.type())) {
            self = new Network.Peer(e.container(), e.name(), e.image());
            return;
        }
        if (!ContainerEvent.NET.equals(e.type()) || e.kind() == null) {
            return;
        }
        switch (e.kind()) {
            case "listen" -> listening.put(new Key(e.family(), e.localAddr(), port(e.localPort())), Boolean.TRUE);
            case "connect" -> count(outbound, new Key(e.family(), e.remoteAddr(), port(e.remotePort())), e.time());
            case "accept" -> count(inbound, new Key(e.family(), e.remoteAddr(), port(e.localPort())), e.time());
            default -> {
                // a kind from a newer recorder: not aggregated
            }
        }
    }

    private static int port(Integer p) {
        return p == null ? 0 : p;
    }

    private static void count(Map<Key, Seen> into, Key k, String time) {
        into.merge(k, new Seen(1, time), (old, one) -> old.plus());
    }

    public Network build() {
        List<Network.Listen> l = new ArrayList<>();
        listening.keySet().forEach(k -> l.add(new Network.Listen(k.family(), k.address(), k.port())));
        List<Network.Outbound> o = new ArrayList<>();
        outbound.forEach((k, v) -> o.add(new Network.Outbound(k.family(), k.address(), k.port(), v.count(), v.firstTime(),
                peers.get(k.address()))));
        List<Network.Inbound> i = new ArrayList<>();
        inbound.forEach((k, v) -> i.add(new Network.Inbound(k.family(), k.address(), k.port(), v.count(), v.firstTime(),
                peers.get(k.address()))));
        return new Network(l, o, i);
    }

    /** The recorded container's own name and image as its engine gave them, or null. */
    public Network.Peer self() {
        return self;
    }
}
