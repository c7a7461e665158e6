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
     * {@code value} (an unsigned 64-bit number) by {@code op}.
     */
    public record Arg(int index, @JsonSerialize(using = ArgumentFilters.UnsignedJson.class) long value, String op) {
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
