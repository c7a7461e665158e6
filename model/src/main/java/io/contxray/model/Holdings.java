package io.contxray.model;

import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The one rule, for the recorder's address history and the analyzer's peer lines alike, of which
 * holding of an address answers for a moment: one that held it then (the latest to start, when
 * engines overlap), else one that started at most {@link #EARLY} after it. Engines date a
 * container's address a little after its process may already talk (Docker's start time is set
 * once runc has started it), so a connection just before a holding's start is its holder's.
 * Times are epoch nanoseconds; an open holding ends at {@link Long#MAX_VALUE}.
 */
public final class Holdings {
    public static final long EARLY = 2_000_000_000L;
    public static final long OPEN = Long.MAX_VALUE;

    private Holdings() {
    }

    public static <T> T at(List<T> holdings, ToLongFunction<T> from, ToLongFunction<T> until, long t) {
        T best = null;
        for (T h : holdings) {
            if (from.applyAsLong(h) <= t && t <= until.applyAsLong(h)
                    && (best == null || from.applyAsLong(h) > from.applyAsLong(best))) {
                best = h;
            }
        }
        if (best != null) {
            return best;
        }
        for (T h : holdings) {
            long f = from.applyAsLong(h);
            if (f > t && f - t <= EARLY && (best == null || f < from.applyAsLong(best))) {
                best = h;
            }
        }
        return best;
    }

    public static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Loopback and the unspecified address: a container's own, never another's to name. */
    public static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0.0.0.0") || address.equals("::");
    }

    /** Epoch nanoseconds of an ISO-8601 time, or {@code orElse} when it is not one. */
    public static long nanosOf(String iso, long orElse) {
        if (iso == null) {
            return orElse;
        }
        try {
            return nanos(Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            return orElse;
        }
    }
}
