package io.contxray.hook;

import io.contxray.model.protocol.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the daemon listens and how long each stage may take in all (reading stdin included).
 * The budgets stay below the hook timeouts the shim writes into config.json (15 s, 30 s): a hook
 * the runtime kills fails the container even when recording is optional.
 *
 * @param socket          the daemon's unix socket
 * @param registerBudget  whole createRuntime/prestart run ($CONTXRAY_HOOK_TIMEOUT_MS, default 10 s)
 * @param stopBudget      whole poststop run, the daemon writes the report before answering
 *                        ($CONTXRAY_HOOK_STOP_TIMEOUT_MS, default 25 s)
 * @param stdinTimeout    at most this long for the runtime to close stdin (5 s)
 * @param priorFailure    why the native client (contxray-hook), which ran first, could not reach
 *                        the daemon ($CONTXRAY_HOOK_PRIOR_FAILURE), or null
 */
public record HookSettings(Path socket, Duration registerBudget, Duration stopBudget, Duration stdinTimeout,
                           String priorFailure) {
    public static final String REGISTER_TIMEOUT_ENV = "CONTXRAY_HOOK_TIMEOUT_MS";
    public static final String PRIOR_FAILURE_ENV = "CONTXRAY_HOOK_PRIOR_FAILURE";
    public static final String STOP_TIMEOUT_ENV = "CONTXRAY_HOOK_STOP_TIMEOUT_MS";
    public static final Duration DEFAULT_REGISTER_BUDGET = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STOP_BUDGET = Duration.ofSeconds(25);
    public static final Duration DEFAULT_STDIN_TIMEOUT = Duration.ofSeconds(5);

    /** Settings from {@code env}; a malformed value is reported to {@code warn} and the default used. */
    public static HookSettings fromEnvironment(Map<String, String> env, Consumer<String> warn) {
        return new HookSettings(Protocol.socketPath(),
                millis(env, REGISTER_TIMEOUT_ENV, DEFAULT_REGISTER_BUDGET, warn),
                millis(env, STOP_TIMEOUT_ENV, DEFAULT_STOP_BUDGET, warn),
                DEFAULT_STDIN_TIMEOUT, priorFailure(env));
    }

    private static String priorFailure(Map<String, String> env) {
        String v = env.get(PRIOR_FAILURE_ENV);
        return v == null || v.isBlank() ? null : OneLine.of(v);
    }

    static Duration millis(Map<String, String> env, String name, Duration fallback, Consumer<String> warn) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(raw.trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        warn.accept("ignoring " + name + "=" + OneLine.of(raw) + ": not a positive number of milliseconds, using "
                + fallback.toMillis());
        return fallback;
    }
}
