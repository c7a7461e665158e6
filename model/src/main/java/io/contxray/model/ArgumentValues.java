package io.contxray.model;

import java.util.Comparator;
import java.util.List;

/**
 * The values of the first argument of the syscalls whose profile rule may be narrowed to them
 * (bpf/contxray.h: socket's address family, personality's persona), as the kernel counted them for
 * one recording: native calls only (32-bit calls are not recorded), per phase like the syscall
 * counts of {@link Recording}. A recording without them (an older recorder, a lost recording) has
 * none at all: {@link Recording#argumentValues()} is null.
 *
 * Since the set-id calls are counted too (setuid, setgid, setgroups, ...: the workload's only, not
 * the runtime's), {@code setIdCalls} is true; capability inference then knows which of them the
 * workload made.
 *
 * @param values     one entry per (syscall number, phase, value), sorted
 * @param missed     calls whose value found the kernel's table full: their values are not in the list
 * @param setIdCalls the workload's set-id calls are among the values (false in older recordings)
 */
public record ArgumentValues(List<Value> values, long missed, boolean setIdCalls) {
    private static final Comparator<Value> ORDER = Comparator.comparingInt(Value::nr)
            .thenComparing(Value::filtered)
            .thenComparing(Value::value, Long::compareUnsigned);

    /**
     * @param nr       the syscall number in the recording's native table
     * @param filtered made under the runtime's seccomp filter (the FILTERED phase), else before it
     * @param value    the argument: the whole 64-bit register, unsigned (as seccomp compares it)
     * @param count    calls with this value
     */
    public record Value(int nr, boolean filtered, long value, long count) {
    }

    public ArgumentValues {
        values = values == null ? List.of() : values.stream().sorted(ORDER).toList();
    }

    /** Values of socket and personality only, as recorders before the set-id calls counted them. */
    public ArgumentValues(List<Value> values, long missed) {
        this(values, missed, false);
    }
}
