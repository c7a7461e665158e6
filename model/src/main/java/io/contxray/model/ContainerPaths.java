package io.contxray.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Paths as a container's events carry them: absolute, lexically normalised. */
public final class ContainerPaths {
    /** Prefix of a path whose directory the kernel could not resolve (a closed dirfd, a deep tree). */
    public static final String UNRESOLVED_PREFIX = "?/";

    private ContainerPaths() {
    }

    /**
     * An absolute path without ".", "..", empty components or a trailing slash, lexically (no
     * symlinks are followed: the container's file system is not here). ".." at the root stays at
     * the root, as the kernel does.
     */
    public static String normalize(String absolute) {
        if (isNormal(absolute)) {
            return absolute; // nearly every path the kernel reports: no copy
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || ".".equals(part)) {
                continue;
            }
            if ("..".equals(part)) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /**
     * Whether normalize would return the path unchanged: "/" or "/a/b" without empty, "." or ".."
     * parts. Walks a Latin-1 copy (one bulk copy; any other char becomes '?', which is neither '/'
     * nor '.'): charAt per char, or indexOf, was most of a file event's path cost with the
     * recorder's C1-only JIT.
     */
    static boolean isNormal(String path) {
        byte[] b = path.getBytes(StandardCharsets.ISO_8859_1);
        int n = b.length;
        if (n == 0 || b[0] != '/') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        int partStart = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || b[i] == '/') {
                int partLen = i - partStart;
                if (partLen == 0 || partLen <= 2 && b[partStart] == '.' && (partLen == 1 || b[partStart + 1] == '.')) {
                    return false;
                }
                partStart = i + 1;
            }
        }
        return true;
    }
}
