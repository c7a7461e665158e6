package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.Json;
import org.junit.jupiter.api.Test;

class AddressHistoryTest {
    private static final long S = 1_000_000_000L;
    private static final String D = "/run/docker.sock";

    @Test
    void anAddressIsItsHoldersAtEachMomentNeverALaterOnes() {
        AddressHistory h = new AddressHistory(3600 * S, 100);
        for (int i = 0; i < 10; i++) {
            h.identify("c" + i, "client-" + i, "busybox", 10 * i * S);
            h.hold(D, "c" + i, "172.17.0.3", null, null, "net", AddressHistory.ENGINE_EVENT, 10 * i * S);
            h.release(D, "c" + i, null, (10 * i + 5) * S);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("client-" + i, h.at("172.17.0.3", (10 * i + 1) * S).holder().name());
        }
        assertEquals("client-4", h.at("172.17.0.3", 39 * S).holder().name(), "just before the next one's start");
        assertNull(h.at("172.17.0.3", 500 * S), "nobody held it then");
        assertNull(h.at("172.17.0.4", S));
    }

    @Test
    void engineHoldingsAnswerBeforeRegistrationsAndPublishedPortsByPort() {
        AddressHistory h = new AddressHistory(3600 * S, 100);
        h.hold(AddressHistory.REGISTRATION, "a", "10.0.0.2", null, null, null, AddressHistory.REGISTRATION, 2 * S);
        assertEquals(AddressHistory.REGISTRATION, h.at("10.0.0.2", 3 * S).holding().source());
        assertNull(h.at("10.0.0.2", 3 * S).holder().name(), "no name given yet");
        h.hold(D, "a", "10.0.0.2", null, null, "n", AddressHistory.ENGINE_EVENT, S);
        h.identify("a", "web", null, S);
        assertEquals(AddressHistory.ENGINE_EVENT, h.at("10.0.0.2", 3 * S).holding().source());
        assertEquals("web", h.at("10.0.0.2", 3 * S).holder().name());

        h.hold(D, "a", "0.0.0.0", 8080, "tcp", null, AddressHistory.LISTING, S);
        assertEquals("a", h.published("192.0.2.2", 8080, "tcp", 2 * S).holder().id());
        assertNull(h.published("192.0.2.2", 8080, "udp", 2 * S));
        assertNull(h.published("192.0.2.2", 8081, "tcp", 2 * S));
        assertNull(h.at("0.0.0.0", 2 * S), "a published port is not an address held");
    }

    @Test
    void holdingTwiceIsOnceAndANetworksDisconnectEndsOnlyItsAddress() {
        AddressHistory h = new AddressHistory(3600 * S, 100);
        h.hold(D, "a", "10.0.0.2", null, null, "n1", AddressHistory.ENGINE_EVENT, S);
        h.hold(D, "a", "10.0.0.2", null, null, "n1", AddressHistory.LISTING, 2 * S);
        h.hold(D, "a", "10.1.0.2", null, null, "n2", AddressHistory.ENGINE_EVENT, S);
        assertEquals(2, h.size());
        h.release(D, "a", "n2", 5 * S);
        assertTrue(h.at("10.0.0.2", 6 * S).holding().open());
        assertNull(h.at("10.1.0.2", 6 * S));
        assertEquals(java.util.Set.of("a"), h.holding(D));
        h.release(D, "a", null, 7 * S);
        assertEquals(java.util.Set.of(), h.holding(D));
    }

    @Test
    void endedHoldingsAreKeptForATimeAndACountTheDroppedOnesCounted() {
        AddressHistory h = new AddressHistory(100 * S, 3);
        for (int i = 0; i < 5; i++) {
            h.hold(D, "c" + i, "10.0.0." + i, null, null, null, AddressHistory.ENGINE_EVENT, i * S);
            h.release(D, "c" + i, null, i * S + 1);
            h.identify("c" + i, "n" + i, null, i * S);
        }
        h.hold(D, "live", "10.0.1.1", null, null, null, AddressHistory.ENGINE_EVENT, 0);
        h.evict(10 * S);
        assertEquals(2, h.evicted(), "beyond the count: the two oldest");
        assertEquals(4, h.size());
        assertTrue(h.mayHaveDropped(S));
        assertFalse(h.mayHaveDropped(2 * S));
        h.evict(1000 * S);
        assertEquals(5, h.evicted(), "beyond the time: all ended ones");
        assertEquals(1, h.size(), "a running container's is kept");
        assertEquals(0, h.holders(), "names nothing refers to go after the kept time");
    }

    @Test
    void aSnapshotThroughJsonRestoresWhatWasKnown() throws Exception {
        AddressHistory h = new AddressHistory(3600 * S, 100);
        h.hold(D, "a", "fd00::5", null, null, "n", AddressHistory.ENGINE_EVENT, S);
        h.identify("a", "web", "nginx", S);
        h.release(D, "a", null, 9 * S);
        h.hold(D, "b", "fd00::5", null, null, "n", AddressHistory.LISTING, 10 * S);
        h.lastEvent(D, 11 * S);
        String json = Json.mapper().writeValueAsString(h.snapshot());
        AddressHistory back = new AddressHistory(3600 * S, 100);
        back.restore(Json.mapper().readValue(json, AddressHistory.Snapshot.class));
        assertEquals("web", back.at("fd00::5", 5 * S).holder().name());
        assertEquals("b", back.at("fd00::5", 12 * S).holder().id());
        assertEquals(11 * S, back.lastEvent(D));
        assertEquals(2, back.size());
    }
}
