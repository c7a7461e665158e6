package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.model.ContainerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkBuilderTest {
    static ContainerEvent net(String kind, String local, int lport, String remote, int rport, String time) {
        return ContainerEvent.net(time, 1, "c1", 10, 10, "nginx", kind, "ipv4", local, lport, remote, rport);
    }

    @Test
    void aggregatesConnectionsAndListensOnce() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t0"));
        b.accept(net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t1")); // a second worker: same port
        b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40000, "t2"));
        b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40002, "t3"));
        b.accept(net("connect", "172.17.0.2", 41000, "10.0.0.9", 5432, "t4"));
        b.accept(ContainerEvent.exit("t5", 2, "c1", 10, 10, 0, 0, "nginx"));
        b.accept(net("close", "172.17.0.2", 1, "10.0.0.9", 2, "t6")); // unknown kind: ignored
        Network n = b.build();
        assertEquals(List.of(new Network.Listen("ipv4", "0.0.0.0", 80)), n.listening());
        assertEquals(List.of(new Network.Inbound("ipv4", "172.17.0.3", 80, 2, "t2", null, Network.NO_ENGINE_KNEW)),
                n.inbound());
        assertEquals(List.of(new Network.Outbound("ipv4", "10.0.0.9", 5432, 1, "t4", null, Network.NO_ENGINE_KNEW)),
                n.outbound());
    }

    @Test
    void peersAndTheContainersOwnNameFromTheLog() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(ContainerEvent.container("t0", "c1", "web", "nginx:1"));
        b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40000, at(1)));
        // named after the connection, as the recorder does once its history knows the address
        b.accept(ContainerEvent.peer(at(0), null, "c1", "172.17.0.3", null, null, "c2", "client", "busybox", "engine-event"));
        b.accept(net("connect", "172.17.0.2", 0, "172.17.0.9", 6379, at(2))); // not a container: no peer
        b.accept(net("connect", "127.0.0.1", 0, "127.0.0.1", 6379, at(2))); // its own loopback: neither
        Network n = b.build();
        assertEquals(new Network.Peer("c2", "client", "busybox", "engine-event"), n.inbound().get(0).peer());
        assertEquals(null, n.outbound().get(1).peer());
        assertEquals(Network.NO_ENGINE_KNEW, n.outbound().get(1).unnamed());
        assertEquals(new Network.Outbound("ipv4", "127.0.0.1", 6379, 1, at(2), null, null), n.outbound().get(0));
        assertEquals(new Network.Peer("c1", "web", "nginx:1", null), b.self());
    }

    /** A second of the test's timeline, as the recorder writes times. */
    static String at(int second) {
        return java.time.Instant.parse("2026-12-07T02:00:00Z").plusSeconds(second).toString();
    }

    @Test
    void anAddressReusedByTenClientsIsTenEntriesEachWithItsHolder() {
        NetworkBuilder b = new NetworkBuilder();
        for (int i = 0; i < 10; i++) {
            b.accept(ContainerEvent.peer(at(10 * i), at(10 * i + 5), "c1", "172.17.0.3", null, null, "client" + i,
                    "cli-" + i, "busybox", "engine-event"));
        }
        for (int i = 0; i < 10; i++) {
            b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40000 + i, at(10 * i + 2)));
        }
        List<Network.Inbound> in = b.build().inbound();
        assertEquals(10, in.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(1, in.get(i).count());
            assertEquals("cli-" + i, in.get(i).peer().name());
            assertEquals(at(10 * i + 2), in.get(i).firstTime());
        }
    }

    @Test
    void aConnectionJustBeforeItsHoldersStartIsItsAndGapsSayWhy() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(ContainerEvent.peer(at(10), null, "c1", "10.1.0.5", null, null, "late", "late", null, "listing"));
        b.accept(ContainerEvent.unnamedPeer(at(1), at(2), "c1", "10.1.0.6", null, Network.HISTORY_DROPPED));
        b.accept(net("connect", "10.1.0.2", 0, "10.1.0.5", 80, at(9))); // within EARLY of the holding's start
        b.accept(net("connect", "10.1.0.2", 0, "10.1.0.5", 80, at(2))); // long before it: nobody's
        b.accept(net("connect", "10.1.0.2", 0, "10.1.0.6", 80, at(1)));
        List<Network.Outbound> out = b.build().outbound();
        assertEquals(List.of(
                new Network.Outbound("ipv4", "10.1.0.5", 80, 1, at(9), new Network.Peer("late", "late", null, "listing"), null),
                new Network.Outbound("ipv4", "10.1.0.5", 80, 1, at(2), null, Network.NO_ENGINE_KNEW),
                new Network.Outbound("ipv4", "10.1.0.6", 80, 1, at(1), null, Network.HISTORY_DROPPED)), out);
    }

    @Test
    void aPublishedHostPortNamesTheContainerBehindItOnThatPortOnly() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(ContainerEvent.peer(at(0), null, "c1", "10.9.0.1", 8080, "tcp", "web", "web", "nginx", "engine-event"));
        b.accept(net("connect", "10.9.0.7", 0, "10.9.0.1", 8080, at(1)));
        b.accept(net("connect", "10.9.0.7", 0, "10.9.0.1", 22, at(1)));
        List<Network.Outbound> out = b.build().outbound();
        assertEquals(null, out.get(0).peer(), "port 22 is not published");
        assertEquals("web", out.get(1).peer().name());
    }

    @Test
    void linesOfAnOlderRecorderNameTheirAddressThroughout() throws Exception {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40000, at(1)));
        b.accept(io.contxray.model.Json.mapper().readValue("{\"type\":\"peer\",\"time\":\"" + at(5) + "\",\"ts\":0,\"container\":\"c1\","
                + "\"remoteAddr\":\"172.17.0.3\",\"peerId\":\"c2\",\"name\":\"client\"}", ContainerEvent.class));
        assertEquals(new Network.Peer("c2", "client", null, null), b.build().inbound().get(0).peer());
    }

    static ContainerEvent socket(String kind, String family, String remote, Integer port, String path, String errno,
                                 String key) {
        return ContainerEvent.socket("t1", 1, "c1", 10, 10, "app", kind, family, remote, port, path, errno == null ? 1 : -2,
                errno, key);
    }

    @Test
    void datagramAndUnixDestinationsWithTheKernelsRepeatCounts() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(socket("udp-send", "ipv4", "10.0.0.53", 53, null, null, "k1"));
        b.accept(socket("udp-connect", "ipv4", "10.0.0.53", 53, null, null, null));
        b.accept(socket("icmp-send", "ipv4", "10.0.0.1", 0, null, null, null));
        b.accept(socket("unix-connect", "unix", null, null, "/run/app.sock", "ENOENT", "k2"));
        b.accept(socket("unix-send", "unix", null, null, "@abstract", null, null));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.NET_COUNT, "t9", "c1", "k1", 1000));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.NET_COUNT, "t9", "c1", "k2", 3));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.FILE_COUNT, "t9", "c1", "k1", 50)); // not the network's

        Network n = b.build();
        assertEquals(List.of(
                new Network.Datagram("icmp", "ipv4", "10.0.0.1", 0, 0, 1, new java.util.TreeMap<>(), "t1", null,
                        Network.NO_ENGINE_KNEW),
                new Network.Datagram("udp", "ipv4", "10.0.0.53", 53, 1, 1000, new java.util.TreeMap<>(), "t1", null,
                        Network.NO_ENGINE_KNEW)),
                n.datagrams());
        assertEquals(List.of(
                new Network.UnixSocket("/run/app.sock", 3, 0, new java.util.TreeMap<>(java.util.Map.of("ENOENT", 3L)), "t1"),
                new Network.UnixSocket("@abstract", 0, 1, new java.util.TreeMap<>(), "t1")), n.unix());
        assertEquals(List.of(), n.outbound(), "not TCP");
    }
}
