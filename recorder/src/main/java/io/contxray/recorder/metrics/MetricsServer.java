package io.contxray.recorder.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;

/** The daemon's /metrics endpoint: the recorder's collector and the JVM's own metrics. */
public final class MetricsServer implements AutoCloseable {
    /** Per-syscall series per container. */
    public static final int TOP_SYSCALLS = 20;
    /** A stopped container's series stay this long (documented in README). */
    public static final Duration KEEP_STOPPED = Duration.ofMinutes(5);

    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    public static MetricsServer start(MetricsAddress address, MetricsSource source) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new RecorderCollector(source, TOP_SYSCALLS, new Retention(KEEP_STOPPED.toNanos()), System::nanoTime));
        JvmMetrics.builder().register(registry);
        try {
            return new MetricsServer(HTTPServer.builder().hostname(address.host()).port(address.port()).registry(registry)
                    .buildAndStart());
        } catch (IOException e) {
            throw new IOException("serving metrics on " + address.host() + ":" + address.port() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
