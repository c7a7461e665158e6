package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One entry of a Docker/OCI seccomp profile's "syscalls" list. errnoRet is left out when null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompRule(List<String> names, String action, Integer errnoRet) {
    public static final String ALLOW = "SCMP_ACT_ALLOW";
    public static final String ERRNO = "SCMP_ACT_ERRNO";

    public SeccompRule {
        names = List.copyOf(names);
    }

    public static SeccompRule allow(List<String> names) {
        return new SeccompRule(names, ALLOW, null);
    }

    public static SeccompRule errno(List<String> names, int errno) {
        return new SeccompRule(names, ERRNO, errno);
    }
}
