package io.contxray.recorder.metrics;

import java.util.Optional;

/**
 * Where the daemon serves /metrics: "HOST:PORT", ":PORT" (loopback) or "off". Loopback by
 * default, since the exposition names the containers a host runs.
 */
public record MetricsAddress(String host, int port) {
    public static final String ENV = "CONTXRAY_METRICS_ADDRESS";
    public static final String DEFAULT = "127.0.0.1:9811";

    /** Empty for "off". */
    public static Optional<MetricsAddress> parse(String text) {
        String v = text == null || text.isBlank() ? DEFAULT : text.trim();
        if (v.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("metrics address \"" + v + "\": expected HOST:PORT, :PORT or off");
        }
        String host = colon == 0 ? "127.0.0.1" : v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("metrics address \"" + v + "\": expected HOST:PORT with a port 0-65535, or off");
        }
        return Optional.of(new MetricsAddress(host, port));
    }

    /** The flag's value if given, else $CONTXRAY_METRICS_ADDRESS, else the default. */
    public static Optional<MetricsAddress> resolve(String flag, String env) {
        return parse(flag != null ? flag : env);
    }
}
