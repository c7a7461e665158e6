package io.contxray.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The docker CLI (DOCKER_HOST picks the engine), every call bounded by a timeout. */
final class DockerCli {
    record Result(int code, String out, String err) {
        String firstErrLine() {
            String s = (err.isBlank() ? out : err).strip();
            return s.lines().findFirst().orElse("exit " + code);
        }
    }

    private final String docker;

    DockerCli(String docker) {
        this.docker = docker;
    }

    Result run(Duration timeout, List<String> args) throws IOException {
        return runCommand(timeout, prepend(docker, args));
    }

    /** A command that did not finish within its timeout (and was killed). */
    static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    /** The output of a successful call, trimmed; else an IOException with what docker said. */
    String ok(Duration timeout, String what, List<String> args) throws IOException {
        Result r = run(timeout, args);
        if (r.code() != 0) {
            throw new IOException(what + ": docker " + String.join(" ", args.subList(0, Math.min(2, args.size())))
                    + " failed: " + r.firstErrLine());
        }
        return r.out().strip();
    }

    /** What {@link #passthrough} returns for a command it had to kill, as timeout(1) does. */
    static final int TIMED_OUT = 124;

    /** Runs any command (an exercise script), output passed through to ours; killed after the timeout. */
    static int passthrough(Duration timeout, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return TIMED_OUT;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Any command with stdin closed and both outputs captured; {@link TimedOut} after the timeout. */
    static Result runCommand(Duration timeout, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        // drained on their own threads: a full pipe must not stall the wait below
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
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
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("reading the output of " + command.get(0) + ": " + e.getMessage());
        }
    }

    private static void drain(java.io.InputStream in, java.util.concurrent.CompletableFuture<String> into) {
        Thread t = new Thread(() -> {
            try (in) {
                into.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                into.complete("");
            }
        }, "docker-output");
        t.setDaemon(true);
        t.start();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
