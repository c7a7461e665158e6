package io.contxray.recorder;

import java.io.PrintStream;
import java.time.Instant;

/** Timestamped one-line log on stderr (journald/systemd or the test harness collects it). */
public final class Log {
    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public void info(String msg) {
        line("INFO", msg);
    }

    public void warn(String msg) {
        line("WARN", msg);
    }

    private synchronized void line(String level, String msg) {
        out.println(Instant.now() + " " + level + " " + msg);
        out.flush();
    }
}
