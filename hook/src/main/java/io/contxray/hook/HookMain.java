package io.contxray.hook;

import io.contxray.model.ContainerId;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Protocol;
import io.contxray.model.protocol.Request;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code contxray hook createRuntime|prestart|poststop}: the OCI hook. createRuntime (or prestart)
 * registers the container with the recorder daemon while the container waits; poststop asks the
 * daemon to finish the recording. Writes nothing to stdout (runtimes buffer hook output), one
 * line to stderr on failure.
 */
public final class HookMain {
    static final String USAGE = "contxray hook: usage: contxray hook createRuntime|prestart|poststop (OCI state JSON on stdin)";

    private HookMain() {
    }

    /** Runs the hook with settings from the environment; returns the exit code. Closes {@code stderr}. */
    public static int run(String[] args, InputStream stdin, PrintStream stderr) {
        return run(args, stdin, stderr, null);
    }

    /** As {@link #run(String[], InputStream, PrintStream)}; {@code settings} null means from the environment. */
    public static int run(String[] args, InputStream stdin, PrintStream stderr, HookSettings settings) {
        try {
            if (args.length != 1 || HookStage.of(args[0]) == null) {
                stderr.println(USAGE);
                return 2;
            }
            HookStage stage = HookStage.of(args[0]);
            String prefix = "contxray hook " + stage.argument() + ": ";
            HookSettings s = settings != null ? settings
                    : HookSettings.fromEnvironment(System.getenv(), w -> stderr.println(prefix + w));
            Budget budget = new Budget(stage.registers() ? s.registerBudget() : s.stopBudget());
            OciState state;
            try {
                state = readState(stdin, stage, budget.upTo(s.stdinTimeout()));
            } catch (HookException e) {
                stderr.println(prefix + "reading OCI state from stdin: " + OneLine.of(e.getMessage()));
                return 1;
            }
            return stage.registers()
                    ? register(state, s, budget, prefix, stderr)
                    : stop(state, s, budget, prefix, stderr);
        } catch (RuntimeException e) {
            // Only reachable through a bug; still one line, never a stack trace in the runtime's log.
            stderr.println("contxray hook: internal error: " + OneLine.of(String.valueOf(e)));
            return 1;
        } finally {
            stderr.flush();
            stderr.close();
        }
    }

    static OciState readState(InputStream stdin, HookStage stage, java.time.Duration timeout) throws HookException {
        return validState(BoundedInput.readAll(stdin, Protocol.MAX_LINE_BYTES, timeout), stage);
    }

    /** The OCI state in {@code json}, with what {@code stage} needs from it checked. */
    static OciState validState(byte[] json, HookStage stage) throws HookException {
        OciState state = OciStateParser.parse(json);
        try {
            ContainerId.validate(state.id());
        } catch (IllegalArgumentException e) {
            throw new HookException(e.getMessage());
        }
        if (stage.registers()) {
            if (state.pid() == null) {
                throw new HookException("state has no pid");
            }
            if (state.pid() <= 0) {
                throw new HookException("pid " + state.pid() + " is not a process id");
            }
        }
        return state;
    }

    private static int register(OciState state, HookSettings s, Budget budget, String prefix, PrintStream stderr) {
        String reason;
        try {
            DaemonCalls.expectOk(s, budget.remaining(),
                    Request.register(state.id(), state.pid(), state.bundle(), state.annotations()));
            return 0;
        } catch (DaemonException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
        }
        String what = "not recording container " + state.id() + ": " + OneLine.of(reason);
        if (RecordPolicy.required(state.annotations())) {
            stderr.println(prefix + what + " (" + RecordPolicy.ANNOTATION + "=required: refusing to start it)");
            return 1;
        }
        stderr.println("contxray: " + what + " (fail-open; set " + RecordPolicy.ANNOTATION + "=required to refuse)");
        return 0;
    }

    private static int stop(OciState state, HookSettings s, Budget budget, String prefix, PrintStream stderr) {
        try {
            DaemonCalls.expectOk(s, budget.remaining(), Request.stop(state.id()));
            return 0;
        } catch (DaemonException e) {
            stderr.println(prefix + "stopping the recording of container " + state.id() + ": " + OneLine.of(e.getMessage()));
            return 1;
        }
    }
}
