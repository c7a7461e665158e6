package io.contxray.shim;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code contxray runtime-patch --mode annotated|all -- <runc argv>}: the Java half of the
 * {@code contxray-runc} wrapper. For create/run/restore it adds contxray's hooks to the bundle's
 * config.json; the wrapper then execs runc with the same argv. Returns 0 to go ahead, also when
 * patching failed (the container runs unrecorded), 1 when the container required recording and
 * patching failed, 2 on a wrong invocation.
 */
public final class ShimMain {
    static final String PREFIX = "contxray-runc: ";
    static final String USAGE = PREFIX + "usage: contxray runtime-patch --mode annotated|all -- <runc arguments>";

    private ShimMain() {
    }

    public static int run(String[] args, PrintStream err) {
        return run(args, err, System.getenv(), Path.of("").toAbsolutePath());
    }

    /** As {@link #run(String[], PrintStream)} with an explicit environment and working directory. */
    public static int run(String[] args, PrintStream err, Map<String, String> env, Path cwd) {
        try {
            return patch(args, err, env, cwd);
        } catch (RuntimeException e) {
            // A bug must not keep containers from starting: fail open, one line.
            err.println(PREFIX + "internal error, container runs unrecorded: " + oneLine(String.valueOf(e)));
            return 0;
        } finally {
            err.flush();
        }
    }

    private static int patch(String[] args, PrintStream err, Map<String, String> env, Path cwd) {
        List<String> all = Arrays.asList(args);
        int sep = all.indexOf("--");
        PatchMode mode = modeOf(all.subList(0, Math.max(sep, 0)));
        if (sep < 0 || mode == null) {
            err.println(USAGE);
            return 2;
        }
        RuncArgs runc = RuncArgs.parse(all.subList(sep + 1, all.size()), cwd);
        if (!runc.createsContainer()) {
            return 0;
        }
        Path config = runc.bundle().resolve("config.json");
        try {
            ConfigPatcher.fromEnvironment(env).patch(config, mode);
            return 0;
        } catch (PatchException e) {
            String line = PREFIX + "patching " + config + ": " + oneLine(e.getMessage());
            if (e.required()) {
                line += e.rollout() ? " (refusing to start the container without its profile)"
                        : " (contxray.record=required: refusing to start the container)";
                RuntimeErrorLog.append(runc.globalArgs(), line);
                err.println(line);
                return 1;
            }
            err.println(line + " (container runs unrecorded)");
            return 0;
        }
    }

    /** {@code --mode X} or {@code --mode=X}, nothing else; null when missing or unknown. */
    private static PatchMode modeOf(List<String> options) {
        if (options.size() == 2 && options.get(0).equals("--mode")) {
            return PatchMode.of(options.get(1));
        }
        if (options.size() == 1 && options.get(0).startsWith("--mode=")) {
            return PatchMode.of(options.get(0).substring("--mode=".length()));
        }
        return null;
    }

    static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\p{Cntrl}+", " ").trim();
    }
}
