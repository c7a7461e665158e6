package io.contxray.analyzer;

import java.util.List;

/**
 * seccomp.json in the format Docker's {@code --security-opt seccomp=} and the OCI runtime
 * config's linux.seccomp accept: deny by default with EPERM, allow what the rules list.
 */
public record SeccompProfile(String defaultAction, int defaultErrnoRet, List<String> architectures, List<SeccompRule> syscalls) {
    public static final int EPERM = 1;

    public SeccompProfile {
        architectures = List.copyOf(architectures);
        syscalls = List.copyOf(syscalls);
    }
}
