package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleDetachTest {
    @Test
    void zeroLingerDetachesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        new IdleDetach(Duration.ZERO).schedule(runs::incrementAndGet);
        assertEquals(1, runs.get());
    }

    @Test
    void aNewRecordingCancelsThePendingDetach() throws Exception {
        IdleDetach d = new IdleDetach(Duration.ofMillis(200));
        AtomicInteger runs = new AtomicInteger();
        d.schedule(runs::incrementAndGet);
        d.cancel();
        Thread.sleep(500);
        assertEquals(0, runs.get());
    }

    @Test
    void aLaterScheduleReplacesTheEarlierOneAndRunsOnce() throws Exception {
        IdleDetach d = new IdleDetach(Duration.ofMillis(100));
        AtomicInteger first = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        d.schedule(first::incrementAndGet);
        d.schedule(second::countDown);
        assertTrue(second.await(5, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals(0, first.get());
    }
}
