package io.contxray.model;

/**
 * Counts about a recording's events that are not in the event log.
 *
 * @param droppedExec  exec events the kernel ring buffer had no room for
 * @param droppedFork  fork events dropped the same way
 * @param droppedExit  exit events dropped the same way
 * @param rotated      events deleted from disk by log rotation
 * @param undecodable  records the recorder could not decode or route (should stay 0)
 * @param droppedNet   TCP connection events dropped the same way
 * @param droppedFile  file events dropped the same way
 * @param droppedCapability first-check capability events dropped the same way (their counts are
 *                     kept in the kernel's table all the same)
 */
public record EventStats(long droppedExec, long droppedFork, long droppedExit, long rotated, long undecodable,
                         long droppedNet, long droppedFile, long droppedCapability) {
    public static final EventStats NONE = new EventStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Before file and capability events existed. */
    public EventStats(long droppedExec, long droppedFork, long droppedExit, long rotated, long undecodable,
                      long droppedNet) {
        this(droppedExec, droppedFork, droppedExit, rotated, undecodable, droppedNet, 0, 0);
    }

    /** Every event lost in the kernel. */
    public long dropped() {
        return droppedExec + droppedFork + droppedExit + droppedNet + droppedFile + droppedCapability;
    }
}
