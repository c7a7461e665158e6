package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.contxray.analyzer.Network;
import io.contxray.model.ContainerEvent;
import io.contxray.model.Holdings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerResolverTest {
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    private static final long S = 1_000_000_000L;

    private final List<ContainerEvent> lines = new CopyOnWriteArrayList<>();
    private final AddressHistory history = new AddressHistory(3600 * S, 100);

    private PeerResolver resolver(Path proc) {
        return new PeerResolver(List.of(), history, new ContainerdLookup(proc, "/nonexistent/ctr", Duration.ofSeconds(1)),
                proc, (id, e) -> lines.add(e), Clock.fixed(T0.plusSeconds(100), ZoneOffset.UTC),
                new Log(new PrintStream(new ByteArrayOutputStream())));
    }

    private static ContainerEvent accept(String remote, int second) {
        return ContainerEvent.net(T0.plusSeconds(second).toString(), 0, "srv", 0, 0, "nginx", "accept", "ipv4",
                "10.0.0.2", 80, remote, 40000);
    }

    private static long at(int second) {
        return Holdings.nanos(T0.plusSeconds(second));
    }

    @Test
    void eachConnectionIsNamedByItsHolderThenAndWaitsForAHolderNotKnownYet(@TempDir Path proc) {
        try (PeerResolver r = resolver(proc)) {
            history.identify("a", "client-a", "busybox", at(0));
            history.hold("/d.sock", "a", "10.0.0.3", null, null, "n", AddressHistory.ENGINE_EVENT, at(1));
            history.release("/d.sock", "a", null, at(5));
            r.connection("srv", accept("10.0.0.3", 2));
            r.connection("srv", accept("10.0.0.3", 3)); // the same holder: one line
            r.connection("srv", accept("10.0.0.3", 20)); // its next holder is not known yet
            r.connection("srv", accept("10.0.0.9", 20)); // nobody's
            r.connection("srv", accept("127.0.0.1", 20)); // its own
            history.identify("b", "client-b", "busybox", at(19));
            history.hold("/d.sock", "b", "10.0.0.3", null, null, "n", AddressHistory.ENGINE_EVENT, at(19));
            r.changed();
            long end = System.nanoTime() + 5 * S;
            while (lines.stream().noneMatch(e -> "b".equals(e.peerId())) && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            assertEquals(2, lines.size(), "named when the history learnt its holder, before the report: " + lines);
            r.finish("srv", Duration.ofSeconds(5));
        }
        assertEquals(3, lines.size(), lines.toString());
        ContainerEvent a = lines.get(0);
        assertEquals(List.of("a", "client-a", T0.plusSeconds(1).toString(), T0.plusSeconds(5).toString(), "engine-event"),
                List.of(a.peerId(), a.name(), a.time(), a.until(), a.source()));
        ContainerEvent b = lines.stream().filter(e -> "b".equals(e.peerId())).findFirst().orElseThrow();
        assertNull(b.until(), "still held");
        ContainerEvent none = lines.stream().filter(e -> e.peerId() == null).findFirst().orElseThrow();
        assertEquals(List.of("10.0.0.9", Network.NO_ENGINE_KNEW), List.of(none.remoteAddr(), none.reason()));
    }

    @Test
    void aPublishedPortOnTheHostsAddressNamesItsContainer(@TempDir Path proc) throws Exception {
        String host = java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .map(i -> EventPump.address(i.getAddress())).filter(x -> !Holdings.isLoopback(x)).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(host != null, "this host has no address but loopback");
        history.identify("web", "web", "nginx", at(0));
        history.hold("/d.sock", "web", "0.0.0.0", 8080, "tcp", null, AddressHistory.LISTING, at(0));
        try (PeerResolver r = resolver(proc)) {
            r.connection("cli", ContainerEvent.net(T0.plusSeconds(3).toString(), 0, "cli", 0, 0, "wget", "connect", "ipv4",
                    "10.0.0.7", 41000, host, 8080));
            r.finish("cli", Duration.ofSeconds(5));
        }
        assertEquals(List.of("web", 8080, "tcp"), List.of(lines.get(0).peerId(), lines.get(0).remotePort(), lines.get(0).kind()));
    }

    @Test
    void whatTheHistoryDroppedIsSaidSo(@TempDir Path proc) {
        AddressHistory small = history;
        small.hold("/d.sock", "old", "10.0.0.4", null, null, null, AddressHistory.ENGINE_EVENT, at(1));
        small.release("/d.sock", "old", null, at(2));
        small.evict(at(1) + 7200 * S);
        try (PeerResolver r = resolver(proc)) {
            r.connection("srv", accept("10.0.0.4", 1));
            r.finish("srv", Duration.ofSeconds(5));
        }
        assertEquals(Network.HISTORY_DROPPED, lines.get(0).reason());
    }
}
