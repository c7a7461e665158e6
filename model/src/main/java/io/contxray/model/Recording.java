package io.contxray.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished recording, handed by the recorder to the analyzer when the container stops.
 * Count maps are syscall number -> calls, for the two phases of bpf/contxray.h (BEFORE: no
 * seccomp filter yet; FILTERED: under the runtime's filter) and two ABIs (native and 32-bit
 * compat). Null maps and lists become empty; maps are kept sorted by number.
 *
 * @param stoppedAt    ISO-8601 UTC
 * @param arch         "x86_64" or "aarch64" (see {@link SyscallTable#forArch})
 * @param attachMethod how the sys_enter program was attached ("tp_btf", "raw_tracepoint")
 * @param outOfRange   calls whose number was >= CX_NR_SYSCALLS (e.g. x32), not attributed
 * @param errors       one-line problems met while recording
 * @param events       event counts not in the event log (kernel drops, rotation)
 * @param capabilities the kernel's capability checks, when an exact hook was attached
 * @param argumentValues the first-argument values of socket and personality the kernel counted;
 *                     null when they were not recorded
 */
public record Recording(
        Registration registration,
        String stoppedAt,
        String arch,
        String attachMethod,
        Map<Integer, Long> beforeFilterNative,
        Map<Integer, Long> filteredNative,
        Map<Integer, Long> beforeFilterCompat,
        Map<Integer, Long> filteredCompat,
        long outOfRange,
        boolean recoveredAfterRestart,
        List<String> errors,
        EventStats events,
        CapabilityChecks capabilities,
        ArgumentValues argumentValues) {

    /** A recording without process events (no drops, no rotation). */
    public Recording(Registration registration, String stoppedAt, String arch, String attachMethod,
                     Map<Integer, Long> beforeFilterNative, Map<Integer, Long> filteredNative,
                     Map<Integer, Long> beforeFilterCompat, Map<Integer, Long> filteredCompat, long outOfRange,
                     boolean recoveredAfterRestart, List<String> errors) {
        this(registration, stoppedAt, arch, attachMethod, beforeFilterNative, filteredNative, beforeFilterCompat,
                filteredCompat, outOfRange, recoveredAfterRestart, errors, EventStats.NONE, CapabilityChecks.NONE);
    }

    /** A recording without argument values. */
    public Recording(Registration registration, String stoppedAt, String arch, String attachMethod,
                     Map<Integer, Long> beforeFilterNative, Map<Integer, Long> filteredNative,
                     Map<Integer, Long> beforeFilterCompat, Map<Integer, Long> filteredCompat, long outOfRange,
                     boolean recoveredAfterRestart, List<String> errors, EventStats events, CapabilityChecks capabilities) {
        this(registration, stoppedAt, arch, attachMethod, beforeFilterNative, filteredNative, beforeFilterCompat,
                filteredCompat, outOfRange, recoveredAfterRestart, errors, events, capabilities, null);
    }

    /** A recording without capability checks. */
    public Recording(Registration registration, String stoppedAt, String arch, String attachMethod,
                     Map<Integer, Long> beforeFilterNative, Map<Integer, Long> filteredNative,
                     Map<Integer, Long> beforeFilterCompat, Map<Integer, Long> filteredCompat, long outOfRange,
                     boolean recoveredAfterRestart, List<String> errors, EventStats events) {
        this(registration, stoppedAt, arch, attachMethod, beforeFilterNative, filteredNative, beforeFilterCompat,
                filteredCompat, outOfRange, recoveredAfterRestart, errors, events, CapabilityChecks.NONE);
    }

    public Recording {
        if (registration == null) {
            throw new IllegalArgumentException("recording without a registration");
        }
        beforeFilterNative = sorted(beforeFilterNative);
        filteredNative = sorted(filteredNative);
        beforeFilterCompat = sorted(beforeFilterCompat);
        filteredCompat = sorted(filteredCompat);
        errors = errors == null ? List.of() : List.copyOf(errors);
        events = events == null ? EventStats.NONE : events;
        capabilities = capabilities == null ? CapabilityChecks.NONE : capabilities;
    }

    /** With the name and image the engine gave, where the registration had none. */
    public Recording withIdentity(String name, String image) {
        Registration r = registration;
        Registration named = new Registration(r.id(), r.slot(), r.cgroupId(), r.cgroupPath(), r.pid(), r.bundle(),
                r.annotations(), r.registeredAt(), r.name() != null ? r.name() : name, r.image() != null ? r.image() : image);
        return new Recording(named, stoppedAt, arch, attachMethod, beforeFilterNative, filteredNative, beforeFilterCompat,
                filteredCompat, outOfRange, recoveredAfterRestart, errors, events, capabilities, argumentValues);
    }

    /** The same recording with more errors appended. */
    public Recording withErrors(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(errors);
        all.addAll(more);
        return new Recording(registration, stoppedAt, arch, attachMethod, beforeFilterNative, filteredNative,
                beforeFilterCompat, filteredCompat, outOfRange, recoveredAfterRestart, all, events, capabilities,
                argumentValues);
    }

    private static Map<Integer, Long> sorted(Map<Integer, Long> counts) {
        return counts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
