package io.contxray.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a command with stdin closed and both outputs captured, killed after a timeout. */
public final class Commands {
    private Commands() {
    }

    public record Result(int code, String out, String err) {
        /** The first line of what it said (stderr, else stdout), or its exit code. */
        public String firstErrLine() {
            String s = (err.isBlank() ? out : err).strip();
            return s.lines().findFirst().orElse("exit " + code);
        }
    }

    /** A command that did not finish within its timeout (and was killed). */
    public static final class TimedOut extends IOException {
        public TimedOut(String message) {
            super(message);
        }
    }

    /** {@link TimedOut} after the timeout; an IOException if it cannot start. */
    public static Result run(Duration timeout, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        // drained on their own threads: a full pipe must not stall the wait below
        CompletableFuture<String> out = new CompletableFuture<>();
        CompletableFuture<String> err = new CompletableFuture<>();
        drain(p.getInputStream(), out);
        drain(p.getErrorStream(), err);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TimedOut(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("reading the output of " + command.get(0) + ": " + e.getMessage());
        }
    }

    private static void drain(InputStream in, CompletableFuture<String> into) {
        Thread t = new Thread(() -> {
            try (in) {
                into.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                into.complete("");
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
    }
}
