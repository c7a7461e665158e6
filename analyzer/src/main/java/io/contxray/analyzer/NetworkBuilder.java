package io.contxray.analyzer;

import io.contxray.model.ContainerEvent;
import io.contxray.model.Holdings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates the {@code net} events of a container's event log into {@link Network}: per
 * destination and per peer that held it at the time of each connection. The peer lines may come
 * after the connections they name (the recorder names them when its address history knows), so
 * each connection's time is kept until {@link #build}.
 */
public final class NetworkBuilder {
    private record Key(String family, String address, int port) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = address.compareTo(o.address);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    /** The connections to one destination: each one's time (epoch ns), and the first one's text. */
    private static final class Times {
        final String firstText;
        long[] at = new long[4];
        int n;

        Times(String firstText) {
            this.firstText = firstText;
        }

        void add(String time) {
            if (n == at.length) {
                at = java.util.Arrays.copyOf(at, n * 2);
            }
            at[n++] = Holdings.nanosOf(time, Long.MIN_VALUE);
        }

        /** A connection's time as report text: the first one's as logged. */
        String text(int i) {
            return i == 0 || at[i] == Long.MIN_VALUE ? firstText : Holdings.instant(at[i]).toString();
        }
    }

    /** The connections of one destination that one naming answers for. */
    private static final class Group {
        final String firstTime;
        long count;

        Group(String firstTime) {
            this.firstTime = firstTime;
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

        void add(Calls other) {
            connects += other.connects;
            sends += other.sends;
            other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
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

    /** One call (and the kernel's repeats of it) to a datagram destination, at its time. */
    private record Call(long at, Calls calls) {
    }

    private final Map<DatagramKey, List<Call>> datagrams = new TreeMap<>();
    private final Map<String, Calls> unix = new TreeMap<>();
    private final Map<String, Counted> byKernelKey = new java.util.HashMap<>();
    private final Map<Key, Boolean> listening = new TreeMap<>();
    private final Map<Key, Times> outbound = new TreeMap<>();
    private final Map<Key, Times> inbound = new TreeMap<>();
    private final PeerSpans peers = new PeerSpans();
    private Network.Peer self;

    public void accept(ContainerEvent e) {
        if (ContainerEvent.PEER.equals(e.type())) {
            peers.add(e);
            return;
        }
        if (ContainerEvent.CONTAINER.equals(e.type())) {
            self = new Network.Peer(e.container(), e.name(), e.image(), null);
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
            calls = new Calls(e.time());
            datagrams.computeIfAbsent(new DatagramKey(protocol, e.family(), e.remoteAddr(), port(e.remotePort())),
                    k -> new ArrayList<>()).add(new Call(Holdings.nanosOf(e.time(), Long.MIN_VALUE), calls));
        }
        calls.add(connect, e.errno(), 1);
        if (e.key() != null) {
            byKernelKey.put(e.key(), new Counted(calls, connect, e.errno()));
        }
    }

    private static int port(Integer p) {
        return p == null ? 0 : p;
    }

    private static void count(Map<Key, Times> into, Key k, String time) {
        into.computeIfAbsent(k, x -> new Times(time)).add(time);
    }

    public Network build() {
        List<Network.Listen> l = new ArrayList<>();
        listening.keySet().forEach(k -> l.add(new Network.Listen(k.family(), k.address(), k.port())));
        List<Network.Outbound> o = new ArrayList<>();
        outbound.forEach((k, v) -> byNaming(k.address(), k.port(), v).forEach((naming, g) -> o.add(new Network.Outbound(
                k.family(), k.address(), k.port(), g.count, g.firstTime, naming.peer(), naming.unnamed()))));
        List<Network.Inbound> i = new ArrayList<>();
        inbound.forEach((k, v) -> byNaming(k.address(), 0, v).forEach((naming, g) -> i.add(new Network.Inbound(
                k.family(), k.address(), k.port(), g.count, g.firstTime, naming.peer(), naming.unnamed()))));
        List<Network.Datagram> d = new ArrayList<>();
        datagrams.forEach((k, calls) -> {
            Map<PeerSpans.Naming, Calls> named = new LinkedHashMap<>();
            for (Call c : calls) {
                named.computeIfAbsent(peers.at(k.address(), k.port(), c.at()), n -> new Calls(c.calls().firstTime))
                        .add(c.calls());
            }
            named.forEach((n, v) -> d.add(new Network.Datagram(k.protocol(), k.family(), k.address(), k.port(), v.connects,
                    v.sends, v.errors, v.firstTime, n.peer(), n.unnamed())));
        });
        List<Network.UnixSocket> u = new ArrayList<>();
        unix.forEach((path, v) -> u.add(new Network.UnixSocket(path, v.connects, v.sends, v.errors, v.firstTime)));
        return new Network(l, o, i, d, u);
    }

    /** A destination's connections, split by who held its address at each one's time, in order of the first. */
    private Map<PeerSpans.Naming, Group> byNaming(String address, int port, Times times) {
        Map<PeerSpans.Naming, Group> out = new LinkedHashMap<>();
        for (int i = 0; i < times.n; i++) {
            int first = i;
            out.computeIfAbsent(peers.at(address, port, times.at[i]), n -> new Group(times.text(first))).count++;
        }
        return out;
    }

    /** The recorded container's own name and image as its engine gave them, or null. */
    public Network.Peer self() {
        return self;
    }
}
