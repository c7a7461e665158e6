package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.contxray.bpf.Layout;
import io.contxray.bpf.ProcessEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileEventsTest {
    @Test
    void openFlagsBecomeAccess() {
        assertEquals(List.of("read"), FileEvents.access(0));                  // O_RDONLY
        assertEquals(List.of("write"), FileEvents.access(01));                // O_WRONLY
        assertEquals(List.of("read", "write"), FileEvents.access(02));        // O_RDWR
        assertEquals(List.of("write", "create", "truncate"), FileEvents.access(01101)); // creat()
        assertEquals(List.of("read"), FileEvents.access(02000000 | 0200000)); // O_CLOEXEC | O_DIRECTORY
        assertEquals(List.of("path"), FileEvents.access(010000000 | 02));     // O_PATH wins
    }

    @Test
    void relativePathsJoinTheKernelsDirectoryLeafFirst() {
        assertEquals("/var/lib/app/conf/x", FileEvents.resolve("conf/x", List.of("app", "lib", "var"), Layout.CX_FILE_DIR));
        assertEquals("/x", FileEvents.resolve("x", List.of(), Layout.CX_FILE_DIR), "cwd is the root");
        assertEquals("/var/x", FileEvents.resolve("../x", List.of("lib", "var"), Layout.CX_FILE_DIR));
        assertEquals("/etc/hostname", FileEvents.resolve("/etc/./hostname", List.of("ignored"), Layout.CX_FILE_DIR));
    }

    @Test
    void unknownOrTruncatedDirectoriesAreMarkedUnresolved() {
        assertEquals("?/a/b", FileEvents.resolve("a/./b", List.of(), Layout.CX_FILE_DIR_UNKNOWN));
        assertEquals("?/b", FileEvents.resolve("b", List.of("deep"), Layout.CX_FILE_DIR | Layout.CX_FILE_DIR_TRUNCATED));
    }

    @Test
    void normalisationNeverClimbsAboveTheRoot() {
        assertEquals("/", FileEvents.normalize("", "/../.."));
        assertEquals("/a", FileEvents.normalize("/x", "../../a//"));
    }

    @Test
    void renameTargetAgainstAnotherDirfdStaysUnresolved() {
        ProcessEvent.File same = new ProcessEvent.File(1, 0, 1, 1, Layout.CX_FILE_RENAME, 0, 0,
                Layout.CX_FILE_DIR | Layout.CX_FILE_NEW_PATH, "mv", "old", List.of("d"), "new", 0L);
        assertEquals("/d/old", FileEvents.path(same));
        assertEquals("/d/new", FileEvents.newPath(same));
        ProcessEvent.File other = new ProcessEvent.File(1, 0, 1, 1, Layout.CX_FILE_RENAME, 0, 0,
                Layout.CX_FILE_DIR | Layout.CX_FILE_NEW_PATH | Layout.CX_FILE_NEW_DIR_OTHER, "mv", "old", List.of("d"),
                "new", 0L);
        assertEquals("?/new", FileEvents.newPath(other));
    }

    @Test
    void aSymlinksContentIsKeptAsWrittenAndAnFdsFileIsItsWalk() {
        ProcessEvent.File symlink = new ProcessEvent.File(1, 0, 1, 1, Layout.CX_FILE_SYMLINK, 0, 0,
                Layout.CX_FILE_DIR | Layout.CX_FILE_NEW_PATH, "ln", "c", List.of("data"), "../etc/passwd", 0L);
        assertEquals("symlink", FileEvents.op(symlink.op()));
        assertEquals("/data/c", FileEvents.path(symlink));
        assertEquals("../etc/passwd", FileEvents.newPath(symlink), "never resolved: the call stores it");
        // ftruncate(fd): no path argument; the kernel walked the fd's file itself, name included
        ProcessEvent.File fromFd = new ProcessEvent.File(1, 0, 1, 1, Layout.CX_FILE_TRUNCATE, 0, 0,
                Layout.CX_FILE_DIR, "truncate", "", List.of("a", "data"), null, 0L);
        assertEquals("/data/a", FileEvents.path(fromFd));
        assertEquals("link", FileEvents.op(Layout.CX_FILE_LINK));
    }

    @Test
    void errnoNamesOnlyForFailures() {
        assertEquals("ENOENT", FileEvents.errno(-2));
        assertEquals("EACCES", FileEvents.errno(-13));
        assertNull(FileEvents.errno(3));
        assertNull(FileEvents.errno(0));
        assertEquals("E4000", FileEvents.errno(-4000));
        assertEquals("rmdir", FileEvents.op(Layout.CX_FILE_RMDIR));
    }

    @Test
    void capabilityCountsBecomeChecksPerOutcome() {
        long[][] counts = new long[Layout.CX_CAPS][Layout.CX_CAP_OUTCOMES];
        counts[10][Layout.CX_CAP_GRANTED] = 2;
        counts[21][0] = 7;
        counts[8][Layout.CX_CAP_GRANTED | Layout.CX_CAP_RUNTIME] = 1;
        counts[21][Layout.CX_CAP_GRANTED | Layout.CX_CAP_NOAUDIT] = 30;
        counts[21][Layout.CX_CAP_GRANTED | Layout.CX_CAP_NOAUDIT | Layout.CX_CAP_RUNTIME] = 4;
        counts[19][Layout.CX_CAP_NOAUDIT | Layout.CX_CAP_RUNTIME] = 3;
        var checks = Recorder.capabilityChecks("tracepoint capability:cap_capable (tp_btf)", counts).checks();
        assertEquals(List.of(
                new io.contxray.model.CapabilityChecks.Check("SETPCAP", true, "runtime", 1),
                new io.contxray.model.CapabilityChecks.Check("NET_BIND_SERVICE", true, "workload", 2),
                new io.contxray.model.CapabilityChecks.Check("SYS_PTRACE", false, "no-audit", 3),
                new io.contxray.model.CapabilityChecks.Check("SYS_ADMIN", false, "workload", 7),
                new io.contxray.model.CapabilityChecks.Check("SYS_ADMIN", true, "no-audit", 34)), checks,
                "no-audit is the phase, whatever the other bits say");
        assertEquals(List.of(), Recorder.capabilityChecks("none", counts).checks(), "no hook, no checks");
    }
}
