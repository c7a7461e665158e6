package io.contxray.analyzer;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One entry of a Docker/OCI seccomp profile's "syscalls" list. errnoRet and args are left out
 * when null: a rule without args matches the syscall with any arguments.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompRule(List<String> names, String action, List<Arg> args, Integer errnoRet) {
    public static final String ALLOW = "SCMP_ACT_ALLOW";
    public static final String ERRNO = "SCMP_ACT_ERRNO";

    /**
     * An argument condition (OCI {@code LinuxSeccompArg}): argument {@code index} compared with
     * {@code value} (an unsigned 64-bit number) by {@code op}; for {@code SCMP_CMP_MASKED_EQ},
     * {@code value} is the mask and {@code valueTwo} what the masked argument must equal (left
     * out for the other ops, which do not use it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arg(int index, @JsonSerialize(using = ArgumentFilters.UnsignedJson.class) long value,
                      @JsonSerialize(using = ArgumentFilters.UnsignedJson.class) Long valueTwo, String op) {
        public static final String EQ = "SCMP_CMP_EQ";
        public static final String MASKED_EQ = "SCMP_CMP_MASKED_EQ";

        public Arg(int index, long value, String op) {
            this(index, value, null, op);
        }

        /** (argument {@code index} & {@code mask}) == {@code expected}. */
        public static Arg maskedEq(int index, long mask, long expected) {
            return new Arg(index, mask, expected, MASKED_EQ);
        }

        /** Whether every argument value this condition lets through also meets {@code wider}. */
        public boolean implies(Arg wider) {
            if (index != wider.index) {
                return false;
            }
            long wideMask = MASKED_EQ.equals(wider.op) ? wider.value : -1L;
            long wideWant = MASKED_EQ.equals(wider.op) ? nz(wider.valueTwo) : wider.value;
            if (!EQ.equals(wider.op) && !MASKED_EQ.equals(wider.op)) {
                return equals(wider);
            }
            if (EQ.equals(op)) {
                return (value & wideMask) == wideWant;
            }
            if (MASKED_EQ.equals(op)) {
                // fixes the bits of value; the wider condition must look at no other bit
                return (wideMask & ~value) == 0 && (nz(valueTwo) & wideMask) == wideWant;
            }
            return false;
        }

        private static long nz(Long v) {
            return v == null ? 0 : v;
        }
    }

    public SeccompRule {
        names = List.copyOf(names);
        args = args == null ? null : List.copyOf(args);
    }

    public SeccompRule(List<String> names, String action, Integer errnoRet) {
        this(names, action, null, errnoRet);
    }

    public static SeccompRule allow(List<String> names) {
        return new SeccompRule(names, ALLOW, null);
    }

    /** Allows {@code name} only when its arguments meet every condition. */
    public static SeccompRule allowIf(String name, Arg... conditions) {
        return new SeccompRule(List.of(name), ALLOW, List.of(conditions), null);
    }

    public static SeccompRule errno(List<String> names, int errno) {
        return new SeccompRule(names, ERRNO, errno);
    }
}
