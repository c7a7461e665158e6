package io.contxray.recorder.metrics;

/**
 * The recorder's own state at a scrape.
 *
 * @param attachedPrograms kernel programs whose links are pinned (0 while detached when idle)
 * @param eventsDrained    ring-buffer records read since the daemon started
 * @param eventsUnrouted   records of a slot no container was attached to (lost)
 * @param eventsMalformed  records that could not be decoded (lost)
 * @param eventLagSeconds  how old the newest drained event was when it was read
 */
public record RecorderHealth(int attachedPrograms, int slotsUsed, int slotsTotal, long eventsDrained,
                             long eventsUnrouted, long eventsMalformed, double eventLagSeconds) {
}
