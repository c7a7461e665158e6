package io.contxray.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points by filesystem type, from /proc/self/mountinfo lines. */
public final class MountInfo {
    private MountInfo() {
    }

    public static List<Path> read(String fsType) throws IOException {
        return mountPoints(Files.readAllLines(Path.of("/proc/self/mountinfo")), fsType);
    }

    static List<Path> mountPoints(List<String> mountinfo, String fsType) {
        List<Path> out = new ArrayList<>();
        for (String line : mountinfo) {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length > 4 && after.length > 0 && after[0].equals(fsType)) {
                out.add(Path.of(unescape(before[4])));
            }
        }
        return out;
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
