package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.ContainerEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FilesBuilderTest {
    static ContainerEvent open(String path, List<String> access, String errno, String comm, String time) {
        return ContainerEvent.file(time, 1, "c1", 10, 10, comm, "open", path, null, access, 0, 3, errno, false, null);
    }

    static ContainerEvent op(String op, String path, String newPath, String errno) {
        return ContainerEvent.file("t9", 1, "c1", 10, 10, "sh", op, path, newPath, null, null, 0, errno, false, null);
    }

    private final FilesBuilder b = new FilesBuilder(new PathClassifier(PathClassifierTest.DOCKER));

    static ContainerEvent counted(String path, String errno, String comm, String key) {
        return ContainerEvent.file("t1", 1, "c1", 10, 10, comm, "open", path, null, List.of("read", "write"), 2,
                errno == null ? 3 : -2, errno, false, key);
    }

    @Test
    void repeatsTheKernelCountedGoToTheEntriesOfTheirFirstEvent() {
        b.accept(counted("/var/log/app.log", null, "app", "a1"));
        b.accept(counted("/missing", "ENOENT", "app", "b2"));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.FILE_COUNT, "t9", "c1", "a1", 100_000));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.FILE_COUNT, "t9", "c1", "b2", 5));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.FILE_COUNT, "t9", "c1", "rotated-away", 7));

        FileActivity f = b.build();
        assertEquals(100_000 + 5 + 7, f.events(), "exact totals");
        assertEquals(5, f.failed());
        assertEquals(7, f.omitted(), "the repeats of an event no longer in the log are counted, not listed");
        FileActivity.Entry write = f.byClass().get("container").stream()
                .filter(en -> en.path().equals("/var/log/app.log") && en.access().equals("write")).findFirst().orElseThrow();
        assertEquals(100_000, write.count());
        FileActivity.Entry missing = f.byClass().get("container").stream()
                .filter(en -> en.path().equals("/missing") && en.access().equals("read")).findFirst().orElseThrow();
        assertEquals(Map.of("ENOENT", 5L), missing.errors());
    }

    @Test
    void theRuntimesOwnSetUpIsCountedApartAndNotListed() {
        b.accept(counted("/proc/self/fd", null, "runc:[2:INIT]", "r1"));
        b.accept(ContainerEvent.repeatCount(ContainerEvent.FILE_COUNT, "t9", "c1", "r1", 3));
        b.accept(counted("/etc/hostname", null, "cat", null));

        FileActivity f = b.build();
        assertEquals(3, f.runtimeSetup());
        assertEquals(1, f.events());
        assertTrue(f.byClass().get("proc").isEmpty(), "runc's /proc/self/fd is not the workload's");
    }

    @Test
    void aggregatesPerPathAndAccess() {
        b.accept(open("/etc/nginx/nginx.conf", List.of("read"), null, "nginx", "t1"));
        b.accept(open("/etc/nginx/./nginx.conf", List.of("read"), null, "nginx", "t2"));
        b.accept(open("/etc/shadow", List.of("read"), "EACCES", "nginx", "t3"));
        b.accept(open("/etc/shadow", List.of("read"), "EACCES", "worker", "t4"));
        b.accept(open("/etc/shadow", List.of("read"), "ENOENT", "worker", "t5"));
        b.accept(open("/data/log", List.of("write", "create"), null, "nginx", "t6"));
        b.accept(op("rename", "/data/log", "/data/log.1", null));
        b.accept(op("unlink", "?/tmp/x", null, "ENOENT"));
        b.accept(ContainerEvent.exec("t0", 1, "c1", 10, 10, 1, 0, 0, "nginx", "/usr/sbin/nginx", List.of("nginx"), 1,
                false, false));
        b.accept(NetworkBuilderTest.net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t7")); // not about files

        FileActivity f = b.build();
        assertEquals(FilesBuilder.METHOD, f.method());
        assertEquals(9, f.events());
        assertEquals(4, f.failed());
        assertEquals(7, f.entries());
        assertEquals(0, f.omitted());
        assertEquals(PathClassifier.CLASSES.stream().sorted().toList(), List.copyOf(f.byClass().keySet()));

        List<FileActivity.Entry> own = f.byClass().get("container");
        assertEquals(List.of("/etc/nginx/nginx.conf read", "/etc/shadow read", "/usr/sbin/nginx exec"),
                own.stream().map(e -> e.path() + " " + e.access()).toList());
        assertEquals(new FileActivity.Entry("/etc/nginx/nginx.conf", "read", null, 2, "t1", List.of("nginx"), new TreeMap<>(),
                null, false, false, false), own.get(0));
        assertEquals(3, own.get(1).count());
        assertEquals(Map.of("EACCES", 2L, "ENOENT", 1L), own.get(1).errors());
        assertEquals(List.of("nginx", "worker"), own.get(1).comms());

        List<FileActivity.Entry> bind = f.byClass().get("host-bind");
        assertEquals(List.of("create", "rename", "write"), bind.stream().map(FileActivity.Entry::access).toList());
        assertEquals("/srv/app-data/log", bind.get(0).hostSource());
        assertEquals("/data/log.1", bind.get(1).newPath());
        assertEquals(List.of("?/tmp/x"), f.byClass().get("unresolved").stream().map(FileActivity.Entry::path).toList());
        assertEquals(List.of(), f.byClass().get("proc"));
    }

    @Test
    void distinctEntriesAreBoundedTotalsAreNot() {
        for (int i = 0; i < FilesBuilder.MAX_ENTRIES + 10; i++) {
            b.accept(open("/tmp/f" + i, List.of("read"), null, "app", "t"));
        }
        b.accept(open("/tmp/f0", List.of("read"), null, "app", "t")); // a listed entry still counts
        for (int i = 0; i < FilesBuilder.MAX_COMMS + 3; i++) {
            b.accept(open("/tmp/f1", List.of("read"), null, "comm" + i, "t"));
        }
        FileActivity f = b.build();
        assertEquals(FilesBuilder.MAX_ENTRIES + 11 + FilesBuilder.MAX_COMMS + 3, f.events());
        assertEquals(FilesBuilder.MAX_ENTRIES, f.entries());
        assertEquals(10, f.omitted());
        FileActivity.Entry f0 = f.byClass().get("container").get(0);
        assertEquals("/tmp/f0", f0.path());
        assertEquals(2, f0.count());
        FileActivity.Entry f1 = f.byClass().get("container").get(1);
        assertEquals(FilesBuilder.MAX_COMMS, f1.comms().size());
        assertEquals(FilesBuilder.MAX_COMMS + 4, f1.count());
    }

    @Test
    void withoutFileEventsTheMethodIsNone() {
        b.accept(ContainerEvent.exec("t0", 1, "c1", 10, 10, 1, 0, 0, "sh", "/bin/sh", List.of("sh"), 1, false, false));
        FileActivity f = b.build();
        assertEquals("none", f.method());
        assertEquals(1, f.events());
        assertTrue(f.byClass().get("container").get(0).comms().contains("sh"));
    }
}
