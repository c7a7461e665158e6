package io.contxray.recorder;

import io.contxray.bpf.Layout;
import io.contxray.bpf.ProcessEvent;
import io.contxray.model.ContainerPaths;
import io.contxray.model.ErrnoNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a kernel file event's raw parts into what events.jsonl says: the operation's name, an
 * absolute path (a relative one joined to the directory the kernel resolved), the access an
 * open asked for, and the errno's name. Pure.
 */
final class FileEvents {
    private static final int O_ACCMODE = 03;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_PATH = 010000000;

    private FileEvents() {
    }

    static String op(int op) {
        return switch (op) {
            case Layout.CX_FILE_OPEN -> "open";
            case Layout.CX_FILE_UNLINK -> "unlink";
            case Layout.CX_FILE_RMDIR -> "rmdir";
            case Layout.CX_FILE_RENAME -> "rename";
            case Layout.CX_FILE_MKDIR -> "mkdir";
            case Layout.CX_FILE_CHMOD -> "chmod";
            case Layout.CX_FILE_CHOWN -> "chown";
            case Layout.CX_FILE_TRUNCATE -> "truncate";
            case Layout.CX_FILE_LINK -> "link";
            case Layout.CX_FILE_SYMLINK -> "symlink";
            default -> "op-" + op;
        };
    }

    /** Every answer of {@link #access}, made once: the same list object lets the event log copy its bytes. */
    private static final List<List<String>> ACCESS = accessLists();

    /** What an open's flags ask for: read, write (both for O_RDWR), create, truncate; O_PATH only "path". */
    static List<String> access(int flags) {
        if ((flags & O_PATH) != 0) {
            return ACCESS.get(ACCESS.size() - 1);
        }
        int mode = flags & O_ACCMODE;
        return ACCESS.get((mode == O_WRONLY ? 1 : mode == O_RDWR ? 2 : 0) * 4 + ((flags & O_CREAT) != 0 ? 2 : 0)
                + ((flags & O_TRUNC) != 0 ? 1 : 0));
    }

    /** Index: access mode (read, write, read-write) * 4 + create * 2 + truncate; then O_PATH's. */
    private static List<List<String>> accessLists() {
        List<List<String>> out = new ArrayList<>();
        for (List<String> mode : List.of(List.of("read"), List.of("write"), List.of("read", "write"))) {
            for (int extra = 0; extra < 4; extra++) {
                List<String> list = new ArrayList<>(mode);
                if ((extra & 2) != 0) {
                    list.add("create");
                }
                if ((extra & 1) != 0) {
                    list.add("truncate");
                }
                out.add(List.copyOf(list));
            }
        }
        out.add(List.of("path"));
        return List.copyOf(out);
    }

    /** The errno name of a failed call (negative result), else null. */
    static String errno(long result) {
        return result < 0 && result >= -4095 ? ErrnoNames.name((int) -result) : null;
    }

    /** The event's path, absolute. */
    static String path(ProcessEvent.File f) {
        return resolve(f.path(), f.dirNames(), f.info());
    }

    /**
     * Rename's or link's target, absolute, or null; a relative one against another dirfd stays
     * unresolved. A symlink's content as the call gave it.
     */
    static String newPath(ProcessEvent.File f) {
        if (f.newPath() == null || f.op() == Layout.CX_FILE_SYMLINK) {
            return f.newPath();
        }
        int info = (f.info() & Layout.CX_FILE_NEW_DIR_OTHER) != 0 ? f.info() & ~Layout.CX_FILE_DIR : f.info();
        return resolve(f.newPath(), f.dirNames(), info);
    }

    /**
     * An absolute, lexically normalised path: absolute paths as given; relative ones under the
     * kernel's directory names (leaf first), or under {@link ContainerPaths#UNRESOLVED_PREFIX} when
     * it had none or gave up before the root.
     */
    static String resolve(String path, List<String> dirNamesLeafFirst, int info) {
        if (path.startsWith("/")) {
            return ContainerPaths.normalize(path);
        }
        boolean known = (info & Layout.CX_FILE_DIR) != 0 && (info & Layout.CX_FILE_DIR_TRUNCATED) == 0;
        if (!known) {
            return ContainerPaths.UNRESOLVED_PREFIX + normalize("", path).substring(1);
        }
        StringBuilder dir = new StringBuilder();
        for (int i = dirNamesLeafFirst.size() - 1; i >= 0; i--) {
            dir.append('/').append(dirNamesLeafFirst.get(i));
        }
        return normalize(dir.toString(), path);
    }

    /** Joins base and path and normalises the result (see {@link ContainerPaths#normalize}). */
    static String normalize(String base, String path) {
        return ContainerPaths.normalize(base + "/" + path);
    }
}
