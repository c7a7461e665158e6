package io.contxray.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields a rule's {@code when} may test, with what each holds (the README's grammar table
 * is this list). Every value is text; booleans are "true"/"false"; list fields (argv, access)
 * hold when any element passes.
 */
final class Fields {
    static final String TYPE = "type";

    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        put(TYPE, "event type: exec, fork, exit, net, file, capability");
        put("pid", "the process (host pid)");
        put("uid", "exec: the new program's uid");
        put("comm", "the process's command name (exec: the new program's)");
        put("filename", "exec: the program's path as executed");
        put("basename", "exec: the last component of filename; file: of path");
        put("argv", "exec: each argument, argv[0] included");
        put("kind", "net: connect, listen, accept, udp-connect, udp-send, icmp-send, raw-send, unix-connect, unix-send");
        put("family", "net: ipv4, ipv6, unix");
        put("localAddr", "net: local address");
        put("localPort", "net: local port");
        put("remoteAddr", "net: remote address");
        put("remotePort", "net: remote port");
        put("op", "file: open, unlink, rmdir, rename, mkdir, chmod, chown, truncate, link, symlink");
        put("path", "file: absolute path; net: a unix socket's path");
        put("newPath", "file: rename's or link's target");
        put("access", "file: each of read, write, create, truncate, path (opens)");
        put("errno", "file, net: the error name when the call failed (absent on success)");
        put("capability", "capability: the name without CAP_ (SYS_ADMIN, NET_RAW, ...)");
        put("granted", "capability: true or false");
        put("phase", "capability: runtime (the runtime's own init) or workload");
        put("write", "file: true when the call changes the path (an open for write, create or truncate; unlink, rename, mkdir, chmod, chown, ...)");
        put("pathClass", "file: container, host-bind, proc, sysfs, devices, tmpfs, unresolved (from the bundle's mounts)");
        put("hostSource", "file: for host-bind, the path on the host");
        put("hostReadOnly", "file: for host-bind, true when mounted read-only");
        put("runtimeManaged", "file: for host-bind, true for the engine's own files (hosts, resolv.conf, hostname)");
        put("runtime", "true for the runtime's own processes (comm runc:[...])");
        put("session", "init (the process descends from the container's pid 1) or exec (from outside: docker exec, runc exec)");
        put("pid1", "true when the process is the container's pid 1");
        put("parent", "the basename of the parent process's program");
        put("written", "exec: true when the program's file was written, created, renamed or chmod-ed in this container since it started");
        put("newPort", "net listen: true when this container has not listened on localPort before");
        put("container.id", "the container's id");
        put("container.name", "the container's name, when the engine told it");
        put("container.image", "the container's image, when the engine told it");
    }

    private Fields() {
    }

    private static void put(String name, String doc) {
        ALL.put(name, doc);
    }

    static boolean known(String name) {
        return ALL.containsKey(name);
    }
}
