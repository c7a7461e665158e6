package io.contxray.analyzer;

import io.contxray.model.BundleMounts;
import io.contxray.model.ContainerPaths;
import java.util.List;

/**
 * Tells where a path inside a container lives, from the container's mounts: the mount with the
 * longest destination that is a whole-component prefix of the path (/data covers /data/x, not
 * /database; of two mounts on the same destination the later one, which shadows the first).
 *
 * <p>Classes: {@code host-bind} (a bind mount: the host path is reported), {@code proc},
 * {@code sysfs} (sysfs and cgroup file systems), {@code devices} (/dev's tmpfs, devpts, mqueue),
 * {@code tmpfs} (any other tmpfs, /dev/shm included: it is memory-backed scratch space, not device
 * nodes), {@code container} (no mount: the container's own root file system) and
 * {@code unresolved} (the kernel could not resolve the directory of a relative path). Without a
 * mount, /proc, /sys and /dev still get their class: the mounts may be unknown (no mounts.json).
 */
public final class PathClassifier {
    public static final String CONTAINER = "container";
    public static final String HOST_BIND = "host-bind";
    public static final String PROC = "proc";
    public static final String SYSFS = "sysfs";
    public static final String DEVICES = "devices";
    public static final String TMPFS = "tmpfs";
    public static final String UNRESOLVED = "unresolved";
    /** Every class, in the order a report lists them. */
    public static final List<String> CLASSES = List.of(CONTAINER, HOST_BIND, PROC, SYSFS, DEVICES, TMPFS, UNRESOLVED);


    /**
     * Host directories where engines keep the files they bind into containers themselves
     * (hostname, hosts, resolv.conf, /dev/shm): not the user's volumes.
     */
    static final List<String> RUNTIME_MANAGED_SOURCES = List.of("/var/lib/docker/containers", "/var/lib/containerd",
            "/run/containerd", "/var/lib/containers/storage/overlay-containers",
            "/run/containers/storage/overlay-containers");

    /**
     * Where a path lives.
     *
     * @param path           the path, lexically normalised
     * @param pathClass      one of {@link #CLASSES}
     * @param hostSource     for host-bind: the same file's path on the host; else null
     * @param runtimeManaged for host-bind: the engine manages the source (not a user's volume)
     * @param readOnly       for host-bind: mounted read-only ("ro" in its options), so the
     *                       container cannot change the host's files through it
     */
    public record Place(String path, String pathClass, String hostSource, boolean runtimeManaged, boolean readOnly) {
    }

    /** A mount with its destination normalised once (paths are classified per event). */
    private record Target(String destination, BundleMounts.Mount mount) {
    }

    private final List<Target> targets;
    private final String containerId;

    public PathClassifier(List<BundleMounts.Mount> mounts) {
        this(mounts, null);
    }

    /**
     * @param containerId the container's id, or null: a bind source in a directory named after it
     *                    (Docker's {@code <data-root>/containers/<id>/hostname}, wherever the data
     *                    root is) is the engine's too
     */
    public PathClassifier(List<BundleMounts.Mount> mounts, String containerId) {
        this.targets = mounts.stream().filter(m -> m.destination() != null && m.destination().startsWith("/"))
                .map(m -> new Target(ContainerPaths.normalize(m.destination()), m)).toList();
        this.containerId = containerId == null || containerId.isEmpty() ? null : containerId;
    }

    public Place classify(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return new Place(rawPath, UNRESOLVED, null, false, false);
        }
        String path = ContainerPaths.normalize(rawPath);
        Target best = null;
        for (Target t : targets) {
            if ((best == null || t.destination().length() >= best.destination().length()) && under(path, t.destination())) {
                best = t;
            }
        }
        if (best == null) {
            return new Place(path, byLocation(path), null, false, false);
        }
        BundleMounts.Mount m = best.mount();
        if (isBind(m)) {
            String source = m.source() == null ? null : ContainerPaths.normalize(m.source());
            String host = source == null ? null
                    : ContainerPaths.normalize(source + "/" + path.substring(best.destination().length()));
            boolean managed = source != null && (RUNTIME_MANAGED_SOURCES.stream().anyMatch(r -> under(source, r))
                    || containerId != null && source.contains("/" + containerId + "/"));
            return new Place(path, HOST_BIND, host, managed, m.options().contains("ro"));
        }
        return new Place(path, byType(best, path), null, false, false);
    }

    private static boolean isBind(BundleMounts.Mount m) {
        return "bind".equals(m.type()) || m.options().contains("bind") || m.options().contains("rbind");
    }

    private static String byType(Target t, String path) {
        String type = t.mount().type() == null ? "" : t.mount().type();
        return switch (type) {
            case "proc" -> PROC;
            case "sysfs", "cgroup", "cgroup2" -> SYSFS;
            case "devpts", "mqueue" -> DEVICES;
            // the tmpfs the runtime mounts on /dev holds device nodes
            case "tmpfs" -> "/dev".equals(t.destination()) ? DEVICES : TMPFS;
            default -> byLocation(path);
        };
    }

    /** The class of the well-known places whatever is mounted there; else the container's own. */
    private static String byLocation(String path) {
        if (under(path, "/proc")) {
            return PROC;
        }
        if (under(path, "/sys")) {
            return SYSFS;
        }
        if (under(path, "/dev/shm")) {
            return TMPFS;
        }
        return under(path, "/dev") ? DEVICES : CONTAINER;
    }

    /** Whether {@code path} is {@code dir} or below it, component-wise (both normalised). */
    static boolean under(String path, String dir) {
        if ("/".equals(dir)) {
            return true;
        }
        return path.startsWith(dir) && (path.length() == dir.length() || path.charAt(dir.length()) == '/');
    }

}
