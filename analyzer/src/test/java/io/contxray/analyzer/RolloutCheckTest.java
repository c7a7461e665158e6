package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutCheckTest {
    @TempDir
    Path dir;

    @Test
    void complainListsWhatTheProfileDoesNotCover() throws Exception {
        ProfileStore store = new ProfileStore(dir);
        store.save("web", new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64"),
                List.of(SeccompRule.allow(List.of("read", "write")), SeccompRule.errno(List.of("clone3"), 38))));
        TreeMap<String, Long> under = new TreeMap<>(Map.of("read", 5L, "mkdir", 1L, "clone3", 1L, "unshare", 2L));
        RolloutCheck.Rollout r = RolloutCheck.of(Map.of("contxray.mode", " Complain", "contxray.profile", "web"), under, store);
        assertEquals("complain", r.mode());
        assertEquals("web", r.profile());
        assertEquals(Map.of("mkdir", 1L, "unshare", 2L), r.violations());
        assertNull(r.problem());

        RolloutCheck.Rollout gone = RolloutCheck.of(Map.of("contxray.mode", "complain", "contxray.profile", "gone"), under, store);
        assertNull(gone.violations());
        assertTrue(gone.problem().startsWith("no violations computed: no profile \"gone\""), gone.problem());
        RolloutCheck.Rollout hostile = RolloutCheck.of(Map.of("contxray.mode", "complain", "contxray.profile", "../x"), under, store);
        assertTrue(hostile.problem().contains("rejected"), hostile.problem());
    }

    @Test
    void otherModesHaveNoRolloutSection() {
        ProfileStore store = new ProfileStore(dir);
        TreeMap<String, Long> under = new TreeMap<>(Map.of("read", 1L));
        assertNull(RolloutCheck.of(Map.of(), under, store));
        assertNull(RolloutCheck.of(null, under, store));
        assertNull(RolloutCheck.of(Map.of("contxray.mode", "enforce", "contxray.profile", "web"), under, store));
        assertNull(RolloutCheck.of(Map.of("contxray.mode", "complain"), under, store));
    }
}
