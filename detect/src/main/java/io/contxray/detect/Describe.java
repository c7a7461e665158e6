package io.contxray.detect;

import io.contxray.model.ContainerEvent;
import java.util.List;

/** Short readable forms of events and ancestries, for the daemon log and {@code contxray alerts}. */
public final class Describe {
    static final int MAX_ARGV_CHARS = 120;

    private Describe() {
    }

    public static String event(ContainerEvent e) {
        StringBuilder s = new StringBuilder(e.type()).append(" pid ").append(e.pid());
        if (e.comm() != null) {
            s.append(" comm ").append(e.comm());
        }
        switch (e.type()) {
            case ContainerEvent.EXEC -> s.append(' ').append(e.filename()).append(" argv ").append(argv(e.argv()));
            case ContainerEvent.FILE -> {
                s.append(' ').append(e.op()).append(' ').append(e.path());
                if (e.newPath() != null) {
                    s.append(" -> ").append(e.newPath());
                }
                if (e.access() != null) {
                    s.append(" (").append(String.join(",", e.access())).append(')');
                }
            }
            case ContainerEvent.NET -> {
                s.append(' ').append(e.kind());
                if (e.localPort() != null && "listen".equals(e.kind())) {
                    s.append(" port ").append(e.localPort());
                } else if (e.path() != null) {
                    s.append(' ').append(e.path());
                } else if (e.remoteAddr() != null) {
                    s.append(' ').append(e.remoteAddr()).append(e.remotePort() == null ? "" : ":" + e.remotePort());
                }
            }
            case ContainerEvent.CAPABILITY -> s.append(' ').append(e.capability())
                    .append(Boolean.TRUE.equals(e.granted()) ? " granted" : " refused");
            default -> {
            }
        }
        if (e.errno() != null) {
            s.append(' ').append(e.errno());
        }
        return s.toString();
    }

    /** "pid [argv] <- pid [argv] ..." from the process up. */
    public static String ancestry(List<Proc.Ancestor> chain) {
        StringBuilder s = new StringBuilder();
        for (Proc.Ancestor a : chain) {
            if (s.length() > 0) {
                s.append(" <- ");
            }
            s.append(a.pid()).append(' ').append(a.argv() == null || a.argv().isEmpty() ? String.valueOf(a.filename()) : argv(a.argv()));
        }
        return s.toString();
    }

    static String argv(List<String> argv) {
        if (argv == null) {
            return "[]";
        }
        // a newline in an argument must not split the log line
        String s = ("[" + String.join(" ", argv) + "]").replaceAll("\\p{Cntrl}", "?");
        return s.length() > MAX_ARGV_CHARS ? s.substring(0, MAX_ARGV_CHARS - 4) + "...]" : s;
    }
}
