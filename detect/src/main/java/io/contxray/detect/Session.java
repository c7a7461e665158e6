package io.contxray.detect;

/** Where a process of a watched container comes from. */
final class Session {
    /** The container's pid 1 or one of its descendants. */
    static final String INIT = "init";
    /** Started from outside the container (docker exec, runc exec, nsenter) or a descendant of such a process. */
    static final String EXEC = "exec";

    private Session() {
    }
}
