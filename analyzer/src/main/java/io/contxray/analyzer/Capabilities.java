package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * report.json's {@code capabilities}: the Linux capabilities the workload needs, from the
 * kernel's own checks when the recorder could hook them, else inferred from syscalls and events.
 *
 * @param method       how {@code required} was found: the exact hook, or "inferred from syscalls and events"
 * @param recommended  the names to add after dropping all (capabilities.json's add), sorted
 * @param dockerFlags  the same as docker run flags
 * @param required     what {@code recommended} is made of, with evidence
 * @param possible     inferred from calls that need the capability only sometimes: not recommended
 * @param deniedChecks the workload asked for these and was refused (it ran without them)
 * @param ignoredRuntimeChecks checks made by the runtime's own set-up, not the workload's
 * @param ignoredNoAuditChecks checks the kernel made without auditing them, to decide quietly
 *                             (memory overcommit's SYS_ADMIN on every mmap, what /proc shows):
 *                             not needed by the workload; empty in reports of older versions
 */
public record Capabilities(String method, List<String> recommended, String dockerFlags, List<Capability> required,
                           List<Capability> possible, List<Capability> deniedChecks, List<Capability> ignoredRuntimeChecks,
                           List<Capability> ignoredNoAuditChecks) {

    public Capabilities {
        recommended = List.copyOf(recommended);
        required = List.copyOf(required);
        possible = List.copyOf(possible);
        deniedChecks = List.copyOf(deniedChecks);
        ignoredRuntimeChecks = List.copyOf(ignoredRuntimeChecks);
        ignoredNoAuditChecks = ignoredNoAuditChecks == null ? List.of() : List.copyOf(ignoredNoAuditChecks);
    }

    /**
     * @param capability name without "CAP_"
     * @param count      checks, or calls and events that suggested it
     * @param evidence   what suggested it ("chown x3", "listen ipv4 0.0.0.0:80"); empty for exact checks
     *                   without inferred evidence
     * @param granted    for runtime checks only: whether the kernel granted it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capability(String capability, String method, long count, List<String> evidence, Boolean granted) {
    }
}
