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
}
