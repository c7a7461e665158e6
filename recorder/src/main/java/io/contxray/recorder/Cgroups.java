package io.contxray.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a process's cgroup v2 directory and id. The id the kernel programs see
 * (bpf_get_current_cgroup_id) is the inode number of that directory under the cgroup2 mount.
 */
public final class Cgroups {
    private final Path cgroup2Mount;
    private final Path proc;

    public Cgroups(Path cgroup2Mount, Path proc) {
        this.cgroup2Mount = cgroup2Mount;
        this.proc = proc;
    }

    /** Uses this host's cgroup2 mount, found in /proc/self/mountinfo (hybrid hosts have it at /sys/fs/cgroup/unified). */
    public static Cgroups host() throws IOException {
        List<Path> mounts = MountInfo.read("cgroup2");
        if (mounts.isEmpty()) {
            throw new IOException("no cgroup2 filesystem in /proc/self/mountinfo; contxray needs cgroup v2 (unified or hybrid)");
        }
        return new Cgroups(mounts.get(0), Path.of("/proc"));
    }

    public Path mount() {
        return cgroup2Mount;
    }

    /** The cgroup v2 path ("/docker/abc...") from the lines of /proc/PID/cgroup: the "0::" entry. */
    static Optional<String> v2PathFrom(List<String> procCgroup) {
        for (String line : procCgroup) {
            if (line.startsWith("0::")) {
                return Optional.of(line.substring(3));
            }
        }
        return Optional.empty();
    }

    /** The cgroup v2 path of a live process. */
    public String pathOf(int pid) throws IOException {
        if (pid <= 0) {
            throw new IOException("invalid pid " + pid);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("cgroup"));
        } catch (NoSuchFileException e) {
            throw new IOException("process " + pid + " is gone");
        }
        return v2PathFrom(lines)
                .orElseThrow(() -> new IOException("process " + pid + " has no cgroup v2 entry in /proc/" + pid + "/cgroup"));
    }

    /** The directory of a cgroup v2 path, refusing paths that leave the cgroup2 mount. */
    public Path dir(String cgroupPath) throws IOException {
        Path dir = cgroup2Mount.resolve(cgroupPath.replaceFirst("^/+", "")).normalize();
        if (!dir.startsWith(cgroup2Mount)) {
            throw new IOException("cgroup path " + cgroupPath + " leaves " + cgroup2Mount);
        }
        return dir;
    }

    /** The cgroup id (directory inode) of a cgroup v2 path. */
    public long idOf(String cgroupPath) throws IOException {
        Path dir = dir(cgroupPath);
        try {
            return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            throw new IOException("cgroup " + dir + " does not exist");
        }
    }

    /** True while the cgroup directory exists and still has the given id (not removed and recreated). */
    public boolean alive(String cgroupPath, long cgroupId) {
        try {
            return idOf(cgroupPath) == cgroupId;
        } catch (IOException e) {
            return false;
        }
    }
}
