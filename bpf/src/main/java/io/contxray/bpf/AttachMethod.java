package io.contxray.bpf;

import java.nio.file.Files;
import java.nio.file.Path;

/** How the sys_enter (and cgroup mkdir/rmdir) programs are attached; named in reports. */
public enum AttachMethod {
    /** BTF-typed raw tracepoint: typed arguments, direct task access (kernel >= 5.5 with BTF). */
    TP_BTF("tp_btf"),
    /** Plain raw tracepoint: for kernels where tp_btf cannot be used. */
    RAW_TRACEPOINT("raw_tracepoint");

    private final String reportName;

    AttachMethod(String reportName) {
        this.reportName = reportName;
    }

    /** The name written into reports and the daemon's status ("tp_btf", "raw_tracepoint"). */
    public String reportName() {
        return reportName;
    }

    /** TP_BTF when the kernel exposes its BTF, else RAW_TRACEPOINT. */
    public static AttachMethod defaultMethod() {
        return Files.exists(Path.of("/sys/kernel/btf/vmlinux")) ? TP_BTF : RAW_TRACEPOINT;
    }

    /** Parses a report name (for a caller's override, e.g. a config value). */
    public static AttachMethod fromReportName(String name) {
        for (AttachMethod m : values()) {
            if (m.reportName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown attach method '" + name + "' (expected tp_btf or raw_tracepoint)");
    }

    @Override
    public String toString() {
        return reportName;
    }
}
