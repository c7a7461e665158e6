package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** contxray.h compiled by gcc must agree with every constant of Layout, in both directions. */
class LayoutTest {
    @Test
    void layoutMatchesHeader(@TempDir Path tmp) throws Exception {
        // -Wpadded: implicit padding in a shared struct would be a kernel/Java disagreement waiting to happen.
        Path probe = TestTools.compile("layout_probe", tmp, "-Wpadded");
        Map<String, Long> fromC = new TreeMap<>();
        for (String line : TestTools.run(java.util.List.of(probe.toString())).split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.trim().split(" ");
                fromC.put(f[0], Long.parseLong(f[1]));
            }
        }
        Map<String, Long> fromJava = new TreeMap<>();
        for (Field f : Layout.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                fromJava.put(f.getName(), (long) f.getInt(null));
            }
        }
        assertEquals(fromC, fromJava);
    }

    @Test
    void countsKeyInterleavesPhases() {
        assertEquals(0, Layout.countsKey(0, Layout.CX_PHASE_BEFORE));
        assertEquals(1, Layout.countsKey(0, Layout.CX_PHASE_FILTERED));
        assertEquals(2 * (Layout.CX_MAX_SLOTS - 1) + 1, Layout.countsKey(Layout.CX_MAX_SLOTS - 1, Layout.CX_PHASE_FILTERED));
    }
}
