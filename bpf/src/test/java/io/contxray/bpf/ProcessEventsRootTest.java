package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real event programs (root, bpffs, cgroup v2): a shell run in a recorded cgroup shows up in
 * the ring buffer with its argv, its child and its exit code (sched_process_*), its file syscalls
 * with their results and resolved directories (syscalls/sys_exit_*), and its capability checks
 * (capability:cap_capable, which this kernel has).
 */
@Tag("root")
class ProcessEventsRootTest {
    private static final int SLOT = 9;

    private Path pinDir;
    private Path cgroup;
    private SyscallRecorderProgram program;
    private EventRing ring;
    private final List<ProcessEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        assertEquals("0", TestTools.run(List.of("id", "-u")).trim(), "root tests need root");
        String id = UUID.randomUUID().toString().substring(0, 8);
        pinDir = Path.of("/sys/fs/bpf/contxray-test-" + id);
        cgroup = TestTools.cgroup2Mount().resolve("contxray-test-" + id);
        Files.createDirectory(cgroup);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ring != null) {
            ring.close();
        }
        if (program != null) {
            program.close();
        }
        SyscallRecorderProgram.removePins(pinDir);
        for (int i = 0; Files.exists(cgroup); i++) {
            try {
                Files.delete(cgroup);
            } catch (IOException e) {
                if (i > 50) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private void record(AttachMethod method) throws IOException {
        program = SyscallRecorderProgram.open(pinDir, method);
        program.attach();
        program.clearCounts(SLOT);
        program.clearEventDrops(SLOT);
        program.addCgroup((Long) Files.getAttribute(cgroup, "unix:ino"), SLOT);
        ring = program.openEventRing(events::add);
    }

    @Test
    void shellInTheCgroupGivesExecForkExitWithArgvAndExitCode() throws Exception {
        record(AttachMethod.TP_BTF);
        run(false, "/bin/sh", "-c", "/bin/true a b; exit 3"); // outside: not recorded
        ring.drain();
        assertEquals(List.of(), events, "a process outside the cgroup was recorded");

        int shPid = run(true, "/bin/sh", "-c", "/bin/true a b; exit 3");
        ring.drain();
        checkShellRun(shPid);
        assertArrayEquals(new long[Layout.CX_EVENT_TYPES], program.readEventDrops(SLOT), "nothing dropped");
        assertEquals(0, ring.malformed());
    }

    @Test
    void rawTracepointVariantGivesTheSameEvents() throws Exception {
        record(AttachMethod.RAW_TRACEPOINT);
        int shPid = run(true, "/bin/sh", "-c", "/bin/true a b; exit 3");
        ring.drain();
        checkShellRun(shPid);
    }

    @Test
    void longArgumentsAreBoundedAndFlagged() throws Exception {
        record(AttachMethod.TP_BTF);
        String big = "y".repeat(2 * Layout.CX_ARGS_LEN);
        run(true, "/bin/true", "first", big, "third");
        ring.drain();
        ProcessEvent.Exec x = execs().stream().filter(e -> e.filename().equals("/bin/true")).findFirst().orElseThrow();
        assertEquals(4, x.argc(), "the full count");
        assertTrue(x.argvTruncated());
        assertEquals(List.of("/bin/true", "first"), x.argv().subList(0, 2));
        assertEquals(3, x.argv().size(), "third does not fit");
        assertTrue(big.startsWith(x.argv().get(2)));
        assertEquals(Layout.CX_ARGS_LEN, String.join("\0", x.argv()).length() + 0, "exactly the buffer, cut mid-argument");
    }

    @Test
    void drainedByPollOnAnotherThreadAndPinnedForTheNextLoad() throws Exception {
        record(AttachMethod.TP_BTF);
        ring.close();
        ring = null;
        run(true, "/bin/true", "while", "nobody", "reads"); // events wait in the pinned ring buffer
        program.close();
        program = SyscallRecorderProgram.open(pinDir, AttachMethod.TP_BTF); // a restarted daemon
        ring = program.openEventRing(events::add);
        Thread poller = new Thread(() -> ring.poll(1_000));
        poller.start();
        poller.join(5_000);
        assertTrue(execs().stream().anyMatch(e -> e.argv().equals(List.of("/bin/true", "while", "nobody", "reads"))),
                "events written while no reader ran were lost: " + events);
    }

    @Test
    void fileSyscallsWithResultsAndTheDirectoryOfRelativePaths() throws Exception {
        Path dir = Files.createTempDirectory("cx-files-");
        try {
            Files.writeString(dir.resolve("old"), "x");
            record(AttachMethod.TP_BTF);
            List<String> skipped = program.attach(); // already attached: nothing more to do
            assertEquals(List.of(), skipped);
            run(true, "/bin/sh", "-c", "cd \"$0\" && cat old >/dev/null && cat /nonexistent 2>/dev/null;"
                    + " mkdir sub && mv old sub/new && : > created && chmod 600 created && rm created && rmdir /"
                    + "; exit 0", dir.toString());
            ring.drain();
            List<ProcessEvent.File> files = fileEvents();
            String real = dir.toRealPath().toString();

            ProcessEvent.File read = one(files, f -> f.op() == Layout.CX_FILE_OPEN && f.path().equals("old"));
            assertTrue(read.result() >= 0, "fd: " + read);
            assertEquals((read.info() & Layout.CX_FILE_DIR), Layout.CX_FILE_DIR);
            assertEquals(real, "/" + String.join("/", reversed(read.dirNames())), "cwd resolved in the kernel");
            assertEquals("cat", read.comm());

            ProcessEvent.File missing = one(files, f -> f.path().equals("/nonexistent"));
            assertEquals(-2, missing.result(), "ENOENT");
            assertEquals(0, missing.info() & Layout.CX_FILE_DIR, "absolute: no directory walk");

            ProcessEvent.File mkdir = one(files, f -> f.op() == Layout.CX_FILE_MKDIR);
            assertEquals("sub", mkdir.path());
            ProcessEvent.File rename = one(files, f -> f.op() == Layout.CX_FILE_RENAME);
            assertEquals("old", rename.path());
            assertEquals("sub/new", rename.newPath());
            assertEquals(0, rename.result());
            ProcessEvent.File creat = one(files, f -> f.op() == Layout.CX_FILE_OPEN && f.path().equals("created"));
            assertEquals(0100, creat.flags() & 0100, "O_CREAT from the shell's redirection");
            assertEquals(0600, one(files, f -> f.op() == Layout.CX_FILE_CHMOD).flags() & 0777);
            assertEquals("created", one(files, f -> f.op() == Layout.CX_FILE_UNLINK).path());
            ProcessEvent.File rmdirRoot = one(files, f -> f.op() == Layout.CX_FILE_RMDIR);
            assertTrue(rmdirRoot.result() < 0, "rmdir / fails: " + rmdirRoot);
            assertEquals(0, program.readTypeDrops(SLOT, Layout.CX_EVENT_FILE));
        } finally {
            TestTools.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    @Test
    void repeatedAccessesAreCountedInTheKernelAndSentOnce() throws Exception {
        record(AttachMethod.TP_BTF);
        run(true, "/bin/sh", "-c", "for i in 1 2 3 4 5 6 7; do read x < /etc/hostname; done; read x < /nonexistent; exit 0");
        ring.drain();
        List<ProcessEvent.File> hostname = fileEvents().stream().filter(f -> f.path().equals("/etc/hostname")).toList();
        assertEquals(1, hostname.size(), "one event for seven identical opens: " + hostname);
        assertTrue(hostname.get(0).key() != 0);
        java.util.Map<Long, Long> counts = new java.util.HashMap<>();
        for (SyscallRecorderProgram.RepeatCount r : program.takeRepeatCounts(SLOT)) {
            assertEquals(Layout.CX_EVENT_FILE, r.type());
            counts.put(r.key(), r.count());
        }
        assertEquals(7L, counts.get(hostname.get(0).key()));
        long missingKey = one(fileEvents(), f -> f.path().equals("/nonexistent")).key();
        assertEquals(1L, counts.get(missingKey), "another outcome, another key");
        assertEquals(List.of(), program.takeRepeatCounts(SLOT), "taken: the slot's entries are gone");
    }

    @Test
    void udpSendsAndUnixConnectsWithTheirDestinations() throws Exception {
        record(AttachMethod.TP_BTF);
        run(true, "/usr/bin/python3", "-c", String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "for _ in range(3): s.sendto(b'x', ('127.0.0.1', 9999))",
                "u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "try: u.connect('/nonexistent/cx.sock')",
                "except OSError: pass",
                "t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
                "try: t.connect(('127.0.0.1', 9))",
                "except OSError: pass"));
        ring.drain();
        List<ProcessEvent.Sock> socks;
        synchronized (events) {
            socks = events.stream().filter(e -> e instanceof ProcessEvent.Sock).map(e -> (ProcessEvent.Sock) e).toList();
        }
        List<ProcessEvent.Sock> udp = socks.stream().filter(x -> x.family() == 2).toList();
        assertEquals(1, udp.size(), "three identical sends, one event; TCP is not here: " + socks);
        assertEquals(Layout.CX_SOCK_SEND, udp.get(0).kind());
        assertEquals(9999, udp.get(0).port());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, udp.get(0).addr());
        assertEquals(17, udp.get(0).protocol());
        assertEquals(1, udp.get(0).result());
        ProcessEvent.Sock unix = socks.stream().filter(x -> x.family() == 1).findFirst().orElseThrow();
        assertEquals("/nonexistent/cx.sock", unix.unixPath());
        assertEquals(Layout.CX_SOCK_CONNECT, unix.kind());
        assertEquals(-2, unix.result());
        long udpCount = program.takeRepeatCounts(SLOT).stream()
                .filter(r -> r.type() == Layout.CX_EVENT_SOCK && r.key() == udp.get(0).key()).findFirst().orElseThrow().count();
        assertEquals(3, udpCount);
    }

    @Test
    void capabilityChecksAreCountedAndTheFirstOfEachOutcomeIsAnEvent() throws Exception {
        Path file = Files.createTempFile("cx-cap-", ".txt");
        try {
            record(AttachMethod.TP_BTF);
            assertTrue(program.capabilityMethod().startsWith("tracepoint capability:cap_capable"),
                    program.capabilityMethod());
            // root giving a file away needs CAP_CHOWN (0), checked twice, one event
            run(true, "/bin/sh", "-c", "chown 65534 \"$0\" && chown 65533 \"$0\"", file.toString());
            ring.drain();
            long[][] counts = program.readCapCounts(SLOT);
            assertTrue(counts[0][Layout.CX_CAP_GRANTED] >= 2, "CAP_CHOWN granted twice: " + counts[0][Layout.CX_CAP_GRANTED]);
            List<ProcessEvent.Capability> chown;
            synchronized (events) {
                chown = events.stream().filter(e -> e instanceof ProcessEvent.Capability c && c.cap() == 0)
                        .map(e -> (ProcessEvent.Capability) e).toList();
            }
            assertEquals(1, chown.size(), "one event for the first check: " + chown);
            assertTrue(chown.get(0).granted());
            assertFalse(chown.get(0).runtime());
            assertEquals("chown", chown.get(0).comm());

            // Loading each program mapped memory: overcommit's CAP_SYS_ADMIN (21) check, made
            // without auditing, granted to root; told apart by its caller, and sends no event.
            assertFalse(program.capabilityMethod().contains("not told apart"), program.capabilityMethod());
            assertTrue(counts[21][Layout.CX_CAP_GRANTED | Layout.CX_CAP_NOAUDIT] > 0,
                    "no-audit SYS_ADMIN checks: " + java.util.Arrays.toString(counts[21]));
            assertEquals(0, counts[21][Layout.CX_CAP_GRANTED], "no audited SYS_ADMIN check by sh or chown");
            synchronized (events) {
                assertFalse(events.stream().anyMatch(e -> e instanceof ProcessEvent.Capability c && c.cap() == 21),
                        "no event for a no-audit check: " + events);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private List<ProcessEvent.File> fileEvents() {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof ProcessEvent.File).map(e -> (ProcessEvent.File) e).toList();
        }
    }

    private static ProcessEvent.File one(List<ProcessEvent.File> files, java.util.function.Predicate<ProcessEvent.File> p) {
        return files.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no such file event in " + files));
    }

    private static List<String> reversed(List<String> names) {
        List<String> r = new ArrayList<>(names);
        Collections.reverse(r);
        return r;
    }

    private void checkShellRun(int shPid) {
        List<ProcessEvent.Exec> execs = execs();
        ProcessEvent.Exec sh = execs.stream().filter(e -> e.pid() == shPid).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no exec of pid " + shPid + " in " + events));
        assertEquals("/bin/sh", sh.filename());
        assertEquals(List.of("/bin/sh", "-c", "/bin/true a b; exit 3"), sh.argv());
        assertEquals(SLOT, sh.slot());
        assertEquals(0, sh.uid());

        ProcessEvent.Exec tru = execs.stream().filter(e -> e.filename().equals("/bin/true")).findFirst().orElseThrow(
                () -> new AssertionError("no exec of /bin/true in " + events));
        assertEquals(List.of("/bin/true", "a", "b"), tru.argv());
        assertEquals(3, tru.argc());
        assertFalse(tru.argvTruncated());
        assertEquals(shPid, tru.ppid());
        assertTrue(tru.tsNs() > sh.tsNs());

        assertTrue(events.stream().anyMatch(e -> e instanceof ProcessEvent.Fork f && f.pid() == shPid
                && f.childPid() == tru.pid()), "no fork " + shPid + " -> " + tru.pid() + " in " + events);
        ProcessEvent.Exit trueExit = exit(tru.pid());
        assertEquals(0, trueExit.exitCode());
        ProcessEvent.Exit shExit = exit(shPid);
        assertEquals(3, shExit.exitCode());
        assertEquals(0, shExit.signal());
        assertTrue(shExit.tsNs() > trueExit.tsNs());
    }

    private List<ProcessEvent.Exec> execs() {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof ProcessEvent.Exec).map(e -> (ProcessEvent.Exec) e).toList();
        }
    }

    private ProcessEvent.Exit exit(int pid) {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof ProcessEvent.Exit x && x.pid() == pid)
                    .map(e -> (ProcessEvent.Exit) e).findFirst()
                    .orElseThrow(() -> new AssertionError("no exit of " + pid + " in " + events));
        }
    }

    /**
     * Runs a command (moved into the cgroup first when inCgroup: a wrapper shell writes its pid to
     * cgroup.procs and execs it, so the command keeps the wrapper's pid). Returns that pid.
     */
    private int run(boolean inCgroup, String... cmd) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                (inCgroup ? "echo $$ > \"$0\" && " : "") + "echo $$ && exec \"$@\"",
                inCgroup ? cgroup.resolve("cgroup.procs").toString() : "sh"));
        argv.addAll(List.of(cmd));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return Integer.parseInt(out.split("\n")[0].trim());
    }
}
