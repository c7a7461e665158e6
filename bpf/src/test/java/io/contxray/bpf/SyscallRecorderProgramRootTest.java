package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the real kernel programs (root, x86_64, bpffs, cgroup v2) and checks what they count
 * by running a helper that makes a known number of rare syscalls inside and outside a cgroup.
 */
@Tag("root")
class SyscallRecorderProgramRootTest {
    private static final int NR_GETCPU = 309;        // x86_64
    private static final int NR_GETCPU_I386 = 318;   // through int 0x80
    private static final int NR_PRCTL = 157;
    private static final int NR_SOCKET_I386 = 359;
    private static final long CLONE_NEWUTS = 0x04000000L;
    private static final int NR_PERSONALITY_I386 = 136;
    private static final int NR_SETGID = 106;
    private static final int NR_SETRESUID = 117;
    private static final long AF_UNIX = 1;
    private static final long AF_INET = 2;
    private static final long PERSONA_QUERY = 0xffffffffL;
    private static final int SLOT = 7;
    private static final int N = 1000;

    @TempDir
    static Path tools;
    private static Path helper;
    private static Path cgroup2;
    /** Why this host cannot make i386 calls through int 0x80, or null where it can. */
    private static String int80Refused;

    private Path pinDir;
    private Path cgroup;
    private final List<Path> cgroupsToRemove = new ArrayList<>();
    private final List<SyscallRecorderProgram> programs = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "helper syscall numbers are x86_64");
        assertEquals("0", TestTools.run(List.of("id", "-u")).trim(), "root tests need root");
        assertFalse(ownSeccompFiltered(), "the test runs under a seccomp filter: phases cannot be told apart");
        Path bpffs = Path.of("/sys/fs/bpf");
        if (!mountTypes(bpffs).contains("bpf")) {
            TestTools.run(List.of("mount", "-t", "bpf", "bpf", bpffs.toString()));
        }
        cgroup2 = TestTools.cgroup2Mount();
        helper = TestTools.compile("syscall_helper", tools);
        int80Refused = TestTools.int80Refusal(helper);
    }

    @BeforeEach
    void createPinDirAndCgroup() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        pinDir = Path.of("/sys/fs/bpf/contxray-test-" + id);
        cgroup = mkdirCgroup(cgroup2.resolve("contxray-test-" + id));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (SyscallRecorderProgram p : programs) {
            p.close();
        }
        SyscallRecorderProgram.removePins(pinDir);
        assertFalse(Files.exists(pinDir), "removePins left " + pinDir);
        List<Path> childrenFirst = new ArrayList<>(cgroupsToRemove);
        Collections.reverse(childrenFirst);
        for (Path cg : childrenFirst) {
            rmdirCgroup(cg);
        }
    }

    @Test
    void countsOnlyTheRecordedCgroup() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        assertEquals(AttachMethod.TP_BTF, p.method());
        assertFalse(p.attached());
        p.attach();
        assertTrue(p.attached());
        long id = cgroupId(cgroup);
        p.clearCounts(SLOT);
        p.addCgroup(id, SLOT);
        assertEquals(new CgroupEntry(SLOT, Layout.CX_CGROUP_ROOT), p.cgroups().get(id));

        runHelper(null, "native", 3 * N); // outside the cgroup
        assertEquals(0, p.readCounts(SLOT).total(), "a process outside the cgroup was counted");

        runHelper(cgroup, "native", N);
        SlotCounts c = p.readCounts(SLOT);
        assertTrue(c.beforeNative()[NR_GETCPU] >= N, "getcpu counted " + c.beforeNative()[NR_GETCPU]);
        assertTrue(c.beforeNative()[NR_GETCPU] < 3 * N, "outside calls leaked in: " + c.beforeNative()[NR_GETCPU]);
        assertEquals(0, c.filteredNative()[NR_GETCPU]);

        runHelper(cgroup, "outofrange", N);
        runHelper(cgroup, "x32", N);
        c = p.readCounts(SLOT);
        assertEquals(N, c.beforeX32()[39], "x32 getpid counted per number, apart from out-of-range numbers");
        assertTrue(c.outOfRange() >= N, "syscall 1000 counted " + c.outOfRange());

        // Another slot saw nothing; clearing zeroes this one.
        assertEquals(0, p.readCounts(SLOT + 1).total());
        p.clearCounts(SLOT);
        assertEquals(0, p.readCounts(SLOT).total());
    }

    @Test
    void countsInt80CallsInTheCompatTable() throws Exception {
        checkCompatCounts(AttachMethod.TP_BTF);
    }

    @Test
    void rawTracepointFallbackCountsInt80Calls() throws Exception {
        checkCompatCounts(AttachMethod.RAW_TRACEPOINT);
    }

    private void checkCompatCounts(AttachMethod method) throws Exception {
        assumeTrue(int80Refused == null, int80Refused);
        SyscallRecorderProgram p = open(method);
        p.attach();
        p.clearCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        runHelper(cgroup, "compat", N);
        SlotCounts c = p.readCounts(SLOT);
        assertTrue(c.beforeCompat()[NR_GETCPU_I386] >= N, "int 0x80 getcpu counted " + c.beforeCompat()[NR_GETCPU_I386]);
        assertTrue(c.beforeNative()[NR_GETCPU] < N, "compat calls counted as native");
    }

    @Test
    void thirtyTwoBitSocketAndPersonalityAreCountedWithoutTheirValues() throws Exception {
        assumeTrue(int80Refused == null, int80Refused);
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        p.clearCounts(SLOT);
        p.takeArgCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        runHelper(cgroup, "compatargs", N); // socketcall keeps its arguments in user memory
        SlotCounts c = p.readCounts(SLOT);
        assertTrue(c.beforeCompat()[NR_SOCKET_I386] >= 2L * N && c.beforeCompat()[NR_PERSONALITY_I386] >= N,
                "int 0x80 socket and personality not counted");
        assertEquals(List.of(), p.takeArgCounts(SLOT), "values of 32-bit calls recorded");
    }

    @Test
    void recordsTheFirstArgumentOfSocketPersonalityAndCloneOfTheRecordedCgroupOnly() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        long other = cgroupId(mkdirCgroup(cgroup2.resolve(cgroup.getFileName() + "-other")));
        for (int slot : new int[] {SLOT, SLOT + 1}) {
            p.clearCounts(slot);
            p.clearEventDrops(slot);
            p.takeArgCounts(slot);
        }
        p.addCgroup(cgroupId(cgroup), SLOT);
        p.addCgroup(other, SLOT + 1); // recorded, but nothing runs there

        runHelper(null, "args", N); // outside any recorded cgroup
        runHelper(cgroup, "args", N);
        SlotCounts c = p.readCounts(SLOT);
        assertEquals(java.util.Set.of(
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_BEFORE, AF_UNIX, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_BEFORE, AF_INET, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_PERSONALITY, Layout.CX_PHASE_BEFORE, PERSONA_QUERY, N)),
                java.util.Set.copyOf(p.takeArgCounts(SLOT)));
        // every counted call has its value: what makes a filter safe
        assertEquals(2L * N, c.beforeNative()[Layout.CX_NR_SOCKET]);
        assertEquals(N, c.beforeNative()[Layout.CX_NR_PERSONALITY]);
        assertEquals(0, p.readTypeDrops(SLOT, Layout.CX_DROP_ARGS));
        assertEquals(List.of(), p.takeArgCounts(SLOT), "taking them removes them");
        assertEquals(List.of(), p.takeArgCounts(SLOT + 1), "values in another container's slot");

        // set-id calls: the workload's are counted with their value, the runtime init's are not
        runHelper(cgroup, "setids", N);
        assertEquals(java.util.Set.of(
                new SyscallRecorderProgram.ArgCount(NR_SETGID, Layout.CX_PHASE_BEFORE, 0, N),
                new SyscallRecorderProgram.ArgCount(NR_SETRESUID, Layout.CX_PHASE_BEFORE, -1L, N)),
                java.util.Set.copyOf(p.takeArgCounts(SLOT)));
        SlotCounts ids = p.readCounts(SLOT);
        assertEquals(2L * N, ids.beforeNative()[NR_SETGID], "every setgid is a counted syscall all the same");
        assertEquals(2L * N, ids.beforeNative()[NR_SETRESUID]);

        // clone: only the namespace bits of its flags (the exit signal and CLONE_CHILD_SETTID are not kept)
        runHelper(cgroup, "clones", N);
        assertEquals(java.util.Set.of(
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_CLONE, Layout.CX_PHASE_BEFORE, 0, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_CLONE, Layout.CX_PHASE_BEFORE, CLONE_NEWUTS, N)),
                java.util.Set.copyOf(p.takeArgCounts(SLOT)));
        assertEquals(2L * N, p.readCounts(SLOT).beforeNative()[Layout.CX_NR_CLONE]);

        runHelper(cgroup, "seccompargs", N); // under a seccomp filter: the FILTERED phase
        assertEquals(java.util.Set.of(
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_FILTERED, AF_UNIX, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_FILTERED, AF_INET, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_PERSONALITY, Layout.CX_PHASE_FILTERED, PERSONA_QUERY, N)),
                java.util.Set.copyOf(p.takeArgCounts(SLOT)));
    }

    @Test
    void disabledSensorsAreNotAttachedAndAnEarlierDaemonsLinksGo() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        assertEquals(List.of(), p.attach());
        assertTrue(p.fileMethod().endsWith("(26 of 26)"), p.fileMethod());
        assertTrue(Files.exists(pinDir.resolve("link_sock_connect")));
        p.disable(java.util.EnumSet.of(SyscallRecorderProgram.Sensor.FILES, SyscallRecorderProgram.Sensor.SOCKETS,
                SyscallRecorderProgram.Sensor.CAPABILITIES));
        p.attach();
        assertEquals("none", p.fileMethod());
        assertEquals("none", p.capabilityMethod());
        assertFalse(Files.exists(pinDir.resolve("link_sock_connect")));
        assertTrue(p.attached(), "the core programs stay");
    }

    @Test
    void sharedFilterBucketFallsBackToTheHashMap() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        long id = cgroupId(cgroup);
        // a cgroup id with the same low bits: what two live cgroups 65536 ids apart look like
        long twin = id ^ (1L << 40);
        p.clearCounts(SLOT);
        p.clearCounts(SLOT + 1);
        p.addCgroup(id, SLOT);
        assertEquals((id & ~(long) Layout.CX_FILTER_LOW_MASK) | (SLOT + 1), p.filterBucket(id));
        p.addCgroup(twin, SLOT + 1);
        assertEquals(Layout.CX_FILTER_SHARED, p.filterBucket(id) & Layout.CX_FILTER_LOW_MASK, "bucket not shared");

        runHelper(cgroup, "native", N);
        assertTrue(p.readCounts(SLOT).beforeNative()[NR_GETCPU] >= N, "shared bucket: cgroup not counted");
        assertEquals(0, p.readCounts(SLOT + 1).total(), "shared bucket: counted in the twin's slot");

        // the twin goes; the bucket stays shared (never a missed cgroup) and still counts
        p.removeSlot(SLOT + 1);
        long before = p.readCounts(SLOT).beforeNative()[NR_GETCPU];
        runHelper(cgroup, "native", N);
        assertTrue(p.readCounts(SLOT).beforeNative()[NR_GETCPU] - before >= N);

        p.removeSlot(SLOT);
        assertEquals(Layout.CX_FILTER_SHARED, p.filterBucket(id) & Layout.CX_FILTER_LOW_MASK);
    }

    @Test
    void filterBucketIsEmptiedWhenTheOnlyCgroupGoes() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        long id = cgroupId(cgroup);
        p.addCgroup(id, SLOT);
        p.addCgroup(id, SLOT); // idempotent
        assertEquals((id & ~(long) Layout.CX_FILTER_LOW_MASK) | (SLOT + 1), p.filterBucket(id));
        p.removeSlot(SLOT);
        assertEquals(0, p.filterBucket(id));
        p.addCgroup(id, SLOT);
        p.rebuildFilter(); // idempotent too
        assertEquals((id & ~(long) Layout.CX_FILTER_LOW_MASK) | (SLOT + 1), p.filterBucket(id));
    }

    @Test
    void childCgroupIsAddedByMkdirAndRemovedByRmdir() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        p.clearCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        checkChildCgroup(p);
    }

    @Test
    void reopenReusesPinnedMapsAndPinnedLinkKeepsCounting() throws Exception {
        SyscallRecorderProgram first = open(AttachMethod.TP_BTF);
        first.attach();
        first.clearCounts(SLOT);
        first.addCgroup(cgroupId(cgroup), SLOT);
        runHelper(cgroup, "native", N);
        Object linkInode = Files.getAttribute(pinDir.resolve("link_sys_enter"), "unix:ino");
        first.close(); // a daemon exiting: the object goes, pins stay
        assertThrows(IllegalStateException.class, () -> first.readCounts(SLOT));

        SyscallRecorderProgram second = open(AttachMethod.TP_BTF);
        assertTrue(second.attached(), "pinned links disappeared with the first object");
        assertEquals(SLOT, second.cgroups().get(cgroupId(cgroup)).slot(), "recorded_cgroups not reused");
        assertTrue(second.readCounts(SLOT).beforeNative()[NR_GETCPU] >= N, "syscall_counts not reused");

        second.attach(); // no-op: the earlier link keeps running into the same maps
        assertEquals(linkInode, Files.getAttribute(pinDir.resolve("link_sys_enter"), "unix:ino"));
        runHelper(cgroup, "native", N);
        long count = second.readCounts(SLOT).beforeNative()[NR_GETCPU];
        assertTrue(count >= 2 * N && count < 3 * N, "counted " + count + " after two runs of " + N);
    }

    @Test
    void aRetiredPinOfAnOlderVersionIsRemovedAndTheRingBufferGetsItsNewPin() throws Exception {
        Files.createDirectories(pinDir);
        // what contxray before the 8 MiB ring left pinned: a 4 MiB ring buffer named events
        Process bpftool = new ProcessBuilder("bpftool", "map", "create", pinDir.resolve("events").toString(), "type", "ringbuf",
                "key", "0", "value", "0", "entries", String.valueOf(4 << 20), "name", "events").inheritIO().start();
        assertEquals(0, bpftool.waitFor(), "bpftool map create");
        assertTrue(Files.exists(pinDir.resolve("events")));
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        assertFalse(Files.exists(pinDir.resolve("events")), "the old ring buffer's pin is gone");
        assertTrue(Files.exists(pinDir.resolve(SyscallRecorderProgram.pinName(SyscallRecorderProgram.MAP_EVENTS))));
        assertEquals("events_8mib", SyscallRecorderProgram.pinName(SyscallRecorderProgram.MAP_EVENTS));
        p.close();
    }

    @Test
    void detachStopsCounting() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        p.clearCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        p.detach();
        assertFalse(p.attached());
        for (String link : List.of("link_sys_enter", "link_cgroup_mkdir", "link_cgroup_rmdir")) {
            assertFalse(Files.exists(pinDir.resolve(link)), link + " still pinned");
        }
        runHelper(cgroup, "native", N);
        assertEquals(0, p.readCounts(SLOT).total(), "counted while detached");

        p.attach(); // and back, for the next container
        runHelper(cgroup, "native", N);
        assertTrue(p.readCounts(SLOT).beforeNative()[NR_GETCPU] >= N);
    }

    @Test
    void rawTracepointFallbackCounts() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.RAW_TRACEPOINT);
        assertEquals("raw_tracepoint", p.method().reportName());
        p.attach();
        p.clearCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        runHelper(null, "native", N);
        assertEquals(0, p.readCounts(SLOT).total(), "a process outside the cgroup was counted");
        runHelper(cgroup, "native", N);
        runHelper(cgroup, "seccomp", N);
        p.takeArgCounts(SLOT);
        runHelper(cgroup, "args", N);
        assertEquals(java.util.Set.of(
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_BEFORE, AF_UNIX, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_SOCKET, Layout.CX_PHASE_BEFORE, AF_INET, N),
                new SyscallRecorderProgram.ArgCount(Layout.CX_NR_PERSONALITY, Layout.CX_PHASE_BEFORE, PERSONA_QUERY, N)),
                java.util.Set.copyOf(p.takeArgCounts(SLOT)), "raw_tracepoint: argument values");
        SlotCounts c = p.readCounts(SLOT);
        assertTrue(c.beforeNative()[NR_GETCPU] >= N && c.beforeNative()[NR_GETCPU] < 2 * N,
                "getcpu counted " + c.beforeNative()[NR_GETCPU]);
        assertTrue(c.filteredNative()[NR_GETCPU] >= N);
        checkChildCgroup(p);
    }

    @Test
    void syscallsAfterASeccompFilterAreInTheFilteredPhase() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        p.clearCounts(SLOT);
        p.addCgroup(cgroupId(cgroup), SLOT);
        runHelper(cgroup, "seccomp", N);
        SlotCounts c = p.readCounts(SLOT);
        assertTrue(c.filteredNative()[NR_GETCPU] >= N, "filtered getcpu " + c.filteredNative()[NR_GETCPU]);
        assertEquals(0, c.beforeNative()[NR_GETCPU], "getcpu after the filter counted as before");
        // prctl(PR_SET_NO_NEW_PRIVS) and prctl(PR_SET_SECCOMP) itself run before the filter exists
        assertTrue(c.beforeNative()[NR_PRCTL] >= 2, "prctl before the filter: " + c.beforeNative()[NR_PRCTL]);
    }

    @Test
    void removeSlotDeletesRootAndChildren() throws Exception {
        SyscallRecorderProgram p = open(AttachMethod.TP_BTF);
        p.attach();
        long other = cgroupId(mkdirCgroup(cgroup2.resolve(cgroup.getFileName() + "-other")));
        p.addCgroup(cgroupId(cgroup), SLOT);
        p.addCgroup(other, SLOT + 1);
        long child = cgroupId(mkdirCgroup(cgroup.resolve("child")));
        assertEquals(new CgroupEntry(SLOT, Layout.CX_CGROUP_CHILD), p.cgroups().get(child));
        p.removeSlot(SLOT);
        assertEquals(java.util.Map.of(other, new CgroupEntry(SLOT + 1, Layout.CX_CGROUP_ROOT)), p.cgroups());
        assertThrows(IllegalArgumentException.class, () -> p.addCgroup(1, Layout.CX_MAX_SLOTS));
    }

    @Test
    void pinDirOutsideBpffsFailsWithTheLibbpfFunction(@TempDir Path notBpffs) {
        BpfException e = assertThrows(BpfException.class,
                () -> SyscallRecorderProgram.open(notBpffs.resolve("pins"), AttachMethod.TP_BTF));
        assertEquals("bpf_object__load", e.function());
        assertTrue(e.getMessage().contains("while loading contxray.bpf.o"), e.getMessage());
        assertFalse(Files.exists(notBpffs.resolve("pins/recorded_cgroups")));
    }

    /** A child made under the recorded cgroup is tracked, counted in the slot, and dropped on rmdir. */
    private void checkChildCgroup(SyscallRecorderProgram p) throws Exception {
        Path child = mkdirCgroup(cgroup.resolve("child"));
        Path grandchild = mkdirCgroup(child.resolve("grandchild"));
        assertEquals(new CgroupEntry(SLOT, Layout.CX_CGROUP_CHILD), p.cgroups().get(cgroupId(child)),
                "cgroup_mkdir did not add the child");
        assertEquals(new CgroupEntry(SLOT, Layout.CX_CGROUP_CHILD), p.cgroups().get(cgroupId(grandchild)));
        long gid = cgroupId(grandchild);
        assertEquals((gid & ~(long) Layout.CX_FILTER_LOW_MASK) | (SLOT + 1), p.filterBucket(gid),
                "cgroup_mkdir did not fill the filter bucket");
        long before = p.readCounts(SLOT).beforeNative()[NR_GETCPU];
        runHelper(grandchild, "native", N);
        assertTrue(p.readCounts(SLOT).beforeNative()[NR_GETCPU] - before >= N, "grandchild cgroup not counted");

        long childId = cgroupId(child);
        rmdirCgroup(grandchild);
        rmdirCgroup(child);
        assertNull(p.cgroups().get(childId), "cgroup_rmdir did not remove the child");
        assertEquals(0, p.filterBucket(childId), "cgroup_rmdir did not empty the filter bucket");
        assertEquals(0, p.filterBucket(gid));
        assertNotNull(p.cgroups().get(cgroupId(cgroup)), "the root entry belongs to user space");
    }

    private SyscallRecorderProgram open(AttachMethod method) {
        SyscallRecorderProgram p = SyscallRecorderProgram.open(pinDir, method);
        programs.add(p);
        return p;
    }

    /** Runs the helper, moved into the cgroup (if any) before it execs, and waits for it. */
    private static void runHelper(Path cgroup, String mode, int n) throws Exception {
        List<String> cmd = cgroup == null
                ? List.of(helper.toString(), mode, Integer.toString(n))
                : List.of("/bin/sh", "-c", "echo $$ > \"$1\" && exec \"$2\" \"$3\" \"$4\"", "sh",
                        cgroup.resolve("cgroup.procs").toString(), helper.toString(), mode, Integer.toString(n));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes());
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), () -> String.join(" ", cmd) + ": " + out);
    }

    private Path mkdirCgroup(Path dir) throws IOException {
        Files.createDirectory(dir);
        cgroupsToRemove.add(dir);
        return dir;
    }

    /** rmdir, retried briefly: the cgroup of an exited process can stay busy for a moment. */
    private void rmdirCgroup(Path dir) throws Exception {
        cgroupsToRemove.remove(dir);
        for (int i = 0; Files.exists(dir); i++) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                if (i >= 50) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The v2 cgroup id is the inode number of the cgroup's directory. */
    private static long cgroupId(Path dir) throws IOException {
        return (Long) Files.getAttribute(dir, "unix:ino");
    }

    private static List<String> mountTypes(Path mountPoint) throws IOException {
        List<String> types = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && f[4].equals(mountPoint.toString())) {
                types.add(f[dash + 1]);
            }
        }
        return types;
    }

    private static boolean ownSeccompFiltered() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Seccomp:") && l.endsWith("2"));
    }
}
