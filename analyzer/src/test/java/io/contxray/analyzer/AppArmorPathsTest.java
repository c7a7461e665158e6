package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class AppArmorPathsTest {
    private static AppArmorPaths.Access read(String p) {
        return new AppArmorPaths.Access(p, AppArmorPerms.of("read"), false);
    }

    private static AppArmorPaths.Access written(String p) {
        return new AppArmorPaths.Access(p, AppArmorPerms.of("create"), false);
    }

    @Test
    void procNumbersBecomeNumberGlobsNamedOnesStay() {
        SortedMap<String, String> g = AppArmorPaths.generalise(List.of(read("/proc/1234/stat"), read("/proc/7/task/8/fd/3"),
                read("/proc/self/status"), read("/proc/sys/kernel/ngroups_max")));
        assertEquals(List.of("/proc/[0-9]*/stat", "/proc/[0-9]*/task/[0-9]*/fd/[0-9]*", "/proc/self/status",
                "/proc/sys/kernel/ngroups_max"), List.copyOf(g.keySet()));
    }

    @Test
    void onlyWrittenFilesLoseTheirGeneratedNames() {
        SortedMap<String, String> g = AppArmorPaths.generalise(List.of(read("/lib/x86_64-linux-gnu/libpcre2-8.so.0"),
                read("/usr/bin/sha256sum"), written("/tmp/tmp.aB3xY9"), written("/var/lib/nginx/body/0000000001"),
                written("/run/nginx.pid"), written("/var/log/app-20261207.log")));
        assertEquals(List.of("/lib/x86_64-linux-gnu/libpcre2-8.so.0", "/run/nginx.pid", "/tmp/tmp.*", "/usr/bin/sha256sum",
                "/var/lib/nginx/body/*", "/var/log/app-*.log"), List.copyOf(g.keySet()));
    }

    @Test
    void aDirectoryOfManyWrittenFilesFoldsWithEveryPermission() {
        List<AppArmorPaths.Access> many = new ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace")) {
            many.add(written("/var/sess/sess_" + user));
        }
        many.add(read("/var/sess/README"));
        SortedMap<String, String> seven = AppArmorPaths.generalise(many);
        assertEquals(8, seven.size(), "7 written and 1 read: not folded");
        many.add(new AppArmorPaths.Access("/var/sess/sess_heidi", "rwkl", false));
        SortedMap<String, String> eight = AppArmorPaths.generalise(many);
        assertEquals(Map.of("/var/sess/*", "rwkl", "/var/sess/README", "mr"), eight);
    }

    @Test
    void permissionsOfPathsThatGlobTogetherAreUnited() {
        SortedMap<String, String> g = AppArmorPaths.generalise(List.of(read("/proc/1/maps"),
                new AppArmorPaths.Access("/proc/2/maps", "wk", false), new AppArmorPaths.Access("/usr/bin/x", "mrix", false),
                read("/usr/bin/x")));
        assertEquals(Map.of("/proc/[0-9]*/maps", "mrwk", "/usr/bin/x", "mrix"), g);
        assertEquals("mrwklix", AppArmorPerms.union("mrix", "rwkl"));
    }

    @Test
    void globCharactersInNamesAreEscapedAndStillMatch() {
        String odd = "/data/a*b?[c]{d,e}^\"#@f\\g";
        String glob = AppArmorPaths.generalise(List.of(read(odd))).firstKey();
        assertEquals("/data/a\\*b\\?\\[c\\]\\{d\\,e\\}\\^\\\"\\#\\@f\\\\g", glob);
        assertTrue(AppArmorPaths.matches(glob, odd));
        assertFalse(AppArmorPaths.matches(glob, "/data/aXb?[c]{d,e}^\"#@f\\g"), "an escaped * is no glob");
        assertEquals("\"/data/with space\"", AppArmorPaths.quoted("/data/with space"));
        assertEquals("/data/plain", AppArmorPaths.quoted("/data/plain"));
    }

    @Test
    void everyGlobMatchesThePathsItCameFromAndACutPathCoversWhatFollows() {
        List<AppArmorPaths.Access> in = List.of(read("/proc/42/fd/7"), written("/tmp/tmp.Zq81xa"),
                written("/var/cache/x/0000000123"), read("/etc/nginx/nginx.conf"),
                new AppArmorPaths.Access("/very/long/pa", "mr", true));
        SortedMap<String, String> g = AppArmorPaths.generalise(in);
        for (AppArmorPaths.Access a : in) {
            assertTrue(g.keySet().stream().anyMatch(glob -> AppArmorPaths.matches(glob, a.path())), a.path() + " in " + g);
        }
        assertTrue(g.containsKey("/very/long/pa**"));
        assertTrue(AppArmorPaths.matches("/very/long/pa**", "/very/long/path/beyond/the/cut"));
        assertFalse(AppArmorPaths.matches("/proc/[0-9]*/fd/[0-9]*", "/proc/sysrq-trigger"));
        assertFalse(AppArmorPaths.matches("/tmp/*", "/tmp/a/b"), "* stays within one component");
    }
}
