package io.contxray.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One line of {@code <containerDir>/events.jsonl}: an event of a recorded container, written by
 * the recorder as it happens and read back by the analyzer. Fields that do not apply to a type
 * are left out of the line.
 *
 * <ul>
 * <li>{@code exec}: pid, tid, ppid, uid, gid, comm (the new program's), filename, argv, argc
 *     (the full count; argv may hold fewer when argvTruncated), filenameTruncated</li>
 * <li>{@code fork}: pid = the new process, ppid = the parent, tid = the parent's forking thread,
 *     comm = the parent's</li>
 * <li>{@code exit}: pid (a whole process ended), exitCode, signal (0 unless killed), comm</li>
 * <li>{@code net}: kind (connect, listen, accept), family (ipv4, ipv6), localAddr, localPort,
 *     remoteAddr, remotePort; pid, tid and comm are the current task's, meaningful for connect and
 *     listen only (an accepted connection is completed in softirq context). Socket destinations
 *     other than TCP have kind PROTOCOL-OP: udp-connect, udp-send, icmp-send, raw-send,
 *     unix-connect, unix-send (family unix and path for unix sockets, "@name" when abstract),
 *     with result or errno, and key when the kernel counts their repeats</li>
 * <li>{@code peer}: remoteAddr (remotePort and kind tcp/udp: a host port the engine published)
 *     was held by the container peerId, called name, running image, from time until {@code until}
 *     (absent: still held when the line was written), learnt from {@code source} (engine-event,
 *     listing, registration); without peerId, the container's connections with that address from
 *     time to until could not be named, for {@code reason}. Older lines have no until and source:
 *     the address's holder when first seen</li>
 * <li>{@code container}: the recorded container's own name and image, from the engine</li>
 * <li>{@code file}: op (open, unlink, rmdir, rename, mkdir, chmod, chown, truncate), path (absolute:
 *     a relative path is joined to the directory the kernel resolved for the dirfd or cwd; it starts
 *     with "?/" when that directory could not be resolved), newPath (rename's target), access for
 *     opens (read, write, create, truncate, path), flags (raw open flags, or the mode of chmod/mkdir),
 *     result (the syscall's return value: fd or 0) or errno (its name, e.g. ENOENT, when it failed),
 *     pathTruncated; pid, tid and comm of the caller; key when the kernel counts this access's
 *     repeats (the same op, flags, outcome and paths) instead of sending each</li>
 * <li>{@code file-count}, {@code net-count}: written when the recording ends: the access with
 *     this key happened count times in all (its first time is the file or net event with the key)</li>
 * <li>{@code capability}: the first check of a capability (name as in capabilities(7) without
 *     "CAP_") with this outcome (granted) in this phase (runtime: the runtime's own init before the
 *     workload; workload) for this container, and the method that saw it</li>
 * </ul>
 *
 * @param time      ISO-8601 UTC wall time, nanosecond precision
 * @param ts        kernel boot-clock nanoseconds (for exact durations)
 * @param container the container id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "time", "ts", "container", "pid", "tid", "ppid", "uid", "gid", "comm", "filename",
        "argv", "argc", "argvTruncated", "filenameTruncated", "exitCode", "signal", "kind", "family", "localAddr",
        "localPort", "remoteAddr", "remotePort", "peerId", "name", "image", "op", "path", "newPath", "access", "flags",
        "result", "errno", "pathTruncated", "capability", "granted", "phase", "method", "key", "count", "until", "source", "reason"})
public record ContainerEvent(
        String type,
        String time,
        long ts,
        String container,
        int pid,
        Integer tid,
        Integer ppid,
        Long uid,
        Long gid,
        String comm,
        String filename,
        List<String> argv,
        Integer argc,
        Boolean argvTruncated,
        Boolean filenameTruncated,
        Integer exitCode,
        Integer signal,
        String kind,
        String family,
        String localAddr,
        Integer localPort,
        String remoteAddr,
        Integer remotePort,
        String peerId,
        String name,
        String image,
        String op,
        String path,
        String newPath,
        List<String> access,
        Integer flags,
        Long result,
        String errno,
        Boolean pathTruncated,
        String capability,
        Boolean granted,
        String phase,
        String method,
        String key,
        Long count,
        String until,
        String source,
        String reason) {

    public static final String EXEC = "exec";
    public static final String FORK = "fork";
    public static final String EXIT = "exit";
    public static final String NET = "net";
    public static final String PEER = "peer";
    public static final String CONTAINER = "container";
    public static final String FILE = "file";
    public static final String CAPABILITY = "capability";
    public static final String FILE_COUNT = "file-count";
    public static final String NET_COUNT = "net-count";

    public static ContainerEvent exec(String time, long ts, String container, int pid, int tid, int ppid, long uid,
                                      long gid, String comm, String filename, List<String> argv, int argc,
                                      boolean argvTruncated, boolean filenameTruncated) {
        return new ContainerEvent(EXEC, time, ts, container, pid, tid, ppid, uid, gid, comm, filename,
                List.copyOf(argv), argc, argvTruncated ? Boolean.TRUE : null, filenameTruncated ? Boolean.TRUE : null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ContainerEvent fork(String time, long ts, String container, int childPid, int parentPid,
                                      int parentTid, String comm) {
        return new ContainerEvent(FORK, time, ts, container, childPid, parentTid, parentPid, null, null, comm, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ContainerEvent exit(String time, long ts, String container, int pid, int tid, int exitCode,
                                      int signal, String comm) {
        return new ContainerEvent(EXIT, time, ts, container, pid, tid, null, null, null, comm, null, null, null, null,
                null, exitCode, signal, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ContainerEvent net(String time, long ts, String container, int pid, int tid, String comm, String kind,
                                     String family, String localAddr, int localPort, String remoteAddr, int remotePort) {
        return new ContainerEvent(NET, time, ts, container, pid, tid, null, null, null, comm, null, null, null, null,
                null, null, null, kind, family, localAddr, localPort, remoteAddr, remotePort, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A socket destination other than TCP (see the class comment). */
    public static ContainerEvent socket(String time, long ts, String container, int pid, int tid, String comm, String kind,
                                        String family, String remoteAddr, Integer remotePort, String path, long result,
                                        String errno, String key) {
        return new ContainerEvent(NET, time, ts, container, pid, tid, null, null, null, comm, null, null, null, null,
                null, null, null, kind, family, null, null, remoteAddr, remotePort, null, null, null, null, path, null,
                null, null, errno == null ? result : null, errno, null, null, null, null, null, key, null, null, null, null);
    }

    /**
     * A {@link #PEER} line: address (with port and protocol: a host port the engine published)
     * was held by peerId from time until {@code until} (absent: still held when written), as
     * {@code source} learnt it: engine-event, listing or registration.
     */
    public static ContainerEvent peer(String from, String until, String container, String address, Integer port,
                                      String protocol, String peerId, String name, String image, String source) {
        return new ContainerEvent(PEER, from, 0, container, 0, null, null, null, null, null, null, null, null, null,
                null, null, null, protocol, null, null, null, address, port, peerId, name, image, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, until, source, null);
    }

    /** A {@link #PEER} line without a peer: connections with address from time to until stayed unnamed, for reason. */
    public static ContainerEvent unnamedPeer(String from, String until, String container, String address, Integer port,
                                             String reason) {
        return new ContainerEvent(PEER, from, 0, container, 0, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, address, port, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, until, null, reason);
    }

    public static ContainerEvent container(String time, String container, String name, String image) {
        return new ContainerEvent(CONTAINER, time, 0, container, 0, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, name, image, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ContainerEvent file(String time, long ts, String container, int pid, int tid, String comm, String op,
                                      String path, String newPath, List<String> access, Integer flags, long result,
                                      String errno, boolean pathTruncated, String key) {
        return new ContainerEvent(FILE, time, ts, container, pid, tid, null, null, null, comm, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, op, path, newPath,
                access == null ? null : List.copyOf(access), flags, errno == null ? result : null, errno,
                pathTruncated ? Boolean.TRUE : null, null, null, null, null, key, null, null, null, null);
    }

    public static ContainerEvent capability(String time, long ts, String container, int pid, int tid, String comm,
                                            String capability, boolean granted, String phase, String method) {
        return new ContainerEvent(CAPABILITY, time, ts, container, pid, tid, null, null, null, comm, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, capability, granted, phase, method, null, null, null, null, null);
    }

    /** A {@link #FILE_COUNT} or {@link #NET_COUNT} line. */
    public static ContainerEvent repeatCount(String type, String time, String container, String key, long count) {
        return new ContainerEvent(type, time, 0, container, 0, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, key, count, null, null, null);
    }
}
