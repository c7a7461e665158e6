package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {
    static final List<String> HYBRID = List.of(
            "24 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "30 24 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
            "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
            "32 30 0:28 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory",
            "40 24 0:33 / /sys/fs/bpf rw,relatime - bpf bpf rw",
            "41 24 0:34 / /mnt/with\\040space rw - cgroup2 none rw");

    @Test
    void findsCgroup2MountsInOrderIncludingOptionalFields() {
        assertEquals(List.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/mnt/with space")),
                MountInfo.mountPoints(HYBRID, "cgroup2"));
    }

    @Test
    void findsBpffsAndNothingForUnknownTypes() {
        assertEquals(List.of(Path.of("/sys/fs/bpf")), MountInfo.mountPoints(HYBRID, "bpf"));
        assertEquals(List.of(), MountInfo.mountPoints(HYBRID, "tracefs"));
    }

    @Test
    void ignoresMalformedLines() {
        assertEquals(List.of(), MountInfo.mountPoints(List.of("garbage", "1 2 - cgroup2", ""), "cgroup2"));
    }

    @Test
    void unescapesOctalButLeavesOtherBackslashes() {
        assertEquals("a b\tc\\d", MountInfo.unescape("a\\040b\\011c\\134d"));
        assertEquals("x\\9y\\", MountInfo.unescape("x\\9y\\"));
    }
}
