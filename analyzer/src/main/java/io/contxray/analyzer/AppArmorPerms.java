package io.contxray.analyzer;

import java.util.List;

/**
 * AppArmor file permissions as rule text ("mrwklix" order), and what each recorded access needs.
 * Generous where the record cannot tell: a read may be a library the loader maps ('m'), a written
 * file may be locked ('k'), an open directory is allowed by the same rule (see
 * {@link AppArmorProfile}).
 */
public final class AppArmorPerms {
    /** Every permission letter this generator writes, in rule order ("ix" is one: inherit-execute). */
    private static final List<String> ORDER = List.of("m", "r", "w", "k", "l", "ix");

    private AppArmorPerms() {
    }

    /** The permissions a recorded access (report.json files' access) needs on its path. */
    public static String of(String access) {
        return switch (access) {
            case "read" -> "mr";
            case "exec" -> "mrix";
            case "path" -> "r";
            case RecordedAccess.CONNECT -> "rw";
            case "link", "rename" -> "rwkl";
            // write, create, truncate; unlink, rmdir, mkdir, chmod, chown, symlink (the link made)
            default -> "wk";
        };
    }

    /** What a rename's or link's second path (the name made) needs. */
    public static final String TARGET = "rwkl";

    public static boolean writes(String perms) {
        return perms.contains("w");
    }

    /** Both sets, in rule order. */
    public static String union(String a, String b) {
        StringBuilder out = new StringBuilder();
        for (String p : ORDER) {
            if (has(a, p) || has(b, p)) {
                out.append(p);
            }
        }
        return out.toString();
    }

    private static boolean has(String perms, String p) {
        return "ix".equals(p) ? perms.contains("ix") : perms.replace("ix", "").contains(p);
    }
}
