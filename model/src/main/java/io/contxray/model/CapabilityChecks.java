package io.contxray.model;

import java.util.List;

/**
 * The capability checks the kernel made for a recorded container, counted per capability, outcome
 * and phase. Empty (method "none") when no exact hook was available: the analyzer then infers
 * capabilities from syscalls and events instead.
 *
 * @param method how the checks were seen, e.g. "tracepoint capability:cap_capable", or "none"
 * @param checks one entry per (capability, granted, phase) seen, count > 0
 */
public record CapabilityChecks(String method, List<Check> checks) {
    public static final String NONE_METHOD = "none";
    public static final CapabilityChecks NONE = new CapabilityChecks(NONE_METHOD, List.of());

    public static final String PHASE_RUNTIME = "runtime";
    public static final String PHASE_WORKLOAD = "workload";
    /**
     * Checks the kernel made without auditing them, by the runtime or the workload: it asks so to
     * decide something quietly (memory overcommit, what /proc shows), not to allow or refuse a
     * call, so they say nothing about what the workload needs.
     */
    public static final String PHASE_NOAUDIT = "no-audit";

    public CapabilityChecks {
        method = method == null ? NONE_METHOD : method;
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /**
     * @param capability the name without "CAP_" (NET_BIND_SERVICE), or "cap_N" for a number this
     *                   build does not know
     * @param granted    whether the check succeeded
     * @param phase      {@link #PHASE_RUNTIME} (the runtime's init, before the workload),
     *                   {@link #PHASE_WORKLOAD} or {@link #PHASE_NOAUDIT}
     */
    public record Check(String capability, boolean granted, String phase, long count) {
    }

    public boolean exact() {
        return !NONE_METHOD.equals(method);
    }
}
