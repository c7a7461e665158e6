package io.contxray.recorder;

import io.contxray.bpf.AttachMethod;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.model.Runs;
import io.contxray.model.StateDir;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import io.contxray.recorder.metrics.MetricsAddress;
import io.contxray.recorder.metrics.MetricsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * `contxray daemon`: loads the kernel programs once, reconciles with what the pinned maps hold,
 * then serves register/stop requests from the hooks. Stopping the daemon leaves the pinned maps
 * and links in place, so recording goes on while it is down.
 */
public final class RecorderDaemon {
    public static final Path DEFAULT_PIN_DIR = Path.of("/sys/fs/bpf/contxray");

    /** How often recordings whose cgroup vanished without a poststop are looked for. */
    static final Duration REAP_EVERY = Duration.ofSeconds(10);

    public static final String DOCKER_SOCKETS_ENV = "CONTXRAY_DOCKER_SOCKETS";

    /** Programs stay attached this long after the last recording ends (see IdleDetach). */
    static final Duration DETACH_LINGER = Duration.ofSeconds(5);

    /** Holdings of addresses that ended are kept this long for naming peers, and at most HISTORY_MAX_ENDED of them. */
    static final Duration HISTORY_KEEP = Duration.ofHours(1);
    static final int HISTORY_MAX_ENDED = 20_000;
    /** How often the address history drops what it no longer keeps and is saved (when it changed). */
    static final Duration HISTORY_SAVE_EVERY = Duration.ofSeconds(2);

    /** Environment variable bounding each container's events.jsonl, in bytes (default 64 MiB). */
    public static final String EVENTS_MAX_BYTES_ENV = "CONTXRAY_EVENTS_MAX_BYTES";

    /**
     * @param maxEventLogBytes each event-log file's bound (see EventLogWriter)
     * @param without          sensors not to attach
     */
    public record Options(Path socket, Path stateDir, Path pinDir, AttachMethod method, long maxEventLogBytes,
                          Set<SyscallRecorderProgram.Sensor> without, int runsKept) {
        public Options(Path socket, Path stateDir, Path pinDir, AttachMethod method) {
            this(socket, stateDir, pinDir, method, eventLogBoundFromEnvironment(), Set.of(),
                    Runs.keptFromEnvironment(System.getenv()));
        }

        public Options withOut(Set<SyscallRecorderProgram.Sensor> sensors) {
            return new Options(socket, stateDir, pinDir, method, maxEventLogBytes, Set.copyOf(sensors), runsKept);
        }

        /** @param kept finished runs of a container whose directory is kept (see {@link Runs}) */
        public Options withRunsKept(int kept) {
            if (kept < 1) {
                throw new IllegalArgumentException("--runs-kept " + kept + ": expected a number of runs, at least 1");
            }
            return new Options(socket, stateDir, pinDir, method, maxEventLogBytes, without, kept);
        }
    }

