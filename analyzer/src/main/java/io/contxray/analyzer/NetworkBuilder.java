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

    /** Connects, sends and failures to one destination (a datagram peer or a unix socket). */
    private static final class Calls {
        final String firstTime;
        long connects;
        long sends;
        final java.util.SortedMap<String, Long> errors = new TreeMap<>();

        Calls(String firstTime) {
            this.firstTime = firstTime;
        }

        void add(boolean connect, String errno, long n) {
            if (connect) {
                connects += n;
            } else {
                sends += n;
            }
            if (errno != null) {
                errors.merge(errno, n, Long::sum);
            }
        }
    }

    private record DatagramKey(String protocol, String family, String address, int port) implements Comparable<DatagramKey> {
        @Override
        public int compareTo(DatagramKey o) {
            return java.util.Comparator.comparing(DatagramKey::protocol).thenComparing(DatagramKey::address)
                    .thenComparingInt(DatagramKey::port).compare(this, o);
        }
    }

    /** The first event of an access the kernel counted: where its repeats go. */
    private record Counted(Calls calls, boolean connect, String errno) {
    }

    private final Map<DatagramKey, Calls> datagrams = new TreeMap<>();
    private final Map<String, Calls> unix = new TreeMap<>();
    private final Map<String, Counted> byKernelKey = new java.util.HashMap<>();
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
        if (ContainerEvent.NET_COUNT.equals(e.type()) && e.key() != null && e.count() != null) {
            Counted c = byKernelKey.get(e.key());
            if (c != null) {
                c.calls().add(c.connect(), c.errno(), e.count() - 1);
            }
            return;
        }
        if (!ContainerEvent.NET.equals(e.type()) || e.kind() == null) {
            return;
        }
        int dash = e.kind().indexOf('-');
        if (dash > 0) {
            socketCall(e, e.kind().substring(0, dash), e.kind().endsWith("-connect"));
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

    /** A connect or send of a non-TCP socket (kind PROTOCOL-OP). */
    private void socketCall(ContainerEvent e, String protocol, boolean connect) {
        Calls calls;
        if ("unix".equals(protocol)) {
            calls = unix.computeIfAbsent(e.path() == null ? "" : e.path(), p -> new Calls(e.time()));
        } else {
            calls = datagrams.computeIfAbsent(new DatagramKey(protocol, e.family(), e.remoteAddr(), port(e.remotePort())),
                    k -> new Calls(e.time()));
        }
        calls.add(connect, e.errno(), 1);
        if (e.key() != null) {
            byKernelKey.put(e.key(), new Counted(calls, connect, e.errno()));
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
        List<Network.Datagram> d = new ArrayList<>();
        datagrams.forEach((k, v) -> d.add(new Network.Datagram(k.protocol(), k.family(), k.address(), k.port(), v.connects,
                v.sends, v.errors, v.firstTime, peers.get(k.address()))));
        List<Network.UnixSocket> u = new ArrayList<>();
        unix.forEach((path, v) -> u.add(new Network.UnixSocket(path, v.connects, v.sends, v.errors, v.firstTime)));
        return new Network(l, o, i, d, u);
    }

    /** The recorded container's own name and image as its engine gave them, or null. */
    public Network.Peer self() {
        return self;
    }
}
