package io.contxray.analyzer;

import io.contxray.model.Recording;
import io.contxray.model.SyscallCounts;
import java.util.Map;

/**
 * Which recorded syscalls a profile must allow.
 *
 * <p>The kernel side splits counts by whether the calling task already ran under a seccomp filter.
 * When the container was started with a filter (Docker's default profile, say), everything after
 * the runtime installed it - runc init's last steps, execve, the workload - is exactly what the
 * replacement profile has to allow, and the runtime's earlier set-up is not. Without a filter
 * there is no such mark, so everything recorded is allowed, runtime set-up included.
 *
 * @param kind        where the cut was made
 * @param explanation one sentence for report.json
 * @param native_     native counts the profile allows (number -> calls)
 * @param compat      32-bit compat counts the profile allows
 */
public record Cut(Kind kind, String explanation, Map<Integer, Long> native_, Map<Integer, Long> compat) {

    public enum Kind {
        SECCOMP_FILTER("seccomp-filter"),
        NONE("none");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The value written to report.json ("seccomp-filter" or "none"). */
        public String label() {
            return label;
        }
    }

    static final String FILTER_EXPLANATION = "The container ran under a seccomp filter while recorded, so the profile "
            + "allows exactly the syscalls made after the runtime installed that filter (the runtime's last set-up "
            + "steps and the workload); earlier runtime set-up is listed under syscallsBeforeFilter only.";
    static final String NONE_EXPLANATION = "The container ran without a seccomp filter, so there is no point to cut "
            + "at and the profile allows every recorded syscall, including the container runtime's own set-up "
            + "syscalls made before the workload started.";

    public static Cut of(Recording rec) {
        if (!rec.filteredNative().isEmpty() || !rec.filteredCompat().isEmpty()) {
            return new Cut(Kind.SECCOMP_FILTER, FILTER_EXPLANATION, rec.filteredNative(), rec.filteredCompat());
        }
        return new Cut(Kind.NONE, NONE_EXPLANATION,
                SyscallCounts.merge(rec.beforeFilterNative(), rec.filteredNative()),
                SyscallCounts.merge(rec.beforeFilterCompat(), rec.filteredCompat()));
    }
}
