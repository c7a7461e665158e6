package io.contxray.model;

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
}
