package io.contxray.bpf;

import java.util.List;

/**
 * A decoded record of the kernel's `events` ring buffer (bpf/contxray.h). Values are as the
 * kernel saw them: host pids, boot-clock nanoseconds ({@code bpf_ktime_get_boot_ns}).
 */
public sealed interface ProcessEvent permits ProcessEvent.Exec, ProcessEvent.Fork, ProcessEvent.Exit, ProcessEvent.Net,
        ProcessEvent.File, ProcessEvent.Capability, ProcessEvent.Sock {
    int slot();

    long tsNs();

    /** Thread group id: the process. */
    int pid();

    int tid();

    String comm();

    /**
     * A successful execve.
     *
     * @param argc             the program's full argument count (may exceed argv's size when truncated)
     * @param argv             the arguments read from the new program's memory, at most CX_ARGS_LEN bytes
     * @param argvTruncated    the argument area was longer than the buffer: the last argument may be cut
     * @param filenameTruncated the filename filled its buffer and may have been cut
     */
    record Exec(int slot, long tsNs, int pid, int tid, int ppid, int uid, int gid, String comm, String filename,
                int argc, List<String> argv, boolean argvTruncated, boolean filenameTruncated) implements ProcessEvent {
        public Exec {
            argv = List.copyOf(argv);
        }
    }

    /** A new process (not a thread): pid is the parent, childPid the new process. */
    record Fork(int slot, long tsNs, int pid, int tid, int childPid, String comm) implements ProcessEvent {
    }

    /**
     * A thread group leader ended.
     *
     * @param status the wait(2) status: exit code in bits 8..15, terminating signal in bits 0..6
     */
    record Exit(int slot, long tsNs, int pid, int tid, int status, String comm) implements ProcessEvent {
        /** The exit code passed to exit(), when not killed by a signal. */
        public int exitCode() {
            return (status >> 8) & 0xff;
        }

        /** The signal that ended the process, or 0. */
        public int signal() {
            return status & 0x7f;
        }
    }

    /**
     * A TCP socket of the container changed state: connect, listen, or an accepted connection.
     * pid/tid/comm are the current task's, meaningful for connect and listen only.
     *
     * @param kind   CX_NET_CONNECT, CX_NET_LISTEN or CX_NET_ACCEPT
     * @param family 2 (AF_INET) or 10 (AF_INET6)
     * @param local  the local address (4 or 16 bytes, network order)
     * @param remote the remote address (zeros for listen)
     */
    record Net(int slot, long tsNs, int pid, int tid, int kind, int family, byte[] local, int localPort, byte[] remote,
               int remotePort, String comm) implements ProcessEvent {
        public Net {
            local = local.clone();
            remote = remote.clone();
        }
    }

    /**
     * A file syscall returned (open, unlink, rename, ...).
     *
     * @param op      CX_FILE_* (an unlinkat with AT_REMOVEDIR is CX_FILE_RMDIR)
     * @param result  the return value: fd or 0, or -errno
     * @param flags   open flags, or the mode of chmod/mkdir
     * @param info    CX_FILE_* bits (truncation, which of dir/newPath are present)
     * @param path    the path argument as passed (may be relative)
     * @param dirNames the directory of a relative path: names leaf first (empty: the root), when
     *                info has CX_FILE_DIR
     * @param newPath rename's target as passed, or null
     * @param key     the access's repeat_counts key (its repeats are counted there), or 0 when not counted
     */
    record File(int slot, long tsNs, int pid, int tid, int op, long result, int flags, int info, String comm,
                String path, List<String> dirNames, String newPath, long key) implements ProcessEvent {
        public File {
            dirNames = List.copyOf(dirNames);
        }
    }

    /**
     * A socket destination: connect() of a unix or non-TCP socket, or a send with an address.
     *
     * @param kind     CX_SOCK_CONNECT or CX_SOCK_SEND
     * @param result   the return value: 0 or bytes sent, or -errno
     * @param family   1 (AF_UNIX), 2 (AF_INET), 10 (AF_INET6)
     * @param type     the socket's type (2 SOCK_DGRAM, 3 SOCK_RAW, 1 SOCK_STREAM for unix, ...)
     * @param protocol the socket's protocol (17 UDP, 1 ICMP, 58 ICMPv6, ...)
     * @param addr     IP families: 4 or 16 bytes, network order; else empty
     * @param unixPath AF_UNIX: the path, "@name" for an abstract name; else null
     * @param key      the access's repeat_counts key, or 0
     */
    record Sock(int slot, long tsNs, int pid, int tid, int kind, long result, int family, int type, int protocol,
                byte[] addr, int port, String unixPath, String comm, long key) implements ProcessEvent {
        public Sock {
            addr = addr.clone();
        }
    }

    /**
     * The first check of a capability with this outcome in a container (later ones are only counted).
     *
     * @param cap     the capability number (CAP_* in linux/capability.h)
     * @param granted whether the check succeeded
     * @param runtime made by the runtime's own init process, not the workload
     */
    record Capability(int slot, long tsNs, int pid, int tid, int cap, boolean granted, boolean runtime, String comm)
            implements ProcessEvent {
    }
}
