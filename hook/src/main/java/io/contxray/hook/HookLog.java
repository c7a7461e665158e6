package io.contxray.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The hook's stderr, also appended to a log file when the hook closes it. Runtimes show a hook's
 * stderr only when the hook fails, so a fail-open warning would otherwise be seen by nobody.
 * Appending is best effort: a log that cannot be written never fails the container.
 */
public final class HookLog extends OutputStream {
    public static final String ENV = "CONTXRAY_HOOK_LOG";
    public static final Path DEFAULT = Path.of("/var/log/contxray/hook.log");

    private final OutputStream stderr;
    private final Path log;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    public HookLog(OutputStream stderr, Path log) {
        this.stderr = stderr;
        this.log = log;
    }

    /** stderr teed to $CONTXRAY_HOOK_LOG (default /var/log/contxray/hook.log). */
    public static PrintStream around(OutputStream stderr) {
        String env = System.getenv(ENV);
        Path log = env == null || env.isBlank() ? DEFAULT : Path.of(env);
        return new PrintStream(new HookLog(stderr, log), false, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        stderr.write(b);
        copy.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        stderr.write(b, off, len);
        copy.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        stderr.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            stderr.close();
        } finally {
            appendToLog();
        }
    }

    private void appendToLog() {
        if (copy.size() == 0) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        String stamp = Instant.now().toString();
        for (String line : copy.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.append(stamp).append(' ').append(line).append('\n');
            }
        }
        copy.reset();
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException ignored) {
            // best effort, see the class comment
        }
    }
}
