package io.contxray.analyzer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns recorded paths into AppArmor path globs, so that a profile made from some runs still fits
 * the next: numbers under /proc (pids, tids, fds) become {@code [0-9]*}; in files the workload
 * wrote (never in ones it only read: those come with the image and keep their names) temp-style
 * names (a run of six or more letters and digits with both in it, like mkstemp's) and long numbers
 * become {@code *}; and a directory with {@link #FOLD_AT} or more written children of its own is
 * folded into {@code dir/*} (per-request files, sessions, caches). The permissions of paths that
 * fold together are united, so nothing that was allowed before folding is lost.
 *
 * <p>Literal characters AppArmor reads as glob syntax are escaped; a path with white space is
 * quoted. Pure: no file system access.
 */
public final class AppArmorPaths {
    /** Written entries of one directory from which they are folded into one glob. */
    public static final int FOLD_AT = 8;
    /** Written files' name parts that are generated: random runs of letters and digits, long numbers. */
    private static final Pattern GENERATED = Pattern.compile("[A-Za-z0-9]{6,}|[0-9]{4,}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String NUMBER_GLOB = "[0-9]*";
    private static final String ANY = "*";

    private AppArmorPaths() {
    }

    /**
     * @param path      an absolute, normalised path
     * @param perms     AppArmor permissions, e.g. "r", "w" (see {@link AppArmorPerms})
     * @param truncated the kernel cut the path: everything below what it kept is meant
     */
    public record Access(String path, String perms, boolean truncated) {
    }

    /** The glob -> united permissions of every access, sorted by glob. */
    public static SortedMap<String, String> generalise(List<Access> accesses) {
        SortedMap<String, String> globbed = new TreeMap<>();
        for (Access a : accesses) {
            boolean written = AppArmorPerms.writes(a.perms());
            globbed.merge(glob(a.path(), written) + (a.truncated() ? "**" : ""), a.perms(), AppArmorPerms::union);
        }
        return fold(globbed);
    }

    /** One path as a glob: its components escaped, the generated parts replaced. */
    static String glob(String path, boolean written) {
        if ("/".equals(path)) {
            return "/";
        }
        String[] parts = path.substring(1).split("/", -1);
        boolean proc = parts.length > 0 && "proc".equals(parts[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            out.append('/');
            String c = parts[i];
            if (proc && i > 0 && DIGITS.matcher(c).matches()) {
                out.append(NUMBER_GLOB);
            } else if (written && i == parts.length - 1) {
                out.append(generated(c));
            } else {
                out.append(escape(c));
            }
        }
        return out.toString();
    }

    /** A written file's name with its generated runs as '*'; the rest escaped. */
    private static String generated(String name) {
        Matcher m = GENERATED.matcher(name);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (m.find()) {
            String run = m.group();
            boolean number = run.chars().allMatch(Character::isDigit);
            boolean random = run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter);
            if (number || random) {
                out.append(escape(name.substring(at, m.start()))).append(ANY);
                at = m.end();
            }
        }
        return out.append(escape(name.substring(at))).toString();
    }

    /** Directories with FOLD_AT or more written children become dir/*, with every child's permissions. */
    private static SortedMap<String, String> fold(SortedMap<String, String> globbed) {
        Map<String, List<String>> writtenChildren = new TreeMap<>();
        globbed.forEach((g, perms) -> {
            int slash = g.lastIndexOf('/');
            if (slash > 0 && AppArmorPerms.writes(perms) && !g.substring(slash + 1).equals(ANY)) {
                writtenChildren.computeIfAbsent(g.substring(0, slash), d -> new ArrayList<>()).add(g);
            }
        });
        SortedMap<String, String> out = new TreeMap<>(globbed);
        writtenChildren.forEach((dir, children) -> {
            if (children.size() >= FOLD_AT) {
                for (String child : children) {
                    out.merge(dir + "/" + ANY, out.remove(child), AppArmorPerms::union);
                }
            }
        });
        return out;
    }

    /** A literal path component with AppArmor's glob and quoting characters escaped. */
    static String escape(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (char ch : literal.toCharArray()) {
            if ("*?[]{}^\\\"#,@".indexOf(ch) >= 0) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    /**
     * Whether a glob of this class matches {@code path}: '*' within a component, '**' across,
     * character classes, {a,b} alternatives and escapes.
     */
    public static boolean matches(String glob, String path) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (ch == '*') {
                boolean deep = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                re.append(deep ? ".*" : "[^/]*");
                i += deep ? 1 : 0;
            } else if (ch == '[') {
                int end = glob.indexOf(']', i);
                re.append(glob, i, end + 1);
                i = end;
            } else if (ch == '{' || ch == ',' || ch == '}') {
                re.append(ch == '{' ? "(?:" : ch == ',' ? "|" : ")");
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.matches(re.toString(), path);
    }

    /** A glob as it is written in a rule: quoted when it holds white space or control characters. */
    public static String quoted(String glob) {
        return glob.chars().anyMatch(c -> c <= ' ' || c == 0x7f) ? "\"" + glob + "\"" : glob;
    }
}
