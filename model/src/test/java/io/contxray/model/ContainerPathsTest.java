package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContainerPathsTest {
    @Test
    void normalizesLexically() {
        assertEquals("/", ContainerPaths.normalize("/"));
        assertEquals("/", ContainerPaths.normalize("//"));
        assertEquals("/", ContainerPaths.normalize("/.."));
        assertEquals("/a/c", ContainerPaths.normalize("/a/./b/../c/"));
        assertEquals("/a/..b/.c/...", ContainerPaths.normalize("/a/..b/.c/..."));
        assertEquals("/etc", ContainerPaths.normalize("/../../etc"));
    }

    @Test
    void aNormalPathComesBackAsTheSameObject() {
        String p = new String("/nonexistent/f100042");
        assertSame(p, ContainerPaths.normalize(p));
    }

    /** The fast check must agree with normalising part by part for every mix of tricky parts. */
    @Test
    void fastPathAgreesWithTheDefinition() {
        String[] parts = {"", ".", "..", "a", "..a", ".b", "...", "a.", "b..", "."};
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder p = new StringBuilder();
            int count = random.nextInt(5);
            for (int k = 0; k < count; k++) {
                p.append('/').append(parts[random.nextInt(parts.length)]);
            }
            if (random.nextInt(4) == 0) {
                p.append('/');
            }
            String path = p.length() == 0 ? "/" : p.toString();
            String expected = byDefinition(path);
            assertEquals(expected, ContainerPaths.normalize(path), path);
            assertEquals(expected.equals(path), ContainerPaths.isNormal(path), path);
        }
    }

    private static String byDefinition(String path) {
        List<String> kept = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (part.equals("..")) {
                if (!kept.isEmpty()) {
                    kept.remove(kept.size() - 1);
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                kept.add(part);
            }
        }
        return "/" + String.join("/", kept);
    }
}
