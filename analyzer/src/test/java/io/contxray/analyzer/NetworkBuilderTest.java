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
        assertEquals(List.of(new Network.Inbound("ipv4", "172.17.0.3", 80, 2, "t2", null)), n.inbound());
        assertEquals(List.of(new Network.Outbound("ipv4", "10.0.0.9", 5432, 1, "t4", null)), n.outbound());
    }

    @Test
    void peersAndTheContainersOwnNameFromTheLog() {
        NetworkBuilder b = new NetworkBuilder();
        b.accept(ContainerEvent.container("t0", "c1", "web", "nginx:1"));
        b.accept(net("accept", "172.17.0.2", 80, "172.17.0.3", 40000, "t1"));
        b.accept(ContainerEvent.peer("t1", "c1", "172.17.0.3", "c2", "client", "busybox"));
        b.accept(net("connect", "172.17.0.2", 0, "172.17.0.9", 6379, "t2")); // not a container: no peer
        Network n = b.build();
        assertEquals(new Network.Peer("c2", "client", "busybox"), n.inbound().get(0).peer());
        assertEquals(null, n.outbound().get(0).peer());
        assertEquals(new Network.Peer("c1", "web", "nginx:1"), b.self());
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
                new Network.Datagram("icmp", "ipv4", "10.0.0.1", 0, 0, 1, new java.util.TreeMap<>(), "t1", null),
                new Network.Datagram("udp", "ipv4", "10.0.0.53", 53, 1, 1000, new java.util.TreeMap<>(), "t1", null)),
                n.datagrams());
        assertEquals(List.of(
                new Network.UnixSocket("/run/app.sock", 3, 0, new java.util.TreeMap<>(java.util.Map.of("ENOENT", 3L)), "t1"),
                new Network.UnixSocket("@abstract", 0, 1, new java.util.TreeMap<>(), "t1")), n.unix());
        assertEquals(List.of(), n.outbound(), "not TCP");
    }
}
