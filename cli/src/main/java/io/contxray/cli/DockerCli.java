package io.contxray.cli;

import io.contxray.model.Commands;
import io.contxray.model.Commands.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The docker CLI (DOCKER_HOST picks the engine), every call bounded by a timeout. */
final class DockerCli {
    private final String docker;

    DockerCli(String docker) {
        this.docker = docker;
    }

    Result run(Duration timeout, List<String> args) throws IOException {
        return Commands.run(timeout, prepend(docker, args));
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

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
