package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.BundleMounts.Mount;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathClassifierTest {
    /** What Docker puts in a container's config.json, plus a user's -v and --tmpfs. */
    static final List<Mount> DOCKER = List.of(
            new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
            new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755")),
            new Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec")),
            new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "ro")),
            new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro")),
            new Mount("/dev/mqueue", "mqueue", "mqueue", List.of()),
            new Mount("/dev/shm", "bind", "/var/lib/docker/containers/c0ffee/mounts/shm", List.of("rbind")),
            new Mount("/etc/resolv.conf", "bind", "/var/lib/docker/containers/c0ffee/resolv.conf", List.of("rbind")),
            new Mount("/etc/hosts", "bind", "/var/lib/docker/containers/c0ffee/hosts", List.of("rbind")),
            new Mount("/data", "bind", "/srv/app-data", List.of("rbind", "rprivate")),
            new Mount("/data/cache", null, "/mnt/fast/cache/", List.of("bind")),
            new Mount("/scratch", "tmpfs", "tmpfs", List.of()));

    private final PathClassifier c = new PathClassifier(DOCKER);

    private static PathClassifier.Place place(String path, String cls) {
        return new PathClassifier.Place(path, cls, null, false, false);
    }

    @Test
    void longestWholeComponentPrefixWins() {
        assertEquals(new PathClassifier.Place("/data/x/y", "host-bind", "/srv/app-data/x/y", false, false), c.classify("/data/x/y"));
        assertEquals(new PathClassifier.Place("/data", "host-bind", "/srv/app-data", false, false), c.classify("/data"));
        assertEquals(new PathClassifier.Place("/data/cache/a", "host-bind", "/mnt/fast/cache/a", false, false),
                c.classify("/data/cache/a"), "the deeper mount, bind by its options");
        assertEquals(place("/database/db", "container"), c.classify("/database/db"), "not under /data");
        assertEquals(place("/etc/passwd", "container"), c.classify("/etc/passwd"));
    }

    @Test
    void readOnlyBindMountsAreFlagged() {
        PathClassifier ro = new PathClassifier(List.of(
                new Mount("/conf", "bind", "/srv/conf", List.of("rbind", "ro", "rprivate")),
                new Mount("/conf/live", "bind", "/srv/live", List.of("rbind", "rw")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "ro"))));
        assertEquals(new PathClassifier.Place("/conf/app.ini", "host-bind", "/srv/conf/app.ini", false, true),
                ro.classify("/conf/app.ini"));
        assertFalse(ro.classify("/conf/live/state").readOnly(), "a writable mount below a read-only one");
        assertFalse(ro.classify("/sys/kernel/mm").readOnly(), "only host bind mounts carry the flag");
    }

    @Test
    void kernelFileSystemsAndTmpfs() {
        assertEquals(place("/proc/self/status", "proc"), c.classify("/proc/self/status"));
        assertEquals(place("/sys/fs/cgroup/memory.max", "sysfs"), c.classify("/sys/fs/cgroup/memory.max"));
        assertEquals(place("/sys/kernel/mm", "sysfs"), c.classify("/sys/kernel/mm"));
        assertEquals(place("/dev/null", "devices"), c.classify("/dev/null"));
        assertEquals(place("/dev/pts/0", "devices"), c.classify("/dev/pts/0"));
        assertEquals(place("/dev/mqueue/q", "devices"), c.classify("/dev/mqueue/q"));
        assertEquals(place("/scratch/tmp.1", "tmpfs"), c.classify("/scratch/tmp.1"));
    }

    @Test
    void runtimeManagedFilesAreHostBindsFlagged() {
        PathClassifier.Place hosts = c.classify("/etc/hosts");
        assertEquals("host-bind", hosts.pathClass());
        assertEquals("/var/lib/docker/containers/c0ffee/hosts", hosts.hostSource());
        assertTrue(hosts.runtimeManaged());
        assertTrue(c.classify("/dev/shm/sem.x").runtimeManaged());
        assertFalse(c.classify("/data/x").runtimeManaged());
        List<Mount> containerd = List.of(new Mount("/etc/hostname", "bind",
                "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/abc/hostname", List.of("rbind")));
        assertTrue(new PathClassifier(containerd).classify("/etc/hostname").runtimeManaged());
        List<Mount> lookalike = List.of(new Mount("/etc/hostname", "bind", "/run/containerdx/hostname", List.of("rbind")));
        assertFalse(new PathClassifier(lookalike).classify("/etc/hostname").runtimeManaged());
    }

    @Test
    void aSourceInADirectoryNamedAfterTheContainerIsTheEnginesWhereverItsDataRootIs() {
        List<Mount> moved = List.of(new Mount("/etc/hostname", "bind", "/srv/docker-root/containers/c0ffee/hostname",
                List.of("rbind")), new Mount("/data", "bind", "/srv/c0ffeebean/data", List.of("rbind")));
        PathClassifier withId = new PathClassifier(moved, "c0ffee");
        assertTrue(withId.classify("/etc/hostname").runtimeManaged());
        assertFalse(withId.classify("/data/x").runtimeManaged(), "a name that only starts with the id");
        assertFalse(new PathClassifier(moved).classify("/etc/hostname").runtimeManaged(), "no id, no guess");
    }

    @Test
    void withoutMountsTheWellKnownPlacesStillCount() {
        PathClassifier none = new PathClassifier(List.of());
        assertEquals("proc", none.classify("/proc/1/maps").pathClass());
        assertEquals("sysfs", none.classify("/sys/class/net").pathClass());
        assertEquals("devices", none.classify("/dev/urandom").pathClass());
        assertEquals("tmpfs", none.classify("/dev/shm/x").pathClass());
        assertEquals("container", none.classify("/devices").pathClass());
        assertEquals("container", none.classify("/").pathClass());
    }

    @Test
    void unresolvedAndRelativePaths() {
        assertEquals(place("?/conf/app.ini", "unresolved"), c.classify("?/conf/app.ini"));
        assertEquals(place("conf/app.ini", "unresolved"), c.classify("conf/app.ini"));
    }

    @Test
    void normalisesDotsBeforeClassifying() {
        assertEquals(new PathClassifier.Place("/data/b", "host-bind", "/srv/app-data/b", false, false), c.classify("/etc/../data/./a/../b"));
        assertEquals(place("/etc/passwd", "container"), c.classify("/data/../etc//passwd"), "leaving the mount by ..");
        assertEquals("/", io.contxray.model.ContainerPaths.normalize("/../.."));
        assertEquals("/a", io.contxray.model.ContainerPaths.normalize("/../a/"));
        assertEquals("/a/b", io.contxray.model.ContainerPaths.normalize("//a/./b/."));
        assertEquals("/a/..b", io.contxray.model.ContainerPaths.normalize("/a/..b"));
    }
}
