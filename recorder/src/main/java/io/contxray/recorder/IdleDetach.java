package io.contxray.recorder;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Detaches the kernel programs once nothing has been recorded for a moment, instead of inside the
 * stop that ended the last recording. Detaching a tracepoint link waits for RCU grace periods
 * (tens of ms per link), which delayed every container's poststop hook; containers run one after
 * the other also no longer pay an attach and a detach each. The host is back to zero cost within
 * the linger.
 */
final class IdleDetach {
    private final Duration linger;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> pending;

    /** @param linger how long to wait; zero detaches at once, on the caller's thread */
    IdleDetach(Duration linger) {
        this.linger = linger;
        this.timer = linger.isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "contxray-idle-detach");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code detach} after the linger, replacing one already pending. {@code detach} must
     * check again that nothing is recorded, under the lock the recordings are kept under.
     */
    synchronized void schedule(Runnable detach) {
        cancel();
        if (timer == null) {
            detach.run();
            return;
        }
        pending = timer.schedule(detach, linger.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops a pending detach (a new recording starts). */
    synchronized void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