    static long eventLogBoundFromEnvironment() {
        String v = System.getenv(EVENTS_MAX_BYTES_ENV);
        if (v == null || v.isBlank()) {
            return EventLogWriter.DEFAULT_MAX_BYTES;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(EVENTS_MAX_BYTES_ENV + "=" + v + ": expected a positive number of bytes");
    }

    public static void run(Options opts) throws IOException {
        run(opts, UnaryOperator.identity());
    }

    /**
     * @param routes wraps the recorder's request handler, for ops served by other modules on the
     *               same socket (the native clients' hook and patch requests)
     */
    public static void run(Options opts, UnaryOperator<Function<Request, Response>> routes) throws IOException {
        run(opts, routes, MetricsAddress.resolve(null, System.getenv(MetricsAddress.ENV)));
    }

    /** @param metrics where /metrics is served; empty: not at all */
    public static void run(Options opts, UnaryOperator<Function<Request, Response>> routes,
                           Optional<MetricsAddress> metrics) throws IOException {
        Log log = new Log(System.err);
        ensureBpffs(opts.pinDir());
        Cgroups cgroups = Cgroups.host();
        StateDir state = new StateDir(opts.stateDir());
        try (SyscallRecorderProgram program = SyscallRecorderProgram.open(opts.pinDir(), opts.method());
             EventPump events = new EventPump(program, log)) {
            program.disable(opts.without());
            AddressHistory history = new AddressHistory(HISTORY_KEEP.toNanos(), HISTORY_MAX_ENDED);
            HistoryFile historyFile = new HistoryFile(opts.stateDir());
            historyFile.load(history, log);
            ContainerIdentities identities = new ContainerIdentities();
            PeerResolver peers = new PeerResolver(dockerEngines(), history, identities.tap(events::appendFor), Clock.systemUTC(), log);
            events.onConnection(peers::connection);
            Recorder recorder = new Recorder(program, events, peers, opts.maxEventLogBytes(), opts.runsKept(), cgroups, state,
                    Clock.systemUTC(), log, DETACH_LINGER);
            recorder.recover();
            peers.start();
            events.start();
            ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "contxray-reaper");
                t.setDaemon(true);
                return t;
            });
            reaper.scheduleWithFixedDelay(recorder::reapVanished, REAP_EVERY.toSeconds(), REAP_EVERY.toSeconds(), TimeUnit.SECONDS);
            reaper.scheduleWithFixedDelay(() -> keepHistory(history, historyFile, log), HISTORY_SAVE_EVERY.toMillis(),
                    HISTORY_SAVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            MetricsServer metricsServer = startMetrics(metrics, new RecorderMetricsSource(recorder, events, program, identities), log);
            try (SocketServer server = new SocketServer(opts.socket(), routes.apply(recorder::handle), log)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                    if (metricsServer != null) {
                        metricsServer.close();
                    }
                    // recording goes on in the kernel; what was read so far must reach the disk
                    events.flushAll();
                    keepHistory(history, historyFile, log);
                }));
                log.info("contxray recorder listening on " + opts.socket() + " (method " + program.method().reportName()
                        + ", cgroup2 at " + cgroups.mount() + ", state in " + opts.stateDir() + ", "
                        + recorder.activeCount() + " containers resumed)");
                server.serve();
            }
        }
    }

    /** Null when off, or when the address cannot be served: recording matters more than its metrics (warned). */
    private static MetricsServer startMetrics(Optional<MetricsAddress> address, RecorderMetricsSource source, Log log) {
        if (address.isEmpty()) {
            return null;
        }
        try {
            MetricsServer server = MetricsServer.start(address.get(), source);
            log.info("metrics on http://" + address.get().host() + ":" + server.port() + "/metrics");
            return server;
        } catch (IOException e) {
            log.warn(e.getMessage() + "; recording without /metrics");
            return null;
        }
    }

    private static void keepHistory(AddressHistory history, HistoryFile file, Log log) {
        long before = history.evicted();
        history.evict(io.contxray.model.Holdings.nanos(java.time.Instant.now()));
        if (history.evicted() > before) {
            log.info("address history: " + (history.evicted() - before) + " ended holding(s) dropped (kept "
                    + HISTORY_KEEP.toMinutes() + " min, at most " + HISTORY_MAX_ENDED + "), " + history.evicted() + " so far");
        }
        try {
            file.save(history);
        } catch (IOException | RuntimeException e) {
            log.warn("saving the address history to " + file.path() + ": " + e.getMessage());
        }
    }

    /**
     * The image a container runs, asked of the Docker engines (bounded, 2 s each), or null when
     * none knows it: for the runtime wrapper's rollout policy, which the OCI config cannot serve.
     */
    public static String imageOf(String containerId) {
        if (!containerId.matches("[0-9a-f]{64}")) {
            return null; // not a Docker container id: do not put it into a request path
        }
        for (DockerEngine engine : dockerEngines()) {
            try {
                DockerEngine.Container c = engine.listed(containerId);
                if (c != null && c.image() != null) {
                    return c.image();
                }
            } catch (IOException e) {
                // not this engine's container, or the engine is down: ask the next
            }
        }
        return null;
    }

    /** Docker engines asked for container names: $CONTXRAY_DOCKER_SOCKETS (':'-separated), else the default. */
    static List<DockerEngine> dockerEngines() {
        String v = System.getenv(DOCKER_SOCKETS_ENV);
        List<DockerEngine> out = new java.util.ArrayList<>();
        for (String p : (v == null || v.isBlank() ? "/var/run/docker.sock" : v).split(":")) {
            if (!p.isBlank()) {
                out.add(new DockerEngine(Path.of(p.trim()), Duration.ofSeconds(2)));
            }
        }
        return out;
    }

    /** bpffs must be mounted where the pins live; mount it if the host has not. */
    static void ensureBpffs(Path pinDir) throws IOException {
        Path bpffs = pinDir.getParent();
        if (isBpffs(bpffs)) {
            return;
        }
        Files.createDirectories(bpffs);
        Process p = new ProcessBuilder(List.of("mount", "-t", "bpf", "bpf", bpffs.toString()))
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IOException("mounting bpffs at " + bpffs + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("mounting bpffs at " + bpffs + ": interrupted");
        }
    }

    private static boolean isBpffs(Path dir) throws IOException {
        return MountInfo.read("bpf").contains(dir);
    }
}
