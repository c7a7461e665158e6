package io.contxray.detect;

import java.util.List;

/**
 * A process of a watched container as its exec and fork events showed it. Holds its parent
 * itself (not its pid), so the ancestry of a process survives its parent's exit.
 *
 * @param session {@link Session#INIT} when it descends from the container's pid 1, else
 *                {@link Session#EXEC}: decided when the process appears and kept
 */
record Proc(int pid, Proc parent, String filename, List<String> argv, String session) {
    static final int MAX_ANCESTRY = 32;

    /** The same process after an exec of another program. */
    Proc exec(String newFilename, List<String> newArgv) {
        return new Proc(pid, parent, newFilename, newArgv, session);
    }

    /** This process, then its parents up to the first one seen (pid 1 or the exec session's first process). */
    List<Ancestor> ancestry() {
        java.util.ArrayList<Ancestor> out = new java.util.ArrayList<>();
        for (Proc p = this; p != null && out.size() < MAX_ANCESTRY; p = p.parent()) {
            out.add(new Ancestor(p.pid(), p.filename(), p.argv()));
        }
        return out;
    }

    /** One process of an alert's ancestry. */
    public record Ancestor(int pid, String filename, List<String> argv) {
    }
}
