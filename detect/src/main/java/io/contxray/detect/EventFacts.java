package io.contxray.detect;

import io.contxray.analyzer.FilesBuilder;
import io.contxray.analyzer.PathClassifier;
import io.contxray.model.ContainerEvent;
import java.util.List;

/**
 * The fields of one event of a watched container (see {@link Fields}), computed when a rule asks
 * for them: most events meet few tests, and the path's class costs a walk over the mounts.
 */
final class EventFacts implements Facts {
    private static final List<String> TRUE = List.of("true");
    private static final List<String> FALSE = List.of("false");

    private final ContainerEvent e;
    private final WatchedContainer c;
    private final Proc proc;
    private final boolean newPort;
    private PathClassifier.Place place;

    EventFacts(ContainerEvent e, WatchedContainer c, Proc proc, boolean newPort) {
        this.e = e;
        this.c = c;
        this.proc = proc;
        this.newPort = newPort;
    }

    @Override
    public List<String> values(String field) {
        return switch (field) {
            case "type" -> one(e.type());
            case "pid" -> List.of(Integer.toString(e.pid()));
            case "uid" -> e.uid() == null ? List.of() : one(Long.toString(e.uid()));
            case "comm" -> one(e.comm());
            case "filename" -> one(e.filename());
            case "basename" -> one(basename(ContainerEvent.EXEC.equals(e.type()) ? e.filename() : e.path()));
            case "argv" -> e.argv() == null ? List.of() : e.argv();
            case "kind" -> one(e.kind());
            case "family" -> one(e.family());
            case "localAddr" -> one(e.localAddr());
            case "localPort" -> e.localPort() == null ? List.of() : one(Integer.toString(e.localPort()));
            case "remoteAddr" -> one(e.remoteAddr());
            case "remotePort" -> e.remotePort() == null ? List.of() : one(Integer.toString(e.remotePort()));
            case "op" -> one(e.op());
            case "path" -> one(e.path());
            case "newPath" -> one(e.newPath());
            case "access" -> e.access() == null ? List.of() : e.access();
            case "errno" -> one(e.errno());
            case "capability" -> one(e.capability());
            case "granted" -> e.granted() == null ? List.of() : bool(e.granted());
            case "phase" -> one(e.phase());
            case "write" -> ContainerEvent.FILE.equals(e.type()) ? bool(isWrite(e)) : List.of();
            case "pathClass" -> place() == null ? List.of() : one(place().pathClass());
            case "hostSource" -> place() == null ? List.of() : one(place().hostSource());
            case "hostReadOnly" -> hostBind() ? bool(place().readOnly()) : List.of();
            case "runtimeManaged" -> hostBind() ? bool(place().runtimeManaged()) : List.of();
            case "runtime" -> bool(FilesBuilder.isRuntimeSetup(e.comm()));
            case "session" -> proc == null ? List.of() : one(proc.session());
            case "pid1" -> bool(e.pid() == c.initPid);
            case "parent" -> proc == null || proc.parent() == null ? List.of() : one(basename(proc.parent().filename()));
            case "written" -> ContainerEvent.EXEC.equals(e.type()) && e.filename() != null
                    ? bool(c.wasWritten(e.filename())) : List.of();
            case "newPort" -> "listen".equals(e.kind()) ? bool(newPort) : List.of();
            case "container.id" -> one(c.id);
            case "container.name" -> one(c.name);
            case "container.image" -> one(c.image);
            default -> List.of();
        };
    }

    /** Whether a file event changes its path (what drift and the write rules look for). */
    static boolean isWrite(ContainerEvent e) {
        String op = e.op();
        if (op == null) {
            return false;
        }
        if ("open".equals(op)) {
            List<String> a = e.access();
            return a != null && (a.contains("write") || a.contains("create") || a.contains("truncate"));
        }
        return true; // unlink, rmdir, rename, mkdir, chmod, chown, truncate, link, symlink
    }

    private boolean hostBind() {
        return place() != null && PathClassifier.HOST_BIND.equals(place().pathClass());
    }

    private PathClassifier.Place place() {
        if (place == null && e.path() != null && ContainerEvent.FILE.equals(e.type())) {
            place = c.paths.classify(e.path());
        }
        return place;
    }

    static String basename(String path) {
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static List<String> one(String v) {
        return v == null ? List.of() : List.of(v);
    }

    private static List<String> bool(boolean b) {
        return b ? TRUE : FALSE;
    }
}
